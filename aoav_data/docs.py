"""Docstrings of the table loaders, from datapackage.json: what help(aoav_data.incidents) shows."""

from __future__ import annotations

import textwrap

from .descriptor import resource

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "date": "datetime64[ms]"}
SHOWN_VALUES = 12  # a longer vocabulary is counted, not listed


def column_line(spec: dict[str, Any]) -> str:
    """`name : dtype, required, unique` and the vocabulary, as help() shows a column."""
    constraints = spec.get("constraints", {})
    enum = constraints.get("enum")
    kind = "category" if enum is not None else DTYPES.get(spec["type"], "string")
    notes = [n for n in ("required", "unique") if constraints.get(n)]
    if "minimum" in constraints or "maximum" in constraints:
        notes.append(f"{constraints.get('minimum', '')}..{constraints.get('maximum', '')}")
    head = ", ".join([f"{spec['name']} : {kind}", *notes])
    if enum is not None:
        values = ", ".join(enum[:SHOWN_VALUES]) + (f", ... ({len(enum)} values)" if len(enum) > SHOWN_VALUES else "")
        head += f"; one of {values}"
    return head


def loader_doc(table: str) -> str:
    """The loader's docstring: the table's description, what it returns, and every column."""
    res = resource(table)
    schema = res["schema"]
    lines = [
        str(res.get("title", table)) + ".",
        "",
        *textwrap.wrap(str(res.get("description", "")), 88),
        "",
        f"Returns {res['path']} as a typed pandas DataFrame (dates as datetime64[ms], counts as",
        "nullable Int64, vocabularies as categoricals holding the whole vocabulary), after checking",
        "the file's size and SHA-256 against datapackage.json: IntegrityError when they differ.",
        f"Primary key: {', '.join(schema['primaryKey'])}.",
        "",
        "Columns (from datapackage.json):",
    ]
    for spec in schema["fields"]:
        lines.append("  " + column_line(spec))
        lines += textwrap.wrap(str(spec.get("description", "")), 88, initial_indent=" " * 6, subsequent_indent=" " * 6)
    return "\n".join(lines)
