"""The cell engine's reading of descriptor patterns: RE2, with Python's Unicode \\s (as frictionless
reads it) and ASCII digits."""

from __future__ import annotations

import re
import sys

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from aoav_data.cells import SPACE, field_findings, re2_pattern

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
