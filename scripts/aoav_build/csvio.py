"""CSV bytes exactly as the data contract wants them: UTF-8, RFC 4180, \\n, empty for missing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv_bytes(rows: list[dict[str, Any]], fields: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows([cell(row.get(f)) for f in fields] for row in rows)
    return buffer.getvalue().encode("utf-8")
