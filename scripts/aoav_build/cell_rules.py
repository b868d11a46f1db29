"""The cell rules of the published data, at the curated records: aoav_data.cells (the engine behind
validate()) runs on each table as the CSV writer writes it, and every finding is reported at the
YAML file and record its row came from; so do aoav_data.rules (low <= best <= high, dates, pointers,
self-references). The rules are written once, there; nothing here restates them.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from aoav_data.cells import read_text_table, shown, table_findings
from aoav_data.csvfile import to_csv_bytes
from aoav_data.rules import rule_problems

from .descriptor import table_schema
from .records import Record
from .schema import Schema

Rows = list[dict[str, Any]]


def check_cells(
    tables: dict[str, Rows], origins: dict[str, list[int]], records: list[Record], schema: Schema
) -> dict[str, bytes]:
    """Each table's CSV bytes, as published, once the rules hold on them. Raise the first finding in
    the order the records were read (file by file, top to bottom), naming file, record and field:
    first the cell rules, then (on cells that hold) the rules across fields and tables.
    `origins[table][i]` is the position in `records` of the record row i of `table` comes from: a
    record's evidence and actor roles come from it."""
    found: list[tuple[int, int, str, str, str]] = []
    data: dict[str, bytes] = {}
    texts: dict[str, pa.Table] = {}
    schemas = {name: table_schema(schema.tables[name], schema) for name in tables}
    for name, rows in tables.items():
        table = schema.tables[name]
        data[name] = to_csv_bytes(rows, table.field_names)
        text = texts[name] = read_text_table(data[name])
        position = {f.name: n for n, f in enumerate(table.fields)}
        for row, column, message in table_findings(text, schemas[name]["fields"]):
            field = column or ""  # the cell rules always name their column
            value = text.column(field)[row].as_py() if field else None
            found.append((origins[name][row], position.get(field, -1), name, field, shown(value) + message))
    if not found:
        found = _rule_findings(texts, schemas, origins, schema)
    if not found:
        return data
    origin, _, name, column, message = min(found)
    record = records[origin]
    if name != record.table:  # a row the record brings along: say which table's column is meant
        message += f" (in its {name} row)"
    more = len(found) - 1
    raise record.where.error(message + (f" (and {more} more problems)" if more else ""), column or None)


def _rule_findings(
    texts: dict[str, pa.Table], schemas: dict[str, dict[str, Any]], origins: dict[str, list[int]], schema: Schema
) -> list[tuple[int, int, str, str, str]]:
    """validate()'s rules across fields and tables, each finding placed at the record its row came from."""
    problems = rule_problems(texts, schemas)
    if not problems:
        return []
    at: dict[tuple[str, str], int] = {}
    for name in {p[0] for p in problems}:
        key = schemas[name]["primaryKey"]
        columns = [texts[name].column(c).to_pylist() for c in key]
        for row, values in enumerate(zip(*columns, strict=True)):
            at[(name, "/".join(str(v or "") for v in values))] = origins[name][row]
    found = []
    for name, record, column, message in problems:
        if (name, record) not in at:  # a key that does not name one row: the key checks report it
            continue
        position = {f.name: n for n, f in enumerate(schema.tables[name].fields)}
        found.append((at[(name, record)], position.get(column, -1), name, column, message))
    return found
