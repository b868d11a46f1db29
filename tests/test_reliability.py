"""No half-written dataset, and the same output whatever the machine's settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from aoav_build import publish
from aoav_build.build import build
from conftest import ROOT, copy_repo, snapshot

import aoav_data
from aoav_data import _paths, descriptor

BUILD = str(ROOT / "scripts" / "build.py")


def outdate(root: Path) -> None:
    """Change a record so that a build has several files to rewrite."""
    path = root / "curation/aoav-morocco-2018/incidents.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Brussels bombings", "title: Brussels attacks"))


@pytest.mark.parametrize("moves_before_interrupt", [0, 1, 2, 4])
def test_an_interrupted_build_leaves_the_published_files_as_they_were(
    repo: Path, monkeypatch: pytest.MonkeyPatch, moves_before_interrupt: int
) -> None:
    outdate(repo)
    before = snapshot(repo)
    real_replace, calls = os.replace, []

    def interrupted(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if len(calls) == moves_before_interrupt:
            raise KeyboardInterrupt
        calls.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(publish.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(repo)
    assert len(calls) == moves_before_interrupt
    assert snapshot(repo) == before
    assert not list(repo.glob(".build-*"))


KILLED_BUILD = """
import os, sys
sys.path.insert(0, {scripts!r})
from aoav_build import publish
from aoav_build.build import build
real, done = os.replace, []
def replace(src, dst):
    if len(done) == 2:
        os._exit(9)  # killed: no except, no finally
    done.append(dst)
    real(src, dst)
publish.os.replace = replace
build(__import__("pathlib").Path({root!r}))
"""


def test_a_killed_build_is_refused_by_the_loader_and_rolled_back_by_the_next_build(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdate(repo)
    before = snapshot(repo)
    code = KILLED_BUILD.format(scripts=str(ROOT / "scripts"), root=str(repo))
    assert subprocess.run([sys.executable, "-c", code], capture_output=True).returncode == 9
    assert snapshot(repo) != before, "the kill should have left two files moved"
    monkeypatch.setenv(_paths.ENV, str(repo))
    _paths.published_root.cache_clear()
    descriptor.metadata.cache_clear()
    try:
        with pytest.raises(aoav_data.IntegrityError):  # new CSVs, old descriptor: never served
            aoav_data.incidents()
    finally:
        _paths.published_root.cache_clear()
        descriptor.metadata.cache_clear()
    result = subprocess.run([sys.executable, BUILD, "--root", str(repo), "--check"], capture_output=True, text=True)
    assert "rolled back the files of an interrupted build" in result.stderr
    assert snapshot(repo) == before
    assert not list(repo.glob(".build-*"))


def test_builds_are_byte_identical_across_directories_seeds_locales_and_time_zones(tmp_path: Path) -> None:
    settings = [
        {"PYTHONHASHSEED": "1", "LC_ALL": "C", "TZ": "UTC"},
        {"PYTHONHASHSEED": "4242", "LC_ALL": "C.UTF-8", "TZ": "Pacific/Kiritimati"},
        {"PYTHONHASHSEED": "random", "LANG": "fr_FR.UTF-8", "TZ": "America/St_Johns"},
    ]
    outputs = []
    for i, extra in enumerate(settings):
        root = copy_repo(tmp_path.joinpath(f"place-{i}", *["deeper"] * i))
        for generated in [*(root / "csv").glob("*"), root / "datapackage.json", root / "CITATION.cff"]:
            generated.unlink()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")} | extra
        cwd = tmp_path if i % 2 else root
        result = subprocess.run(
            [sys.executable, BUILD, "--root", str(root)], capture_output=True, text=True, env=env, cwd=cwd
        )
        assert result.returncode == 0, result.stderr
        outputs.append(snapshot(root))
    assert outputs[0] == outputs[1] == outputs[2] == snapshot(ROOT)
