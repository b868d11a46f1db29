"""The site's data files (aoav_data.site_files): the batched hash that places an index's values in buckets,
and a table read as text a pass at a time."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aoav_data import site_files
from aoav_data.errors import DataError
from aoav_data.site import site_data


@given(st.lists(st.text(max_size=40), max_size=30), st.integers(min_value=1, max_value=7))
def test_the_batched_hash_is_fnv1a_of_each_value(texts: list[str], batch: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_files, "HASH_BATCH", batch)  # values split across batches of unequal lengths
        assert site_files.fnv1a_many(texts) == [site_files.fnv1a(t) for t in texts]


def test_fnv1a_hashes_utf16_code_units_as_app_js_does() -> None:
    # FNV-1a over 16-bit units: "" is the offset basis; a character beyond the BMP is two surrogates.
    assert site_files.fnv1a_many(["", "a", "😀"]) == [0x811C9DC5, site_files.fnv1a("a"), site_files.fnv1a("😀")]
    h = 0x811C9DC5
    for unit in (0xD83D, 0xDE00):
        h = ((h ^ unit) * 0x01000193) % 2**32
    assert site_files.fnv1a("😀") == h


def _republish(repo: Path, table: str, text: str) -> None:
    """`text` as the table's CSV, with the size and hash datapackage.json records for it."""
    (repo / "csv" / f"{table}.csv").write_text(text, encoding="utf-8", newline="")
    descriptor_file = repo / "datapackage.json"
    package = json.loads(descriptor_file.read_text(encoding="utf-8"))
    data = text.encode("utf-8")
    for res in package["resources"]:
        if res["name"] == table:
            res.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    descriptor_file.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.fixture
def published(repo: Path, runtime_at: Callable[[Path], None]) -> Path:
    runtime_at(repo)
    return repo


def test_a_table_is_read_as_csv_dictreader_reads_it_blank_lines_skipped(published: Path) -> None:
    text = (published / "csv" / "claims.csv").read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    _republish(published, "claims", f"{header}\n\n{first}\n\n{rest}")  # blank lines; its cells with line breaks stay
    table = site_data()["tables"]["claims"]
    expected = [[row[c] for c in table.columns] for row in csv.DictReader(io.StringIO(text, newline=""))]
    assert list(table.rows()) == expected and list(table.rows()) == expected  # each call a new pass


def test_a_row_with_a_cell_too_many_is_refused(published: Path) -> None:
    text = (published / "csv" / "claims.csv").read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    _republish(published, "claims", f"{header}\n{first},extra\n{rest}")
    with pytest.raises(DataError, match="line 2 has 10 cells, the header 9"):
        list(site_data()["tables"]["claims"].rows())
