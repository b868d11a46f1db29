"""validate()'s rules in polars, for the benchmark: `python -m benchmarks.validate_polars FOLDER`.

Every check of a table is one polars expression, and all of them run in one `select`, which polars
spreads over its threads; see benchmarks/engines.py for the rules and the output.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import polars as pl

from .engines import (
    CONTROL,
    DATE_SHAPE,
    FORMULA_START,
    INTEGER,
    MAX_CELL,
    NUMBER,
    NUMERIC_TEXT,
    Problem,
    ascii_digits,
    problem,
    ranges,
    run,
)


def _typed(column: pl.Expr, kind: str) -> tuple[pl.Expr, pl.Expr | None, str]:
    """The column in its type, the cells not strictly written in it, and the message for those."""
    present = column.is_not_null()
    if kind == "integer":
        written = column.str.contains(INTEGER)
        typed = pl.when(written).then(column).otherwise(None).cast(pl.Int64, strict=False)
        return typed, present & ~written, "is not an integer (ASCII digits, no leading zeros, 64 bits)"
    if kind == "number":
        written = column.str.contains(NUMBER)
        typed = pl.when(written).then(column).otherwise(None).cast(pl.Float64, strict=False)
        bad = present & ~(written & typed.is_finite())
        return pl.when(bad).then(None).otherwise(typed), bad, "is not a decimal number"
    if kind == "date":
        shaped = pl.when(column.str.contains(DATE_SHAPE)).then(column).otherwise(None)
        parsed = shaped.str.strptime(pl.Date, "%Y-%m-%d", strict=False)  # chrono: no 2021-02-30
        return parsed, present & parsed.is_null(), "is not a date (YYYY-MM-DD)"
    return column, None, ""


def _checks(spec: dict[str, Any]) -> list[tuple[pl.Expr, str]]:
    name, constraints = spec["name"], spec.get("constraints", {})
    column = pl.col(name)
    present = column.is_not_null()
    typed, bad_type, type_message = _typed(column, spec["type"])
    checks = [] if bad_type is None else [(bad_type, type_message)]
    if constraints.get("required"):
        checks.append((column.is_null(), "is required"))
    if "enum" in constraints:
        checks.append((present & ~column.is_in(constraints["enum"]), "is not in the vocabulary"))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        checks.append((~column.str.contains(ascii_digits(pattern)), f"does not match {pattern}"))
    if spec["type"] in {"integer", "number"}:
        if "minimum" in constraints:
            checks.append((typed < constraints["minimum"], f"is below the minimum {constraints['minimum']}"))
        if "maximum" in constraints:
            checks.append((typed > constraints["maximum"], f"is above the maximum {constraints['maximum']}"))
    if constraints.get("unique"):
        checks.append((present & column.is_duplicated(), "is not unique"))
    if spec["type"] == "string":
        formula = column.str.contains(FORMULA_START) & ~column.str.contains(NUMERIC_TEXT)
        checks.append((formula, "would run as a formula in a spreadsheet"))
        checks.append((column.str.len_chars() > MAX_CELL, f"is longer than {MAX_CELL:,} characters"))
        checks.append((column.str.contains(CONTROL), "holds a control character (an escape sequence?)"))
    return checks


def _count(name: str) -> pl.Expr:
    column = pl.col(name)
    return pl.when(column.str.contains(INTEGER)).then(column).otherwise(None).cast(pl.Int64, strict=False)


def _found(
    frame: pl.DataFrame, table: str, key: list[str], checks: list[tuple[pl.Expr, str | None, str]]
) -> list[Problem]:
    """Run every check in one select: the rows where each holds, named by their primary key."""
    if not checks:
        return []
    rows = pl.int_range(pl.len(), dtype=pl.UInt32)
    positions = frame.select([rows.filter(mask).implode().alias(str(i)) for i, (mask, _, _) in enumerate(checks)])
    out: list[Problem] = []
    keys = frame.select(key)
    for i, (_, field, message) in enumerate(checks):
        hits = positions[str(i)][0]
        if len(hits):
            for values in keys[hits].iter_rows():
                out.append(problem(table, "/".join("" if v is None else str(v) for v in values), field, message))
    return out


def check_table(res: dict[str, Any], path: Path) -> tuple[pl.DataFrame, list[Problem]]:
    fields = res["schema"]["fields"]
    frame = pl.read_csv(path, infer_schema=False)
    checks = [(mask, spec["name"], message) for spec in fields for mask, message in _checks(spec)]
    for column, left, op, right, message in ranges(frame.columns):
        mask = _count(left) > _count(right) if op == ">" else _count(left) < _count(right)
        checks.append((mask, column, message))
    return frame, _found(frame, res["name"], res["schema"]["primaryKey"], checks)


def cross(tables: dict[str, pl.DataFrame], resources: dict[str, dict[str, Any]]) -> list[Problem]:
    """Duplicate primary keys and dangling foreign keys."""
    out: list[Problem] = []
    for name, frame in tables.items():
        schema = resources[name]["schema"]
        key = schema["primaryKey"]
        joined = pl.col(key[0]) if len(key) == 1 else pl.struct(key)
        present = pl.all_horizontal([pl.col(c).is_not_null() for c in key])
        checks: list[tuple[pl.Expr, str | None, str]] = [
            (present & joined.is_duplicated(), None, "duplicate primary key")
        ]
        for fk in schema.get("foreignKeys", []):
            (column,), ref = fk["fields"], fk["reference"]
            target = tables[ref["resource"] or name].get_column(ref["fields"][0]).drop_nulls()
            message = f"is not a {ref['fields'][0]} of {ref['resource'] or name}"
            checks.append((pl.col(column).is_not_null() & ~pl.col(column).is_in(target.implode()), column, message))
        out += _found(frame, name, key, checks)
    return out


if __name__ == "__main__":
    run(Path(sys.argv[1]), check_table, cross)
