"""The site's data files (aoav_data.site_files): the batched hash that places an index's values in buckets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aoav_data import site_files


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
