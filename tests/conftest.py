"""Shared fixtures: the repository root, and throw-away copies of it to build in."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What the build reads and writes; a copy of these is a buildable repository.
BUILD_INPUTS = [
    "sources", "curation", "csv", "docs", "datapackage.json", "croissant.json", "CITATION.cff", "CHANGELOG.md",
    "pyproject.toml", "aoav_data/models.py",
]  # fmt: skip


def copy_repo(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in BUILD_INPUTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, target / name)
        else:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every published file's bytes, to prove a failed build changed nothing."""
    files = [root / "datapackage.json", root / "CITATION.cff", *sorted((root / "csv").glob("*"))]
    files += sorted((root / "docs").glob("timeline.*"))
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return copy_repo(tmp_path / "repo")


@pytest.fixture
def edit(repo: Path) -> Callable[[str, str, str], None]:
    """Replace text once in a file of the copied repository."""

    def _edit(rel: str, old: str, new: str) -> None:
        path = repo / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return _edit


@pytest.fixture
def runtime_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    """Point the runtime package at a folder of published files (and forget it after the test)."""
    from aoav_data import _paths, descriptor

    def point(root: Path) -> None:
        monkeypatch.setenv(_paths.ENV, str(root))
        _paths.published_root.cache_clear()
        descriptor.metadata.cache_clear()

    yield point
    _paths.published_root.cache_clear()
    descriptor.metadata.cache_clear()
