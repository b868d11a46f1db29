"""The cell engine's reading of descriptor patterns: RE2, with Python's Unicode \\s (as frictionless
reads it) and ASCII digits."""

from __future__ import annotations

import re
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aoav_data.cells import CONTROL, SPACE, _control, _formula_like, _padded, field_findings, re2_pattern

URL = r"^https?://[^/\s]+/\S*$"


def test_space_is_exactly_pythons_white_space() -> None:
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    ours = pc.match_substring_regex(pa.array(chars), f"^[{SPACE}]$").to_pylist()
    assert [c for c, hit in zip(chars, ours, strict=True) if hit != bool(re.fullmatch(r"\s", c))] == []


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (URL, r"^https?://[^/" + SPACE + r"]+/[^" + SPACE + r"]*$"),
        (r"^\d{4}$", r"^\d{4}$"),  # \d stays RE2's ASCII digit
        (r"[]\s]", "[]" + SPACE + "]"),  # a ] first in a class is a literal
        (r"a\\s", r"a\\s"),  # an escaped backslash, then the letter s
    ],
)
def test_patterns_are_rewritten_for_white_space_only(pattern: str, expected: str) -> None:
    assert re2_pattern(pattern) == expected


@pytest.mark.parametrize(
    "value",
    ["https://a.example/b", "https://a.example/b\u00a0c", "https://a\u2003b/c", "https://a.example/\u3000"],
)
def test_a_pattern_refuses_what_python_refuses(value: str) -> None:
    spec = {"name": "url", "type": "string", "constraints": {"pattern": URL}}
    refused = any("does not match" in m for _, _, m in field_findings(pa.chunked_array([[value]]), spec))
    assert refused == (re.fullmatch(URL, value) is None)


def test_digits_are_ascii_even_where_python_reads_others() -> None:
    spec = {"name": "day", "type": "string", "constraints": {"pattern": r"^\d{4}-\d{2}-\d{2}$"}}
    assert field_findings(pa.chunked_array([["\u0662\u0660\u0662\u0666-11-25", "2026-11-25"]]), spec) == [
        (0, "day", r"does not match ^\d{4}-\d{2}-\d{2}$")
    ]


# Characters around every byte boundary the prefilters look at: controls, C1 (0xC2 0x80..0x9F) and
# the characters beside it, Unicode white space, formula starts, numbers and plain text.
CELL_CHARS = st.sampled_from(
    ["a", "Z", "0", "9", ".", "e", " ", "\t", "\n", "\r", "\x00", "\x1b", "\x1f", "\x7f", "\x80", "\x9f", "\xa0",
     "\xa9", "\x85", "\u2003", "\u3000", "\u200b", "=", "+", "-", "@", "é", "’", "😀"]
)  # fmt: skip
CELLS = st.lists(st.none() | st.text(CELL_CHARS, min_size=1, max_size=6), max_size=12)


@given(st.lists(CELLS, min_size=1, max_size=4), st.integers(0, 3))
def test_checks_settled_by_bytes_agree_with_the_kernel_on_every_cell(chunks: list[list[str | None]], cut: int) -> None:
    """Each byte prefilter names every cell its exact kernel would flag (chunks, one sliced)."""
    arrays = [pa.array(c, pa.string()) for c in chunks]
    arrays[0] = arrays[0].slice(min(cut, len(arrays[0])))  # a chunk whose offsets do not start at 0
    text = pa.chunked_array(arrays, pa.string())
    exact = {
        _control: pc.match_substring_regex(text, CONTROL),
        _padded: pc.not_equal(pc.utf8_trim_whitespace(text), text),
        _formula_like: pc.and_(
            pc.is_in(pc.utf8_slice_codeunits(text, 0, 1), value_set=pa.array(["=", "+", "-", "@"])),
            pc.invert(pc.match_substring_regex(text, r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")),
        ),
    }
    for check, expected in exact.items():
        assert check(text).to_pylist() == pc.fill_null(expected, False).to_pylist(), check.__name__
