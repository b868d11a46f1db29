"""The build: deterministic, drift-checked, refusing bad input without touching the published files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from aoav_build.build import build, main
from aoav_build.errors import CurationError
from conftest import ROOT, copy_repo, snapshot

ARTICLE = "curation/aoav-morocco-2018"


def test_committed_files_equal_a_fresh_build(repo: Path) -> None:
    assert build(repo, check=True) == []


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = copy_repo(tmp_path / "a"), copy_repo(tmp_path / "b")
    for root in (first, second):
        for csv in (root / "csv").glob("*.csv"):
            csv.unlink()
        build(root)
    assert snapshot(first) == snapshot(second)
    assert snapshot(first) == snapshot(ROOT)


def test_hand_edit_to_a_csv_is_drift(repo: Path) -> None:
    path = repo / "csv" / "incidents.csv"
    path.write_bytes(path.read_bytes().replace(b"130", b"131", 1))
    assert build(repo, check=True) == ["csv/incidents.csv: differs from what the records produce"]


def test_stray_and_missing_files_are_drift(repo: Path) -> None:
    (repo / "csv" / "extra.csv").write_text("a\n1\n")
    (repo / "csv" / "errata.csv").unlink()
    drift = build(repo, check=True)
    assert "csv/extra.csv: not produced by the build" in drift
    assert "csv/errata.csv: missing" in drift


def test_check_mode_exits_non_zero_and_names_the_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "datapackage.json").write_text("{}\n")
    assert main(["--root", str(repo), "--check"]) == 1
    assert "datapackage.json" in capsys.readouterr().err


def test_build_repairs_drift(repo: Path) -> None:
    (repo / "csv" / "actors.csv").write_text("tampered\n")
    build(repo)
    assert snapshot(repo) == snapshot(ROOT)


def test_frictionless_cli_finds_the_package_valid() -> None:
    exe = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(exe), "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "INVALID" not in result.stdout


# Bad input of every kind, and the promise that it publishes nothing: tests/test_corruption.py.


def test_start_offset_disambiguates_a_quote(repo: Path, edit: Callable[[str, str, str], None]) -> None:
    text = (repo / "sources/aoav-morocco-2018").glob("*.txt").__next__().read_text(encoding="utf-8")
    second = text.index("ISIS terror", text.index("ISIS terror") + 1)
    edit(f"{ARTICLE}/actors.yaml", "quote: two followers of ISIS", f"quote: ISIS terror\n      start: {second}")
    build(repo)
    evidence = (repo / "csv" / "evidence.csv").read_text(encoding="utf-8")
    assert f"actors/islamic-state/name/1,actors,islamic-state,name,aoav-morocco-2018,,ISIS terror,{second}," in evidence


def test_a_second_report_needs_no_code_change(repo: Path) -> None:
    fixture = ROOT / "tests" / "fixtures" / "second-report"
    for part in ("sources", "curation"):
        for item in (fixture / part).iterdir():
            target = repo / part / item.name
            target.mkdir()
            for file in item.iterdir():
                target.joinpath(file.name).write_bytes(file.read_bytes())
    build(repo)
    incidents = (repo / "csv" / "incidents.csv").read_text(encoding="utf-8")
    sources = (repo / "csv" / "sources.csv").read_text(encoding="utf-8")
    evidence = (repo / "csv" / "evidence.csv").read_text(encoding="utf-8")
    assert "example-harbour-bombing-2019" in incidents
    assert "example-report-2020" in sources
    assert "incidents,example-harbour-bombing-2019,killed,example-report-2020,,killed 4 people" in evidence
    assert (
        "incidents,example-harbour-bombing-2019,perpetrators_killed,example-report-2020,,no attacker died" in evidence
    )
    assert build(repo, check=True) == []


def test_build_command_runs_from_a_clean_environment(repo: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--root", str(repo), "--check"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "match" in result.stdout


def test_no_cycle_made_during_the_build_holds_its_records(repo: Path) -> None:
    """With the collector paused, a cycle that reaches the build's frames (matplotlib's exceptions
    do) would hold every record and row until the pause ends: none may."""
    import gc

    from aoav_build.records import Record

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # whatever a collection finds unreachable is kept, to be looked at
    try:
        assert build(repo, check=True) == []
        gc.collect()
        held = [o for o in gc.garbage if isinstance(o, Record)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert held == []


def test_the_build_runs_without_the_cyclic_collector_and_gives_it_back(
    repo: Path, edit: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from aoav_build import build as module

    during: list[bool] = []
    audit = module.coverage
    monkeypatch.setattr(module, "coverage", lambda *args: during.append(gc.isenabled()) or audit(*args))
    assert build(repo, check=True) == []
    assert during == [False] and gc.isenabled()  # off while the rows are held; on again after
    edit(f"{ARTICLE}/incidents.yaml", "killed: 17\n", "killed: -17\n")
    with pytest.raises(CurationError):
        build(repo, check=True)
    assert gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(CurationError):
            build(repo, check=True)
        assert not gc.isenabled()  # left off, as it was found
    finally:
        gc.enable()
