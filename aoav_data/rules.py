"""Rules across fields and tables of the published data, run by validate() and so by the build on
what it is about to publish: counts ordered low <= best <= high, dates derived from `date`, and
every row that points at (table, record_id[, field]) pointing at a real record and column.

Which columns the rules apply to is read from the table schemas they are given (validate() gives the
installed descriptor's, the build the ones it is about to publish): a count X with X_low and X_high
beside it is a range; a table with date, date_start and date_end derives the last two.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from .cells import INTEGER, is_in, rows_where

Rule = tuple[str, str, str, str]  # (table, record, field, message)
Schemas = Mapping[str, dict[str, Any]]  # each table's Table Schema: fields, primaryKey, foreignKeys
Counts = Mapping[str, pa.ChunkedArray]  # a table's integer columns as int64, by name
_PART = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
POINTERS = ("evidence", "errata", "actor_roles")  # tables whose rows name (table, record_id)


class Bounds(NamedTuple):
    start: dt.date
    end: dt.date
    precision: str


def _part_bounds(text: str) -> tuple[dt.date, dt.date, str]:
    match = _PART.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an EDTF date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match[1])
    if match[2] is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    month = int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    last = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    day = int(match[3])
    if not 1 <= day <= last:
        raise ValueError(f"{text!r} has no day {day} in that month")
    return dt.date(year, month, day), dt.date(year, month, day), "day"


def edtf_bounds(text: str) -> Bounds:
    """Earliest and latest day of an EDTF value (YYYY, YYYY-MM, YYYY-MM-DD or an interval of them),
    and its precision; ValueError for anything else, impossible days included."""
    if "/" in text:
        first, _, last = text.partition("/")
        start, end = _part_bounds(first)[0], _part_bounds(last)[1]
        if end < start:
            raise ValueError(f"{text!r} ends before it starts")
        return Bounds(start, end, "range")
    return Bounds(*_part_bounds(text))


def _key(text: pa.Table, schema: dict[str, Any], row: int) -> str:
    return "/".join(str(text.column(c)[row].as_py() or "") for c in schema["primaryKey"])


def _count(text: pa.Table, column: str, counts: Counts) -> Any:
    """A count column as int64, null where it is not an integer: the field checks' conversion
    where they pass it on (as validate() does), else the same conversion done here."""
    if column in counts:
        return counts[column]
    values = text.column(column)
    return pc.cast(pc.if_else(pc.fill_null(pc.match_substring_regex(values, INTEGER), False), values, None), pa.int64())


def _ranges(table: str, text: pa.Table, schemas: Schemas, counts: Counts) -> list[Rule]:
    out, names = [], set(text.column_names)
    for base in sorted(n for n in names if {f"{n}_low", f"{n}_high"} <= names):
        low, best, high = (_count(text, c, counts) for c in (f"{base}_low", base, f"{base}_high"))
        for column, mask, word in ((f"{base}_low", pc.greater(low, best), "above"),
                                   (f"{base}_high", pc.less(high, best), "below"),
                                   (f"{base}_high", pc.less(high, low), "below")):  # fmt: skip
            out += [(table, _key(text, schemas[table], int(i)), column, f"is {word} {base}") for i in rows_where(mask)]
    return out


def _derived_dates(table: str, text: pa.Table, schemas: Schemas) -> list[Rule]:
    """date_start and date_end are the first and last day `date` allows; each distinct date is
    worked out once, then compared over the whole column."""
    if not {"date", "date_start", "date_end"} <= set(text.column_names):
        return []
    dates = text.column("date")
    distinct = pc.unique(dates.drop_null())
    bounds: dict[str, Bounds | None] = {}
    for value in distinct.to_pylist():
        try:
            bounds[value] = edtf_bounds(value)
        except ValueError:  # not a date: _edtf_values reports it
            bounds[value] = None
    at = pc.index_in(dates, value_set=distinct)
    first = pc.take(pa.array([b and b.start.isoformat() for b in bounds.values()], pa.string()), at)
    last = pc.take(pa.array([b and b.end.isoformat() for b in bounds.values()], pa.string()), at)
    known = pc.is_valid(first)
    wrong = pc.or_(
        pc.invert(pc.fill_null(pc.equal(text.column("date_start"), first), False)),
        pc.invert(pc.fill_null(pc.equal(text.column("date_end"), last), False)),
    )
    out: list[Rule] = []
    for i in rows_where(pc.and_(known, wrong)):
        row = int(i)
        message = f"{text.column('date_start')[row].as_py()}..{text.column('date_end')[row].as_py()} is not "
        message += f"the interval of date {dates[row].as_py()!r} ({first[row].as_py()}..{last[row].as_py()})"
        out.append((table, _key(text, schemas[table], row), "date_start", message))
    return out


def _edtf_values(table: str, text: pa.Table, schemas: Schemas) -> list[Rule]:
    """Text fields whose pattern is a date's (it starts with four digits) hold days that exist."""
    out: list[Rule] = []
    for spec in schemas[table]["fields"]:
        if spec["type"] != "string" or not spec.get("constraints", {}).get("pattern", "").startswith("^\\d{4}"):
            continue
        column = text.column(spec["name"])
        for value in pc.unique(column.drop_null()).to_pylist():
            try:
                edtf_bounds(value)
            except ValueError as exc:
                rows = rows_where(pc.equal(column, value))
                out += [(table, _key(text, schemas[table], int(i)), spec["name"], str(exc)) for i in rows]
    return out


