"""Work shared with other processes (curated files read by worker processes, the coverage audit in
a second process beside the checks): the same published bytes, and the same one-line error, as when
the build's own process does it all."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from aoav_build import background, build, records
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


def _one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], run: Callable[[Path, bool], int], edit: tuple[str, str, str]
) -> str:
    """The error of a project with one file edited (`edit`: the file, the text replaced, its
    replacement), built alone and shared (`run(root, shared)`): the same one line, and nothing
    published, either way."""
    rel, old, new = edit
    errors = []
    for shared in (False, True):
        root = make_project(tmp_path / f"shared-{shared}", REPORTS)
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
        assert run(root, shared) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err and not (root / "csv").exists()
        errors.append(err.replace(str(root), "ROOT"))
    assert errors[0] == errors[1]
    return errors[0]


def test_an_error_found_in_a_worker_is_the_same_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    error = _one_error(
        tmp_path, capsys, lambda root, shared: _build(root, shared, monkeypatch), (BAD, "killed: 17\n", "killed: -17\n")
    )
    assert f"build failed: ROOT/{BAD}: record 'marrakesh-argana-cafe-2011{suffix(2)}', field 'killed':" in error


def _audited(root: Path, separate: bool, monkeypatch: pytest.MonkeyPatch) -> int:
    """Build with the coverage audit in a second process (`separate`) or in the build's own."""
    monkeypatch.setattr(build, "BACKGROUND_SOURCES", 1 if separate else 10**9)
    monkeypatch.setattr(background.os, "cpu_count", lambda: 2)  # a core to spare, on any machine
    started: list[int] = []
    start = background.Background._start

    def counted(self: background.Background[Any]) -> None:
        started.append(1)
        start(self)

    monkeypatch.setattr(background.Background, "_start", counted)
    code = main(["--root", str(root), "--no-cache", "--no-site"])
    assert bool(started) == separate  # a second process was started exactly when asked
    return code


def test_the_audit_in_a_second_process_publishes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, separate = make_project(tmp_path / "here", REPORTS), make_project(tmp_path / "separate", REPORTS)
    assert _audited(here, False, monkeypatch) == 0
    assert _audited(separate, True, monkeypatch) == 0
    published = snapshot(here)
    assert b'"coverage"' in published["datapackage.json"] and published == snapshot(separate)


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="the dying stand-in is handed over by fork, not pickled"
)
def test_an_audit_that_dies_is_done_again_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, dying = make_project(tmp_path / "here", REPORTS), make_project(tmp_path / "dying", REPORTS)
    assert _audited(here, False, monkeypatch) == 0
    monkeypatch.setattr(background, "_run", lambda *args: os._exit(9))  # killed before it could answer
    assert _audited(dying, True, monkeypatch) == 0
    assert snapshot(here) == snapshot(dying)


def test_an_error_of_the_audit_in_a_second_process_is_the_same_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    exclusions = "curation/coverage-exclusions.yaml"
    error = _one_error(
        tmp_path, capsys, lambda root, shared: _audited(root, shared, monkeypatch), (exclusions, "reason:", "why:")
    )
    assert f"build failed: ROOT/{exclusions}" in error, error


def test_a_project_without_errata_is_audited_in_a_second_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table with no rows at all (no errata) is an empty table to the audit, not a missing one."""
    root = make_project(tmp_path / "no-errata", 1)
    errata = root / "curation" / "aoav-morocco-2018" / "errata.yaml"
    errata.write_text("[]\n", encoding="utf-8")
    code = _audited(root, True, monkeypatch)
    assert code in (0, 1)  # an erratum named elsewhere is now dangling: one line, never a traceback
