"""Versions: the build enforces the version policy against the last release (read from git history),
every removed id is retired, and CHANGELOG.md is the diff from each release to the next."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from aoav_build.build import build, main, produce
from aoav_build.releases import CHANGELOG
from conftest import ROOT

from aoav_data.diff import diff, from_git, open_package

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a git checkout"
)
GIT = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
RELEASES = "curation/releases.yaml"
V1 = "5f2b11e5847b812ae1637922a75036ebc1218d9a"


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The committed repository with its history: what a contributor or CI has."""
    target = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(target)], check=True, capture_output=True)
    # Back to "2.0.0 in preparation" (its commit not yet recorded), so each test compares with 1.0.0.
    path = target / RELEASES
    path.write_text(re.sub(r"    commit: [0-9a-f]{40}\n", "    commit:\n", path.read_text("utf-8"), count=1), "utf-8")
    return target


def replace(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def release_current(repo: Path) -> None:
    """Record the clone's HEAD as the release commit of the current version, as a maintainer would."""
    head = git(repo, "rev-parse", "HEAD").strip()
    replace(repo, RELEASES, "    commit:\n", f"    commit: {head}\n")


def test_changed_data_without_the_version_rise_fails_the_build(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release_current(clone)
    assert main(["--root", str(clone), "--check"]) == 0  # released and unchanged: nothing to rise
    replace(clone, "curation/aoav-morocco-2018/incidents.yaml", "A hijacked lorry", "A stolen lorry")
    assert main(["--root", str(clone)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    assert error.startswith("build failed: csv/incidents.csv")
    assert "changed since release 2.0.0" in error and "requires a patch rise" in error and "set 2.0.1" in error
    # The rise the policy asks for makes the same change publishable.
    replace(clone, "pyproject.toml", 'version = "2.0.0"', 'version = "2.0.1"')
    entry = "  - version: 2.0.1\n    date: '2026-11-26'\n    commit:\n    summary: Wording.\n"
    replace(clone, RELEASES, "releases:\n", "releases:\n" + entry)
    assert main(["--root", str(clone)]) == 0
    changelog = (clone / CHANGELOG).read_text(encoding="utf-8")
    assert changelog.index("## 2.0.1") < changelog.index("## 2.0.0") < changelog.index("## 1.0.0")
    assert "| `berlin-christmas-market-2016` | summary |" in changelog and "(no reason recorded)" in changelog


def test_an_id_removed_without_a_retirement_fails_the_build(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(clone, RELEASES, "        ids: [france]\n", "        ids: []\n")
    assert main(["--root", str(clone), "--check"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"build failed: {RELEASES}: record '2.0.0', field 'retired': actors id(s) france")


def test_a_retired_id_is_never_reused(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(clone, RELEASES, "        ids: [france]\n", "        ids: [france, bka]\n")
    assert main(["--root", str(clone), "--check"]) == 1
    assert "record 'bka', field 'ids': actors still has this id" in capsys.readouterr().err


def test_without_history_the_policy_is_skipped_with_a_message(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build(repo, check=True) == []
    assert "no git history of the released commits here" in capsys.readouterr().err


def test_retired_ids_cover_every_id_removed_since_1_0_0() -> None:
    result = diff(from_git(ROOT, V1), open_package(str(ROOT)))
    removed = {(name, key) for name, e in result["tables"].items() if e["id_table"] for key in e["removed"]}
    with (ROOT / "csv" / "retired_ids.csv").open(encoding="utf-8", newline="") as handle:
        retired = {(r["old_table"], r["old_id"]) for r in csv.DictReader(handle) if r["version"] == "2.0.0"}
    assert removed == retired and len(retired) == 70


def test_the_changelog_is_current_and_gives_every_change_a_reason() -> None:
    artifacts = produce(ROOT)
    committed = (ROOT / CHANGELOG).read_bytes()
    assert artifacts[CHANGELOG] == committed
    text = committed.decode("utf-8")
    assert text.index("## 2.0.0") < text.index("Compared with 1.0.0") < text.index("## 1.0.0")
    assert "(no reason recorded)" not in text
    assert "- incidents/`paris-attacks-2015` → incidents: paris-stade-de-france-2015;" in text
    assert text.index("### Retired ids") < text.index("### Added records") < text.index("### Changed values")