def _self_references(table: str, text: pa.Table, schemas: Schemas) -> list[Rule]:
    """A foreign key into its own table never names the row itself (a source citing itself)."""
    out: list[Rule] = []
    schema = schemas[table]
    for fk in schema.get("foreignKeys", []):
        if fk["reference"]["resource"] not in ("", table) or len(schema["primaryKey"]) != 1:
            continue
        (column,) = fk["fields"]
        same = pc.equal(text.column(column), text.column(schema["primaryKey"][0]))
        out += [(table, _key(text, schemas[table], int(i)), column, "names its own record") for i in rows_where(same)]
    return out


def _pointers(table: str, text: pa.Table, texts: Mapping[str, pa.Table], schemas: Schemas) -> list[Rule]:
    """Rows naming (table, record_id[, field]) name a record that exists and one of its columns."""
    if table not in POINTERS or not {"table", "record_id"} <= set(text.column_names):
        return []
    out: list[Rule] = []
    named, records = text.column("table"), text.column("record_id")
    fields = text.column("field") if "field" in text.column_names else None
    for target in pc.unique(named.drop_null()).to_pylist():
        other = texts.get(target)
        key = schemas[target]["primaryKey"] if other is not None else []
        if other is None or len(key) != 1:
            continue  # an unknown table is a vocabulary problem, reported by the field checks
        # Only the rows naming this table are looked up in it: the lookups cost what they look up.
        rows = rows_where(pc.equal(named, target))
        named_records = records.take(rows)
        known = is_in(named_records, other.column(key[0]).drop_null())
        for i in rows[rows_where(pc.and_(pc.is_valid(named_records), pc.invert(known)))]:
            message = f"{records[int(i)].as_py()!r} is not a record of {target}"  # the bad value quoted: what to fix
            out.append((table, _key(text, schemas[table], int(i)), "record_id", message))
        if fields is not None:
            named_fields = fields.take(rows)
            column = pc.is_in(named_fields, value_set=pa.array(other.column_names))
            for i in rows[rows_where(pc.and_(pc.is_valid(named_fields), pc.invert(column)))]:
                message = f"{fields[int(i)].as_py()!r} is not a column of {target}"
                out.append((table, _key(text, schemas[table], int(i)), "field", message))
    return out


def rule_problems(
    texts: Mapping[str, pa.Table], schemas: Schemas, counts: Mapping[str, Counts] | None = None
) -> list[Rule]:
    """Every cross-field and cross-table rule over the tables read as text, each described by its
    Table Schema in `schemas`; `counts` may give each table's integer columns already converted
    (cells.table_checks), which the count ranges then use."""
    out: list[Rule] = []
    for table, text in texts.items():
        out += _ranges(table, text, schemas, (counts or {}).get(table, {})) + _derived_dates(table, text, schemas)
        out += _edtf_values(table, text, schemas) + _self_references(table, text, schemas)
        out += _pointers(table, text, texts, schemas)
    return out
