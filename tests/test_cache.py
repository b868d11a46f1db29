"""The build cache gives byte for byte what a build without it gives, after edits, additions and
deletions of records and of whole reports; a damaged or edited entry is never used."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from aoav_build import build as build_module
from aoav_build.build import build, produce
from aoav_build.cache import FOLDER, RecordCache
from aoav_build.yamlio import load_yaml
from conftest import ROOT

from benchmarks.reports import REPORT, _copy_report, _defined_ids, _dump, make_project, suffix

SECOND = REPORT + suffix(1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", 3)


@pytest.fixture
def caches(monkeypatch: pytest.MonkeyPatch) -> list[RecordCache]:
    """Every RecordCache the build makes, to see which files it read afresh."""
    made: list[RecordCache] = []

    class Watched(RecordCache):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(build_module, "RecordCache", Watched)
    return made


def _same_as_without_cache(root: Path, caches: list[RecordCache]) -> list[str]:
    """Build with the cache, prove it equals a build without; the curated files read afresh."""
    cached = produce(root, use_cache=True)
    assert cached == produce(root, use_cache=False)
    return sorted(Path(f).relative_to(root).as_posix() for f in caches[-1].read)


def _edit(path: Path, change: Any) -> None:
    data = load_yaml(path)
    change(data)
    _dump(data, path)


def test_cached_builds_equal_full_builds_through_edits(project: Path, caches: list[RecordCache]) -> None:
    statistics = project / "curation" / SECOND / "statistics.yaml"
    assert len(_same_as_without_cache(project, caches)) > 20  # the first build reads everything
    assert _same_as_without_cache(project, caches) == []  # the second reads nothing again

    _edit(statistics, lambda rows: rows[0].update(summary=rows[0]["summary"] + " Edited."))
    assert _same_as_without_cache(project, caches) == [f"curation/{SECOND}/statistics.yaml"]

    _edit(statistics, lambda rows: rows.append({**rows[0], "statistic_id": rows[0]["statistic_id"] + "-added"}))
    assert _same_as_without_cache(project, caches) == [f"curation/{SECOND}/statistics.yaml"]

    _edit(statistics, lambda rows: rows.pop(0))
    assert _same_as_without_cache(project, caches) == [f"curation/{SECOND}/statistics.yaml"]

    # a claim edited: exactly the files whose evidence uses it are read again
    claims = project / "curation" / "references" / "claims.yaml"
    used = "work-mwn-341-thwarted"
    _edit(claims, lambda rows: [r.update(gloss="edited") for r in rows if r["claim_id"] == used])
    read = _same_as_without_cache(project, caches)
    assert "curation/references/claims.yaml" in read
    assert {f"curation/{REPORT}{suffix(n)}/statistics.yaml" for n in (1, 2)} <= set(read)
    assert f"curation/{SECOND}/incidents.yaml" not in read


def test_cached_builds_equal_full_builds_as_reports_come_and_go(project: Path, caches: list[RecordCache]) -> None:
    _same_as_without_cache(project, caches)
    _copy_report(project, 3, _defined_ids(ROOT / "curation" / REPORT))
    exclusions = project / "curation" / "coverage-exclusions.yaml"
    _edit(exclusions, lambda rules: rules.update({REPORT + suffix(3): rules[REPORT]}))
    read = _same_as_without_cache(project, caches)
    assert read and all(f.startswith(f"curation/{REPORT}{suffix(3)}/") for f in read)  # only the new report

    for part in ("curation", "sources"):
        shutil.rmtree(project / part / SECOND)
    _edit(exclusions, lambda rules: rules.pop(SECOND))
    assert _same_as_without_cache(project, caches) == []

    # the stored article of a report re-pinned: that report's files are checked again, no other
    source = project / "sources" / (REPORT + suffix(2))
    (text,) = source.glob("*.txt")
    text.write_bytes(text.read_bytes() + b"\n")
    _edit(
        source / "source.yaml",
        lambda meta: meta.update(sha256=__import__("hashlib").sha256(text.read_bytes()).hexdigest()),
    )
    read = _same_as_without_cache(project, caches)
    assert read and all(f.startswith(f"curation/{REPORT}{suffix(2)}/") for f in read)


DAMAGE = {
    "truncated": lambda b: b[: len(b) // 2],
    "empty": lambda b: b"",
    "byte-flipped": lambda b: b[:-10] + bytes([b[-10] ^ 1]) + b[-9:],
    "garbage": lambda b: b"\x00\xff" * 100,
    "old-format": lambda b: b.replace(b"aoav-build-cache 1", b"aoav-build-cache 0", 1),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_entry_is_discarded(
    repo: Path, damage: str, caches: list[RecordCache], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = produce(repo, use_cache=False)
    assert build(repo, check=True) == []
    entries = sorted((repo / FOLDER).glob("*/*/*"))  # the records of each file, the coverage of each source
    assert {e.parent.parent.name for e in entries} == {"records", "coverage"}
    for entry in entries:
        entry.write_bytes(DAMAGE[damage](entry.read_bytes()))
    assert produce(repo, use_cache=True) == expected
    assert len(caches[-1].read) == len(list((repo / FOLDER).glob("records/*/*")))  # every file read afresh
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if damage != "old-format":
        assert "build cache: discarded a damaged entry" in err
    assert build(repo, check=True) == []


def test_an_entry_under_another_files_key_is_not_used(repo: Path, caches: list[RecordCache]) -> None:
    expected = produce(repo, use_cache=False)
    produce(repo, use_cache=True)
    entries = sorted((repo / FOLDER).glob("records/*/*"))
    blobs = [entry.read_bytes() for entry in entries]
    for entry, blob in zip(entries, blobs[1:] + blobs[:1], strict=True):  # each holds its neighbour's entry
        entry.write_bytes(blob)
    assert produce(repo, use_cache=True) == expected
    assert len(caches[-1].read) == len(entries)


def test_a_cache_that_cannot_be_written_only_slows_the_build(repo: Path) -> None:
    (repo / FOLDER).write_text("not a folder")
    assert build(repo, check=True) == []
