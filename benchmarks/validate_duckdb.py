"""validate()'s rules in DuckDB SQL, for the benchmark: `python -m benchmarks.validate_duckdb FOLDER`.

Each table is read by DuckDB's CSV reader as text, and every check of it is one `SELECT ... WHERE`
of a single UNION ALL query, which DuckDB runs over its threads; see benchmarks/engines.py for the
rules and the output.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import duckdb

from .engines import (
    CONTROL,
    DATE_SHAPE,
    FORMULA_START,
    INTEGER,
    MAX_CELL,
    NUMBER,
    NUMERIC_TEXT,
    Problem,
    problem,
    ranges,
    run,
)

DB = duckdb.connect()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _s(text: object) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _like(column: str, pattern: str) -> str:
    return f"regexp_matches({column}, {_s(pattern)})"


def _typed(column: str, kind: str) -> tuple[str, str | None, str]:
    if kind == "integer":
        typed = f"TRY_CAST(CASE WHEN {_like(column, INTEGER)} THEN {column} END AS BIGINT)"
        bad = f"{column} IS NOT NULL AND NOT {_like(column, INTEGER)}"
        return typed, bad, "is not an integer (ASCII digits, no leading zeros, 64 bits)"
    if kind == "number":
        cast = f"TRY_CAST(CASE WHEN {_like(column, NUMBER)} THEN {column} END AS DOUBLE)"
        bad = f"{column} IS NOT NULL AND NOT coalesce(isfinite({cast}), false)"
        return f"CASE WHEN isfinite({cast}) THEN {cast} END", bad, "is not a decimal number"
    if kind == "date":
        parsed = f"TRY_STRPTIME(CASE WHEN {_like(column, DATE_SHAPE)} THEN {column} END, '%Y-%m-%d')"
        return parsed, f"{column} IS NOT NULL AND {parsed} IS NULL", "is not a date (YYYY-MM-DD)"
    return column, None, ""


def _checks(spec: dict[str, Any]) -> list[tuple[str, str]]:
    constraints, column = spec.get("constraints", {}), _q(spec["name"])
    typed, bad_type, type_message = _typed(column, spec["type"])
    checks = [] if bad_type is None else [(bad_type, type_message)]
    if constraints.get("required"):
        checks.append((f"{column} IS NULL", "is required"))
    if "enum" in constraints:
        allowed = ", ".join(_s(v) for v in constraints["enum"])
        checks.append((f"{column} IS NOT NULL AND {column} NOT IN ({allowed})", "is not in the vocabulary"))
    if "pattern" in constraints:  # RE2, as Arrow's: \d is an ASCII digit
        pattern = constraints["pattern"]
        checks.append((f"{column} IS NOT NULL AND NOT {_like(column, pattern)}", f"does not match {pattern}"))
    if spec["type"] in {"integer", "number"}:
        if "minimum" in constraints:
            checks.append((f"{typed} < {constraints['minimum']}", f"is below the minimum {constraints['minimum']}"))
        if "maximum" in constraints:
            checks.append((f"{typed} > {constraints['maximum']}", f"is above the maximum {constraints['maximum']}"))
    if constraints.get("unique"):
        checks.append((f"{column} IS NOT NULL AND count(*) OVER (PARTITION BY {column}) > 1", "is not unique"))
    if spec["type"] == "string":
        formula = f"{_like(column, FORMULA_START)} AND NOT {_like(column, NUMERIC_TEXT)}"
        checks.append((formula, "would run as a formula in a spreadsheet"))
        checks.append((f"length({column}) > {MAX_CELL}", f"is longer than {MAX_CELL:,} characters"))
        checks.append((_like(column, CONTROL), "holds a control character (an escape sequence?)"))
    return checks


def _count(name: str) -> str:
    column = _q(name)
    return f"TRY_CAST(CASE WHEN {_like(column, INTEGER)} THEN {column} END AS BIGINT)"


def _found(table: str, key: list[str], checks: list[tuple[str, str | None, str]]) -> list[Problem]:
    """One UNION ALL query of every check: the record key, the check's number."""
    if not checks:
        return []
    record = " || '/' || ".join(f"coalesce({_q(c)}, '')" for c in key)
    parts = []
    for i, (condition, _, _) in enumerate(checks):
        if "OVER" in condition:  # a window may not stand in WHERE: QUALIFY filters on it
            parts.append(f"SELECT {record} AS record, {i} AS k FROM {_q(table)} QUALIFY {condition}")
        else:
            parts.append(f"SELECT {record} AS record, {i} AS k FROM {_q(table)} WHERE {condition}")
    rows = DB.execute(" UNION ALL ".join(parts)).fetchall()
    return [problem(table, record_, checks[k][1], checks[k][2]) for record_, k in rows]


def check_table(res: dict[str, Any], path: Path) -> tuple[str, list[Problem]]:
    name, fields = res["name"], res["schema"]["fields"]
    columns = "{" + ", ".join(f"{_s(f['name'])}: 'VARCHAR'" for f in fields) + "}"
    DB.execute(
        f"CREATE OR REPLACE TABLE {_q(name)} AS SELECT * FROM read_csv({_s(path)}, header = true, delim = ',', "
        f"quote = '\"', escape = '\"', columns = {columns}, max_line_size = 100000000, strict_mode = false)"
    )
    checks = [(condition, spec["name"], message) for spec in fields for condition, message in _checks(spec)]
    for column, left, op, right, message in ranges([f["name"] for f in fields]):
        checks.append((f"{_count(left)} {op} {_count(right)}", column, message))
    return name, _found(name, res["schema"]["primaryKey"], checks)


def cross(tables: dict[str, str], resources: dict[str, dict[str, Any]]) -> list[Problem]:
    """Duplicate primary keys and dangling foreign keys."""
    out: list[Problem] = []
    for name in tables:
        schema = resources[name]["schema"]
        key = schema["primaryKey"]
        present = " AND ".join(f"{_q(c)} IS NOT NULL" for c in key)
        partition = ", ".join(_q(c) for c in key)
        checks: list[tuple[str, str | None, str]] = [
            (f"{present} AND count(*) OVER (PARTITION BY {partition}) > 1", None, "duplicate primary key")
        ]
        for fk in schema.get("foreignKeys", []):
            (column,), ref = fk["fields"], fk["reference"]
            target, other = ref["resource"] or name, _q(ref["fields"][0])
            condition = f"{_q(column)} IS NOT NULL AND {_q(column)} NOT IN (SELECT {other} FROM {_q(target)} "
            condition += f"WHERE {other} IS NOT NULL)"
            checks.append((condition, column, f"is not a {ref['fields'][0]} of {target}"))
        out += _found(name, key, checks)
    return out


if __name__ == "__main__":
    run(Path(sys.argv[1]), check_table, cross)
