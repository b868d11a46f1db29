"""The site's downloads/ folder: the release files and each table's CSV, with sizes and SHA-256, and
without openpyxl, everything but the Excel workbook and a one-line note that says so."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import aoav_data
from aoav_data import site, writers
from aoav_data.errors import DataError


def test_downloads_list_every_release_file_and_each_tables_csv(tmp_path: Path) -> None:
    files, note = site.write_downloads(tmp_path)
    assert note == ""
    names = {f["name"] for f in files}
    release = {line.split("  ")[1] for line in (tmp_path / "SHA256SUMS").read_text().splitlines()}
    assert release <= names
    stem = f"aoav-data-{aoav_data.__version__}"
    assert {f"{stem}-{t}.csv" for t in aoav_data.tables()} <= names
    assert {f"{stem}.xlsx", f"{stem}.zip", f"{stem}.sqlite", f"{stem}.geojson"} <= names
    for f in files:
        data = (tmp_path / f["name"]).read_bytes()
        assert f["bytes"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest(), f["name"]
        assert f["path"] == f"downloads/{f['name']}"
    by_name = {f["name"]: f for f in files}
    assert by_name[f"{stem}-incidents.parquet"]["table"] == "incidents"
    assert by_name[f"{stem}-actor_roles.dta"]["table"] == "actor_roles"
    assert by_name[f"{stem}.datasette.json"]["table"] is None


def test_without_openpyxl_the_site_leaves_out_the_workbook_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing() -> None:
        raise ModuleNotFoundError(f"the Excel workbook needs openpyxl: {writers.RELEASE_EXTRA}", name="openpyxl")

    monkeypatch.setattr(writers, "_require_openpyxl", missing)
    index = site.build_site(tmp_path / "site")
    names = sorted(p.name for p in (tmp_path / "site" / "downloads").iterdir())
    assert not any(n.endswith(".xlsx") for n in names) and any(n.endswith(".sqlite") for n in names)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "openpyxl" in err and "pip install" in err
    assert "The Excel workbook is not in this build" in index.read_text(encoding="utf-8")


def test_without_a_file_the_release_packs_the_site_lists_the_csvs_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(target: Path, folder: str) -> Path:
        raise DataError("LICENSE", "cannot be read: No such file or directory")

    monkeypatch.setattr(writers, "write_package_zip", unreadable)
    files, note = site.write_downloads(tmp_path)
    assert note.startswith("The release files are not in this build: ") and "LICENSE" in note
    assert {f["name"].rsplit(".", 1)[1] for f in files} == {"csv"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f["name"] for f in files)
