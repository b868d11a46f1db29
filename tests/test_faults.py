"""File-system faults end with one line naming the file, the published files as they were and no
staging folder left; the build's clean-up touches only what it made; figures ignore matplotlibrc."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from aoav_build import publish
from aoav_build.build import main
from conftest import ROOT, snapshot

import aoav_data
from aoav_data import _paths, descriptor

BUILD = str(ROOT / "scripts" / "build.py")


def outdate(root: Path) -> None:
    path = root / "curation/aoav-morocco-2018/incidents.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Brussels bombings", "title: Brussels attacks"))


def refused(root: Path, capsys: pytest.CaptureFixture[str], *parts: str) -> None:
    """The build fails with a message holding `parts`, and changes nothing."""
    before = snapshot(root)
    assert main(["--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and all(p in err for p in parts), err
    assert snapshot(root) == before
    assert not list(root.glob(".build-*")), "a staging folder was left behind"


def test_a_read_only_folder_ends_in_one_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outdate(repo)

    def read_only(src: str, dst: str) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(publish.os, "replace", read_only)  # root ignores chmod: simulate it
    refused(repo, capsys, "csv/", "Permission denied")


def test_a_full_disk_while_staging_ends_in_one_line(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outdate(repo)
    real, written = Path.write_bytes, []

    def full(self: Path, data: bytes) -> int:
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        written.append(self)
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    refused(repo, capsys, "No space left on device", ".build-")


def test_a_stray_folder_in_csv_is_named_and_kept(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outdate(repo)
    (repo / "csv" / "drafts").mkdir()
    refused(repo, capsys, "csv/drafts", "not a file the build made")
    assert (repo / "csv" / "drafts").is_dir()


def test_a_second_build_refuses_while_one_runs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outdate(repo)
    with publish.locked(repo):
        refused(repo, capsys, ".build.lock", "another build is running")
    assert main(["--root", str(repo), "--check"]) == 1  # the lock is free again: drift, not a refusal
    assert "another build" not in capsys.readouterr().err


def test_clean_up_touches_only_what_the_build_made(repo: Path) -> None:
    mine = repo / ".build-notes"  # a user's folder that merely looks like the build's
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me", encoding="utf-8")
    killed = repo / ".build-killed"  # a build killed while removing its staging folder
    (killed / "new" / "csv").mkdir(parents=True)
    (killed / publish.MARKER).write_bytes(b"")
    result = subprocess.run([sys.executable, BUILD, "--root", str(repo), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (mine / "todo.txt").read_text(encoding="utf-8") == "keep me"
    assert not killed.exists()


def test_figures_ignore_any_matplotlibrc(repo: Path, tmp_path: Path) -> None:
    hostile = "axes.facecolor: red\nfont.size: 20\nlines.linewidth: 9\ntimezone: Asia/Tokyo\nsavefig.dpi: 30\n"
    config = tmp_path / "mplconfig"
    config.mkdir()
    for folder in (tmp_path, config):
        (folder / "matplotlibrc").write_text(hostile + "svg.hashsalt: other\n", encoding="utf-8")
    env = {**os.environ, "MPLCONFIGDIR": str(config)}
    command = [sys.executable, BUILD, "--root", str(repo), "--check"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr


def test_the_site_refuses_a_tampered_stored_article(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aoav_data.site import site_data

    (article,) = (repo / "sources" / "aoav-morocco-2018").glob("*.txt")
    article.write_text(article.read_text(encoding="utf-8").replace("341", "342", 1), encoding="utf-8")
    monkeypatch.setenv(_paths.ENV, str(repo))
    _paths.published_root.cache_clear()
    descriptor.metadata.cache_clear()
    try:
        with pytest.raises(aoav_data.IntegrityError, match="SHA-256 differs"):
            site_data()
        assert not aoav_data.validate().ok
    finally:
        _paths.published_root.cache_clear()
        descriptor.metadata.cache_clear()


def test_a_file_size_limit_ends_in_one_line(repo: Path) -> None:
    import resource

    outdate(repo)
    before = snapshot(repo)
    largest = max(p.stat().st_size for p in (repo / "csv").glob("*.csv"))

    def limit() -> None:  # Python ignores SIGXFSZ, so a write past the limit raises EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (largest // 2, largest // 2))

    command = [sys.executable, BUILD, "--root", str(repo)]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=limit)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "File too large" in result.stderr
    assert snapshot(repo) == before
    assert not list(repo.glob(".build-*"))
