"""From any record to the words it came from, in one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .descriptor import resource
from .loaders import load

if TYPE_CHECKING:
    import pandas as pd

KIND_TABLES = {"incident": "incidents", "operation": "operations", "arrest": "arrests"}
SOURCE_COLUMNS = ["source_id", "title", "author", "publisher", "published", "footnote", "url"]


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


def record(table: str, record_id: str) -> pd.Series:
    """One record as a Series; `table` may also be a timeline `kind` (incident, operation, arrest)."""
    name = _table_name(table)
    key = resource(name)["schema"]["primaryKey"][0]
    frame = load(name)
    found = frame[frame[key] == record_id]
    if found.empty:
        raise KeyError(f"no record {record_id!r} in {name}")
    row: pd.Series = found.iloc[0]
    return row


def evidence_for(table: str, record_id: str, field: str | None = None) -> pd.DataFrame:
    """The evidence of a record (optionally of one field), with the source and footnote of each quote."""
    name = _table_name(table)
    record(name, record_id)  # a KeyError names a record that does not exist
    if field is not None:
        _check_field(name, field)
    evidence = load("evidence")
    rows = evidence[(evidence["table"] == name) & (evidence["record_id"] == record_id)]
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
