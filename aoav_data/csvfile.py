"""The one CSV writer of the project (the build's tables, `aoav-data show --format csv`): UTF-8, RFC 4180,
\\n line ends, empty for missing, a lone carriage return quoted."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

# RFC 4180 quotes a field holding a comma, a quote or a line break. Python's csv module does not
# quote a lone carriage return when lines end in \n, and readers then split the row there.
_NEEDS_QUOTES = (",", '"', "\n", "\r")
CHUNK_ROWS = 16_384


def cell(value: Any) -> str:
    if type(value) is str:  # most cells: first, and without the isinstance chain
        return value
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _quoted(text: str) -> str:
    # _NEEDS_QUOTES spelled out: four substring tests are several times faster than any() over them
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


_TEXT, _MISSING_OR_TEXT, _MISSING_OR_WHOLE = {str}, {str, type(None)}, {int, type(None)}


def _column(rows: list[dict[str, Any]], name: str) -> list[str]:
    """One column's cells as CSV text: column by column, so that a column with nothing to quote (most
    of them) is settled by one substring test over all its cells rather than four tests per cell,
    and a column of one or two kinds of value (most of them) is turned into text in one pass that
    tests no cell's type."""
    values: list[Any] = [row.get(name) for row in rows]
    kinds = set(map(type, values))  # exact types: a bool is not an int here, nor a subclass of str a str
    cells: list[str]
    if kinds <= _TEXT:
        cells = values
    elif kinds <= _MISSING_OR_TEXT:
        cells = [v or "" for v in values]  # None and "" alike are an empty cell
    elif kinds <= _MISSING_OR_WHOLE:
        cells = ["" if v is None else str(v) for v in values]
    else:
        cells = [v if type(v) is str else cell(v) for v in values]
    joined = "".join(cells)
    if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
        return [_quoted(text) for text in cells]
    return cells


def to_csv_bytes(rows: list[dict[str, Any]], fields: list[str]) -> bytes:
    # In chunks of rows, so that a long table is held as text only a chunk at a time beside its bytes;
    # into one growing buffer, whose value is taken without a copy (joining the chunks' bytes would
    # hold the table's bytes twice).
    out = io.BytesIO()
    out.write((",".join(_quoted(f) for f in fields) + "\n").encode("utf-8"))
    for at in range(0, len(rows), CHUNK_ROWS):
        columns = [_column(rows[at : at + CHUNK_ROWS], f) for f in fields]
        out.write(("\n".join(map(",".join, zip(*columns, strict=True))) + "\n").encode("utf-8"))
    return out.getvalue()
