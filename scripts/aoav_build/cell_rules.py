"""The cell rules of the published data, at the curated records: aoav_data.cells (the engine behind
validate()) runs on each table as the CSV writer writes it, and every finding is reported at the
YAML file and record its row came from. The rules are written once, there; nothing here restates them.
"""

from __future__ import annotations

from typing import Any

from aoav_data.cells import read_text_table, shown, table_findings
from aoav_data.csvfile import to_csv_bytes

from .descriptor import table_schema
from .records import Record
from .schema import Schema

Rows = list[dict[str, Any]]


def check_cells(tables: dict[str, Rows], origins: dict[str, list[int]], records: list[Record], schema: Schema) -> None:
    """Raise the first finding in the order the records were read (file by file, top to bottom),
    naming file, record and field. `origins[table][i]` is the position in `records` of the record
    row i of `table` comes from: a record's evidence and actor roles come from it."""
    found: list[tuple[int, int, str, str, str]] = []
    for name, rows in tables.items():
        table = schema.tables[name]
        text = read_text_table(to_csv_bytes(rows, table.field_names))
        position = {f.name: n for n, f in enumerate(table.fields)}
        for row, column, message in table_findings(text, table_schema(table, schema)["fields"]):
            field = column or ""  # the cell rules always name their column
            value = text.column(field)[row].as_py() if field else None
            found.append((origins[name][row], position.get(field, -1), name, field, shown(value) + message))
    if not found:
        return
    origin, _, name, column, message = min(found)
    record = records[origin]
    if name != record.table:  # a row the record brings along: say which table's column is meant
        message += f" (in its {name} row)"
    more = len(found) - 1
    raise record.where.error(message + (f" (and {more} more problems)" if more else ""), column or None)
