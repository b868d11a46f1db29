"""A checkout made as Git on Windows makes it (core.autocrlf=true) loads, validates and rebuilds.

The repository's committed HEAD is cloned with core.autocrlf=true; the published files must
arrive byte for byte (`.gitattributes`), so that the loaders' hash checks, validate(),
`frictionless validate` and `scripts/build.py --check` all pass on that checkout. A clone
of the same commit without `.gitattributes` shows that the test can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent
LOAD_AND_VALIDATE = """
import aoav_data
for table in aoav_data.tables():
    aoav_data.load(table)
aoav_data.validate(raise_on_error=True)
print("ok", len(aoav_data.tables()))
"""

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git and a git checkout"
)


def git(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=120)
    return result.stdout


def clone_crlf(source: Path, target: Path, commit: str) -> Path:
    """Clone `commit` of `source` as Git on Windows does by default: core.autocrlf=true."""
    git("clone", "-q", "--no-checkout", "-c", "core.autocrlf=true", str(source), str(target))
    git("-c", "advice.detachedHead=false", "checkout", "-q", commit, cwd=target)
    return target


def run_on(data_dir: Path, code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AOAV_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    commit = git("rev-parse", "HEAD", cwd=ROOT).strip()
    return clone_crlf(ROOT, tmp_path_factory.mktemp("crlf") / "repo", commit)


def test_published_files_arrive_byte_for_byte(checkout: Path) -> None:
    published = git("ls-files", "csv", "datapackage.json", "sources", "CITATION.cff", "docs", cwd=checkout).split()
    assert "datapackage.json" in published and any(p.startswith("sources/") for p in published)
    for rel in published:
        blob = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=checkout, capture_output=True, check=True).stdout
        assert (checkout / rel).read_bytes() == blob, rel


def test_every_table_loads_and_validates(checkout: Path) -> None:
    result = run_on(checkout, LOAD_AND_VALIDATE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


def test_frictionless_validate_accepts_the_checkout(checkout: Path) -> None:
    result = subprocess.run(
        [str(BIN / "frictionless"), "validate", "datapackage.json"],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_the_build_finds_no_drift_on_the_checkout(checkout: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(checkout / "scripts" / "build.py"), "--check", "--root", str(checkout)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_without_gitattributes_the_same_checkout_breaks(checkout: Path, tmp_path: Path) -> None:
    """The control: what .gitattributes prevents does happen without it."""
    work = tmp_path / "work"
    git("clone", "-q", str(checkout), str(work))
    git("rm", "-q", ".gitattributes", cwd=work)
    git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "no attributes", cwd=work)
    broken = clone_crlf(work, tmp_path / "broken", git("rev-parse", "HEAD", cwd=work).strip())
    assert b"\r\n" in (broken / "csv" / "incidents.csv").read_bytes()
    result = run_on(broken, LOAD_AND_VALIDATE)
    assert result.returncode != 0
    assert "IntegrityError" in result.stderr and "datapackage.json records" in result.stderr
