"""Vectorised checks of cells against their descriptor fields (types, patterns, vocabularies, bounds,
uniqueness): the engine behind validate(), and so behind the build's check of what it publishes.

Every column is read as text by Arrow, converted to its declared type once for the whole column,
and checked with Arrow compute kernels; only the cells that fail are turned into Python values to
be reported by record and field. No row loops, so validation grows linearly with the data.

The text checks that would otherwise run a regular expression, a character count or a trim on every
cell (control characters, the longest cell, formula-like text, white space at either end) first look
at the bytes of each column chunk as one NumPy array: only the cells with a suspicious byte, enough
bytes, a formula character first, or a first or last byte that is not printable ASCII are then
checked by the exact kernel, and every other cell is settled by its bytes.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

BLOCK_SIZE = 1 << 23
UNIQUE = "is not unique"
FORMULA_START = pa.array(["=", "+", "-", "@"])
# Python's csv module (and so frictionless) refuses longer cells by default.
MAX_CELL = 131_072
# C0 and C1 controls but tab, line feed and carriage return: they would drive a user's terminal.
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
Finding = tuple[int, "str | None", str]  # (row position, field or None for the whole row, message)
_FORMULA_BYTES = np.zeros(256, dtype=bool)
_FORMULA_BYTES[[ord(c) for c in "=+-@"]] = True
# Tables at least this long have their columns checked by a thread each (Arrow and NumPy release the GIL).
PARALLEL_ROWS = 100_000


def read_text_table(data: bytes) -> pa.Table:
    """Every cell of a CSV as text; an empty cell is missing (null). `data` may be any object with
    bytes' find and slicing that exposes a buffer (an mmap), which is parsed without a copy."""
    import csv

    names = next(csv.reader([data[: data.find(b"\n")].decode("utf-8")]), [])
    options = pv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True, quoted_strings_can_be_null=True
    )
    # Large blocks: each compute kernel below pays a fixed cost per chunk, which at the default
    # 1 MiB block size outweighs the work itself (513 chunks for 500 MB: 0.21 s per is_in, not 0.006 s).
    # A blank line is a row of empty cells (as frictionless reads it), not skipped: its required cells are missing.
    # Quoted cells may hold line breaks (evidence quotes do): without newlines_in_values, a table
    # larger than one block fails ("CSV parser got out of sync with chunker").
    return pv.read_csv(
        pa.BufferReader(pa.py_buffer(data)),
        read_options=pv.ReadOptions(block_size=BLOCK_SIZE),
        parse_options=pv.ParseOptions(ignore_empty_lines=False, newlines_in_values=True),
        convert_options=options,
    )


SHOWN = 300  # characters of a bad value a message quotes: a 131,073-character cell is not repeated


def shown(value: str | None) -> str:
    """A bad cell as messages quote it, followed by a space; nothing for a missing one."""
    if value is None:
        return ""
    return f"{value[:SHOWN]!r}{'...' if len(value) > SHOWN else ''} "


