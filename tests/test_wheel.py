"""The built wheel, installed in a fresh virtual environment, serves every table offline."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from aoav_build.build import build
from conftest import ROOT, copy_repo

CHECK = """
import json, sys, aoav_data
from pathlib import Path
assert "site-packages" in aoav_data.__file__, aoav_data.__file__
print(aoav_data.incidents().dtypes.to_string())
counts = {t: len(aoav_data.load(t)) for t in aoav_data.tables()}
report = aoav_data.validate()
from aoav_data.writers import write_package_zip  # the release's zip, from the installed files alone
import zipfile
zipped = write_package_zip(Path("package.zip"), "aoav-data")
members = zipfile.ZipFile(zipped).namelist()
assert {"aoav-data/LICENSE", "aoav-data/CITATION.cff", "aoav-data/docs/codebook.md"} <= set(members), members
print(json.dumps({"counts": counts, "ok": report.ok, "version": aoav_data.__version__}))
"""


def build_wheel(source: Path, out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("dist"))


def install(wheel: Path, tmp_path: Path) -> Path:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return python


def test_wheel_ships_the_published_files_unchanged(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        published = {
            n.removeprefix("aoav_data/published/"): archive.read(n) for n in archive.namelist() if "/published/" in n
        }
    expected = ["datapackage.json", *(f"csv/{p.name}" for p in (ROOT / "csv").glob("*.csv"))]
    for rel in expected:
        assert published[rel] == (ROOT / rel).read_bytes(), rel
    assert any(rel.startswith("sources/aoav-morocco-2018/") and rel.endswith(".txt") for rel in published)


def test_wheel_in_a_fresh_venv_loads_every_table_offline(wheel: Path, tmp_path: Path) -> None:
    python = install(wheel, tmp_path)
    env_dir = python.parent.parent
    # No network from here on: the proxy variables point nowhere.
    offline = {
        "PATH": str(env_dir / "bin"),
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "",
    }
    result = subprocess.run([str(python), "-c", CHECK], capture_output=True, text=True, cwd=tmp_path, env=offline)
    assert result.returncode == 0, result.stderr
    dtypes, summary = result.stdout.rsplit("\n", 2)[0], result.stdout.splitlines()[-1]
    assert "object" not in dtypes
    import json

    import aoav_data

    data = json.loads(summary)
    assert data["ok"] and data["version"] == aoav_data.__version__
    assert data["counts"] == {t: len(aoav_data.load(t)) for t in aoav_data.tables()}


def test_wheel_ships_the_sites_assets_and_base_map(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assets = {"app.js", "style.css", "basemap.json"}
        assert {f"aoav_data/site_assets/{a}" for a in assets} <= names
        basemap = archive.read("aoav_data/site_assets/basemap.json")
    assert basemap == (ROOT / "aoav_data" / "site_assets" / "basemap.json").read_bytes()
    assert len(basemap) < 300_000 and b"Natural Earth" in basemap


def test_wheel_of_a_second_report_ships_its_source_and_validates_installed(tmp_path: Path) -> None:
    repo = copy_repo(tmp_path / "repo")
    for name in ("aoav_data", "scripts", "LICENSE", "README.md"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, repo / name, dirs_exist_ok=True)
        else:
            shutil.copy2(ROOT / name, repo / name)
    fixture = ROOT / "tests" / "fixtures" / "second-report"
    for part in ("sources", "curation"):
        for item in (fixture / part).iterdir():
            shutil.copytree(item, repo / part / item.name)
    build(repo)
    python = install(build_wheel(repo, tmp_path / "dist"), tmp_path)
    code = "import aoav_data; r = aoav_data.validate(); print(r); assert r.ok"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
