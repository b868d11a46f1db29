"""From any record to the words it came from, in one call."""

from __future__ import annotations

import csv
import io
import warnings
from typing import TYPE_CHECKING

from .descriptor import resource, tables
from .loaders import load, read_verified

if TYPE_CHECKING:
    import pandas as pd

KIND_TABLES = {"incident": "incidents", "operation": "operations", "arrest": "arrests"}
SOURCE_COLUMNS = ["source_id", "title", "author", "publisher", "published", "footnote", "url"]


RETIRED = "retired_ids"


class RetiredIdWarning(UserWarning):
    """A retired id was asked for: the records that replaced it are given instead, and this says why."""


def retirement(table: str, record_id: str) -> dict[str, str] | None:
    """The retired_ids row of an id a release removed from `table`, or None."""
    if RETIRED not in tables():  # a package from before retired ids were published
        return None
    rows = csv.DictReader(io.StringIO(read_verified(RETIRED).decode("utf-8"), newline=""))
    name = _table_name(table)
    return next((r for r in rows if r["old_table"] == name and r["old_id"] == record_id), None)


def successors(row: dict[str, str]) -> list[str]:
    return [i for i in row["new_ids"].split("; ") if i]


def retirement_note(row: dict[str, str]) -> str:
    """One line: when and why the id was retired, and what replaces it."""
    now = f"it is now {row['new_table']} {', '.join(successors(row))}" if successors(row) else "nothing replaces it"
    return f"{row['old_table']}/{row['old_id']} was retired in version {row['version']} and {now}: {row['reason']}"


def _table_name(table: str) -> str:
    return KIND_TABLES.get(table, table)


def _check_field(table: str, field: str) -> None:
    """A KeyError, in one line, for a field the table does not have (with the likeliest meant)."""
    import difflib

    names = [f["name"] for f in resource(table)["schema"]["fields"]]
    if field not in names:
        close = difflib.get_close_matches(field, names, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise KeyError(f"no field {field!r} in {table}; {hint}the fields are {', '.join(names)}")


def _live(name: str, record_ids: list[str]) -> pd.DataFrame:
    """The current rows of these ids, in the order given."""
    key = resource(name)["schema"]["primaryKey"][0]
    frame = load(name)
    order = {record_id: n for n, record_id in enumerate(record_ids)}
    found: pd.DataFrame = frame[frame[key].isin(record_ids)]
    return found.sort_values(key, key=lambda ids: ids.map(order)).reset_index(drop=True)


def _resolve(table: str, record_id: str) -> tuple[str, list[str]]:
    """The table and ids holding a record now: itself, or what replaced it (with a RetiredIdWarning)."""
    name = _table_name(table)
    key = resource(name)["schema"]["primaryKey"][0]
    if (load(name)[key] == record_id).any():
        return name, [record_id]
    row = retirement(name, record_id)
    if row is None:
        raise KeyError(f"no record {record_id!r} in {name}")
    if not successors(row):
        raise KeyError(f"no record {record_id!r} in {name}: {retirement_note(row)}")
    warnings.warn(retirement_note(row), RetiredIdWarning, stacklevel=3)
    return row["new_table"], successors(row)


def record(table: str, record_id: str) -> pd.Series | pd.DataFrame:
    """One record as a Series; `table` may also be a timeline `kind` (incident, operation, arrest).

    A retired id (see `retired_ids()`) gives what replaced it, with a RetiredIdWarning saying so:
    the one new record as a Series, or the several (an attack split per site) as a DataFrame."""
    name, ids = _resolve(table, record_id)
    found = _live(name, ids)
    if len(found) == 1:
        row: pd.Series = found.iloc[0]
        return row
    return found


def evidence_for(table: str, record_id: str, field: str | None = None) -> pd.DataFrame:
    """The evidence of a record (optionally of one field), with the source and footnote of each quote.

    A retired id gives the evidence of the records that replaced it, with a RetiredIdWarning."""
    name, ids = _resolve(table, record_id)  # a KeyError names a record that does not exist
    if field is not None:
        _check_field(name, field)
    evidence = load("evidence")
    rows = evidence[(evidence["table"] == name) & (evidence["record_id"].isin(ids))]
    if field is not None:
        rows = rows[rows["field"] == field]
    sources = load("sources")[SOURCE_COLUMNS]
    cited = sources.add_prefix("cited_")
    merged = rows.merge(
        sources.add_prefix("source_").rename(columns={"source_source_id": "source_id"}),
        on="source_id",
        how="left",
    )
    return merged.merge(cited, on="cited_source_id", how="left").reset_index(drop=True)