def rows_where(mask: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Row positions where a boolean array is true (null counts as false)."""
    return np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))


def duplicated(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    """True on every row whose non-null value occurs more than once (all copies, as pandas keep=False)."""
    counts = pc.value_counts(values)  # one hash pass settles the common case: no value repeats
    repeated = counts.field("values").filter(
        pc.and_(pc.greater(counts.field("counts"), 1), pc.is_valid(counts.field("values")))
    )
    if len(repeated) == 0:
        return pa.array(np.zeros(len(values), dtype=bool))
    return pc.and_(pc.is_in(values, value_set=repeated), pc.is_valid(values))


def _chunks(text: pa.ChunkedArray | pa.Array) -> list[pa.Array]:
    return list(text.chunks) if isinstance(text, pa.ChunkedArray) else [text]


def _layout(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string chunk's cell offsets (one more than its cells, into its bytes) and its bytes, as NumPy views."""
    _, offsets, data = chunk.buffers()[:3]
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    at = np.frombuffer(offsets, dtype=kind, count=len(chunk) + 1, offset=chunk.offset * np.dtype(kind).itemsize)
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return at, data


def _by_cell(text: pa.ChunkedArray | pa.Array, suspects: Any, cellwise: Any) -> pa.ChunkedArray:
    """A boolean mask per chunk: `cellwise` run only on the cells that `suspects(offsets, bytes)`
    names (their positions in the chunk), every other cell false. `suspects` must name every cell
    that can match: it looks at bytes only, `cellwise` decides."""
    masks = []
    for chunk in _chunks(text):
        mask = np.zeros(len(chunk), dtype=bool)
        rows = suspects(*_layout(chunk)) if len(chunk) else np.zeros(0, dtype=np.int64)
        if len(rows):
            hits = pc.fill_null(cellwise(chunk.take(pa.array(rows))), False).to_numpy(zero_copy_only=False)
            mask[rows[hits]] = True
        masks.append(pa.array(mask))
    return pa.chunked_array(masks, type=pa.bool_())


def _cells_at(at: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The cells (positions in the chunk) holding the given byte positions (into the chunk's bytes)."""
    return np.unique(np.searchsorted(at, positions, side="right") - 1)


def _filled(at: np.ndarray) -> np.ndarray:
    """The cells that are not empty (a missing cell has no bytes)."""
    return np.flatnonzero(np.diff(at))


def _control_suspects(at: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Cells with a byte that starts a control character in UTF-8. Comparisons, not a lookup table:
    NumPy runs them as vector instructions, several times faster over a column's bytes."""
    cells = data[at[0] : at[-1]]
    low = np.flatnonzero(cells < 0x20)
    low = low[(cells[low] != 0x09) & (cells[low] != 0x0A) & (cells[low] != 0x0D)]  # tab, LF and CR are text
    lead = np.flatnonzero(cells == 0xC2)  # U+0080..U+00BF: a control only below U+00A0
    lead = lead[cells[np.minimum(lead + 1, len(cells) - 1)] < 0xA0]
    return _cells_at(at, at[0] + np.concatenate([low, np.flatnonzero(cells == 0x7F), lead]))


def _control(text: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    return _by_cell(text, _control_suspects, lambda cells: pc.match_substring_regex(cells, CONTROL))


def _too_long(text: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Longer than MAX_CELL characters; only a cell of more than MAX_CELL bytes can be."""
    return _by_cell(
        text,
        lambda at, _: np.flatnonzero(np.diff(at) > MAX_CELL),
        lambda cells: pc.greater(pc.utf8_length(cells), MAX_CELL),
    )


def _space_suspects(at: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Cells whose first or last byte is not printable ASCII: only they can start or end with white
    space (ASCII's is below 0x21; every byte of any other character is above 0x7F)."""
    filled = _filled(at)
    first, last = data[at[filled]], data[at[filled + 1] - 1]
    suspects: np.ndarray = filled[(first < 0x21) | (first > 0x7E) | (last < 0x21) | (last > 0x7E)]
    return suspects


def _padded(text: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Leading or trailing Unicode white space, as Python's str.strip() sees it."""
    return _by_cell(text, _space_suspects, lambda cells: pc.not_equal(pc.utf8_trim_whitespace(cells), cells))


def is_in(values: pa.ChunkedArray | pa.Array, allowed: pa.ChunkedArray | pa.Array | list[str]) -> Any:
    """Whether each value is one of `allowed` (a null value is, if `allowed` holds a null).

    Building the hash set of a long column costs far more than looking values up in it, so the
    set is built from the shorter side: a few references into a million keys look those keys up
    in a set of the distinct references, then the references in the keys that answered."""
    if isinstance(allowed, list):
        return pc.is_in(values, value_set=pa.array(allowed, type=pa.string()))
    if len(values) < len(allowed):
        allowed = pc.unique(allowed.filter(pc.is_in(allowed, value_set=pc.unique(values))))
    return pc.is_in(values, value_set=allowed)  # a value set may repeat values


# Strict, ASCII-only number syntax: no leading zeros (017 is not 17), no sign but minus, no digit
# separators, no inf or nan, and integers that fit in 64 bits (at most 18 digits).
INTEGER = r"^-?(0|[1-9][0-9]{0,17})$"
NUMBER = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$"


def _numbers(text: pa.ChunkedArray, kind: str) -> tuple[pa.ChunkedArray, Any, str]:
    """The column as int64 or float64, and the cells that are not written strictly as one."""
    integer = kind == "integer"
    written = pc.fill_null(pc.match_substring_regex(text, INTEGER if integer else NUMBER), True)
    bad = pc.invert(written)
    typed = pc.cast(pc.if_else(bad, None, text), pa.int64() if integer else pa.float64())
    if not integer:  # 1e999 is written like a number but is infinite
        infinite = pc.fill_null(pc.is_inf(typed), False)
        bad, typed = pc.or_(bad, infinite), pc.if_else(infinite, None, typed)
    message = "is not an integer (ASCII digits, no leading zeros, 64 bits)" if integer else "is not a decimal number"
    return typed, bad, message


def _dates(text: pa.ChunkedArray) -> tuple[pa.ChunkedArray, Any, str]:
    """YYYY-MM-DD dates. strptime rolls impossible days over (2021-02-30 becomes 2021-03-02), so the
    parsed day must also equal the day written."""
    shaped = pc.if_else(pc.match_substring_regex(text, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), text, None)
    parsed = pc.strptime(shaped, format="%Y-%m-%d", unit="ms", error_is_null=True)
    written_day = pc.cast(pc.utf8_slice_codeunits(shaped, 8, 10), pa.int64())
    same = pc.equal(pc.day(parsed), written_day)
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.fill_null(same, False)))
    return pc.if_else(bad, None, parsed), bad, "is not a date (YYYY-MM-DD)"


def _converted(text: pa.ChunkedArray, kind: str) -> tuple[pa.ChunkedArray, Any, str]:
    if kind in {"integer", "number"}:
        return _numbers(text, kind)
    if kind == "date":
        return _dates(text)
    return text, None, ""


# Python's re (and so frictionless) reads \s as any Unicode white space, RE2 as ASCII's only: a URL
# holding a no-break space would pass ^https?://[^/\s]+/\S*$ here and fail there. This class is
# exactly Python's \s (checked over every code point in the tests). \d stays ASCII: digits are.
SPACE = r"\t-\r\x1c-\x20\x85\p{Z}"


def re2_pattern(pattern: str) -> str:
    """A descriptor pattern for RE2, with \\s and \\S meaning Unicode white space as in Python."""
    out, at, in_class = [], 0, False
    while at < len(pattern):
        token = pattern[at : at + 2] if pattern[at] == "\\" else pattern[at]
        at += len(token)
        if token == "\\s":
            token = SPACE if in_class else f"[{SPACE}]"
        elif token == "\\S" and not in_class:  # in a class RE2 keeps its ASCII \S: no pattern here has one
            token = f"[^{SPACE}]"
        elif token == "[" and not in_class:
            in_class = True
            head = "^" if pattern[at : at + 1] == "^" else ""
            if pattern[at + len(head) : at + len(head) + 1] == "]":  # a ] first in a class is a literal
                head += "]"
            token, at = token + head, at + len(head)
        elif token == "]" and in_class:
            in_class = False
        out.append(token)
    return "".join(out)


def field_findings(text: pa.ChunkedArray, spec: dict[str, Any]) -> list[Finding]:
    """Check one column of text against its field descriptor: what is wrong, and where."""
    return field_checks(text, spec)[0]


def field_checks(text: pa.ChunkedArray, spec: dict[str, Any]) -> tuple[list[Finding], pa.ChunkedArray]:
    """field_findings(), and the column in its declared type (null where it is not written in it)."""
    name, constraints, present = spec["name"], spec.get("constraints", {}), pc.is_valid(text)
    typed, bad_type, type_message = _converted(text, spec["type"])
    findings: list[Finding] = [] if bad_type is None else [(int(i), name, type_message) for i in rows_where(bad_type)]
    checks: list[tuple[Any, str]] = []
    if constraints.get("required"):
        checks.append((pc.invert(present), "is required"))
    if "enum" in constraints:
        outside = pc.and_(present, pc.invert(is_in(text, constraints["enum"])))
        checks.append((outside, _not_in_vocabulary(constraints["enum"])))
    if "pattern" in constraints:
        checks.append(
            (
                pc.invert(pc.match_substring_regex(text, re2_pattern(constraints["pattern"]))),
                f"does not match {constraints['pattern']}",
            )
        )
    if spec["type"] in {"integer", "number"}:
        if "minimum" in constraints:
            checks.append((pc.less(typed, constraints["minimum"]), f"is below the minimum {constraints['minimum']}"))
        if "maximum" in constraints:
            checks.append((pc.greater(typed, constraints["maximum"]), f"is above the maximum {constraints['maximum']}"))
    if constraints.get("unique"):
        checks.append((duplicated(text), UNIQUE))
    if spec["type"] == "string":
        checks.append((_formula_like(text), "would run as a formula in a spreadsheet"))
        checks.append((_too_long(text), f"is longer than {MAX_CELL:,} characters"))
        checks.append((_control(text), "holds a control character (an escape sequence?)"))
        # A padded id or quote never matches its twin.
        checks.append((_padded(text), "has leading or trailing white space"))
    for mask, message in checks:
        findings += [(int(i), name, message) for i in rows_where(mask)]
    return findings, typed


SHOWN_VALUES = 20  # a longer vocabulary (ISO 3166) is counted, not listed


def _not_in_vocabulary(enum: list[str]) -> str:
    """Say what the vocabulary holds, so that the message says how to fix the value."""
    if len(enum) > SHOWN_VALUES:
        return f"is not in the vocabulary (one of {len(enum)} values)"
    return f"is not in the vocabulary: {', '.join(enum)}"


def _formula_suspects(at: np.ndarray, data: np.ndarray) -> np.ndarray:
    filled = _filled(at)
    suspects: np.ndarray = filled[_FORMULA_BYTES[data[at[filled]]]]  # by the first byte of each cell
    return suspects


def _formula_cells(text: pa.Array) -> Any:
    starts = pc.is_in(pc.utf8_slice_codeunits(text, 0, 1), value_set=FORMULA_START)
    number = pc.match_substring_regex(text, r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
    return pc.and_(starts, pc.invert(number))


def _formula_like(text: pa.ChunkedArray) -> Any:
    """Text a spreadsheet would run as a formula: =, +, - or @ first, and not a number."""
    return _by_cell(text, _formula_suspects, _formula_cells)


def table_findings(text: pa.Table, fields: list[dict[str, Any]]) -> list[Finding]:
    """Every column of a table checked: what is wrong, and where (in the order of the fields)."""
    return table_checks(text, fields)[0]


def table_checks(text: pa.Table, fields: list[dict[str, Any]]) -> tuple[list[Finding], dict[str, pa.ChunkedArray]]:
    """table_findings(), and every integer column in its type, for the rules that compare counts.
    A long table's columns are checked in threads, one per core."""

    def check(spec: dict[str, Any]) -> tuple[list[Finding], pa.ChunkedArray]:
        return field_checks(text.column(spec["name"]), spec)

    if text.num_rows < PARALLEL_ROWS or (os.cpu_count() or 1) < 2:
        done = [check(spec) for spec in fields]
    else:
        with ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
            done = list(pool.map(check, fields))
    findings = [finding for found, _ in done for finding in found]
    return findings, {
        spec["name"]: typed for spec, (_, typed) in zip(fields, done, strict=True) if spec["type"] == "integer"
    }
