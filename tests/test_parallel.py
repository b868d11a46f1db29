"""Curated files read by worker processes: the same published bytes, and the same one-line error,
as when they are read one after another in the build's own process."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from aoav_build import records
from aoav_build.build import main
from conftest import snapshot

from benchmarks.reports import make_project, suffix

REPORTS = 3
BAD = f"curation/aoav-morocco-2018{suffix(2)}/incidents.yaml"  # a file of the last report


def _build(root: Path, workers: bool, monkeypatch: pytest.MonkeyPatch) -> int:
    # One file per worker is enough to share them; a threshold no project reaches reads them here.
    monkeypatch.setattr(records, "PARALLEL_FILES", 1 if workers else 10**9)
    monkeypatch.setattr(records.os, "cpu_count", lambda: 2)  # two workers, on any machine
    pools: list[int] = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(records, "ProcessPoolExecutor", Counted)
    code = main(["--root", str(root), "--no-cache", "--no-site"])
    assert bool(pools) == workers  # the files were shared among processes exactly when asked
    return code


def test_worker_processes_publish_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, shared = make_project(tmp_path / "here", REPORTS), make_project(tmp_path / "shared", REPORTS)
    assert _build(here, False, monkeypatch) == 0
    assert _build(shared, True, monkeypatch) == 0
    published = snapshot(here)
    assert len(published) > 10 and published == snapshot(shared)


def test_an_error_found_in_a_worker_is_the_same_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = []
    for workers in (False, True):
        root = make_project(tmp_path / f"workers-{workers}", REPORTS)
        path = root / BAD
        path.write_text(path.read_text(encoding="utf-8").replace("killed: 17\n", "killed: -17\n", 1), encoding="utf-8")
        assert _build(root, workers, monkeypatch) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and not (root / "csv").exists()
        errors.append(err.replace(str(root), "ROOT"))
    assert errors[0] == errors[1]
    assert f"build failed: ROOT/{BAD}: record 'marrakesh-argana-cafe-2011{suffix(2)}', field 'killed':" in errors[0]
