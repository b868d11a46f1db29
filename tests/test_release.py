"""`aoav-data release DIR`: every file is written, and each is read back by the tool its users have."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import aoav_data
from aoav_data import writers

EXE = str(Path(sys.executable).with_name("aoav-data"))
BIN = Path(sys.executable).parent
VERSION = aoav_data.__version__
STEM = f"aoav-data-{VERSION}"


def fields(table: str) -> list[dict[str, Any]]:
    return writers.fields(table)


def typed_columns(table: str, kind: str) -> list[str]:
    return [f["name"] for f in fields(table) if f["type"] == kind and "enum" not in f.get("constraints", {})]


def vocabularies(table: str) -> dict[str, list[str]]:
    return {f["name"]: f["constraints"]["enum"] for f in fields(table) if "enum" in f.get("constraints", {})}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release")
    result = subprocess.run([EXE, "release", str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return out


def test_release_writes_every_file_named_with_the_version(release: Path) -> None:
    expected = {f"{STEM}.{ext}" for ext in ("zip", "sqlite", "datasette.json", "xlsx", "geojson")}
    expected |= {f"{STEM}-{t}.{ext}" for t in aoav_data.tables() for ext in ("parquet", "dta")}
    assert {p.name for p in release.iterdir()} == expected | {"SHA256SUMS"}
    assert sorted(p.name for p in release.iterdir()) == sorted(writers.release_files(VERSION, aoav_data.tables()))


def test_sha256sums_checks_with_sha256sum(release: Path) -> None:
    lines = (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(list(release.iterdir())) - 1
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "--check", "--strict", "SHA256SUMS"], cwd=release, capture_output=True)
        assert check.returncode == 0, check.stdout


def test_release_is_byte_identical_across_runs(release: Path, tmp_path: Path) -> None:
    """Every file, the zip, SQLite, workbook and Stata files included, in another folder, time zone,
    locale and hash seed."""
    again = tmp_path / "elsewhere" / "again"
    env = {**os.environ, "TZ": "Pacific/Auckland", "PYTHONHASHSEED": "4242", "LC_ALL": "C"}
    result = subprocess.run([EXE, "release", str(again)], capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    assert (again / "SHA256SUMS").read_text() == (release / "SHA256SUMS").read_text()


# --- the data package zip -----------------------------------------------------------------------


def test_zip_unzips_to_a_package_frictionless_accepts(release: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(release / f"{STEM}.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names) and all(n.startswith(f"{STEM}/") for n in names)
        assert {i.date_time for i in archive.infolist()} == {(2026, 11, 25, 0, 0, 0)}
        archive.extractall(tmp_path)
    root = tmp_path / STEM
    for rel in ("datapackage.json", "docs/codebook.md", "LICENSE", "CITATION.cff"):
        assert (root / rel).is_file(), rel
    stored = [p for p in aoav_data.sources()["stored_path"].dropna()]
    assert stored and all((root / rel).is_file() for rel in stored)
    result = subprocess.run(
        [str(BIN / "frictionless"), "validate", "datapackage.json"], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]


# --- SQLite and Datasette -------------------------------------------------------------------------


def test_sqlite_keys_types_nulls_and_full_text(release: Path) -> None:
    connection = sqlite3.connect(f"file:{release / f'{STEM}.sqlite'}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for table in aoav_data.tables():
            frame = aoav_data.load(table)
            info = {row[1]: row for row in connection.execute(f'PRAGMA table_info("{table}")')}
            assert list(info) == [f["name"] for f in fields(table)]
            key = aoav_data.metadata()["resources"][aoav_data.tables().index(table)]["schema"]["primaryKey"]
            assert [name for name, row in sorted(info.items(), key=lambda kv: kv[1][5]) if row[5]] == key
            assert connection.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (len(frame),)
            for column in typed_columns(table, "integer"):
                assert info[column][2] == "INTEGER"
                stored = {r[0] for r in connection.execute(f'SELECT DISTINCT typeof("{column}") FROM "{table}"')}
                assert stored <= {"integer", "null"}, (table, column)
            for column in frame.columns:  # missing is NULL, never ''
                nulls = connection.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NULL').fetchone()[0]
                assert nulls == int(frame[column].isna().sum()), (table, column)
                empty = connection.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" = \'\'').fetchone()[0]
                assert empty == 0, (table, column)
        declared = sum(len(r["schema"].get("foreignKeys", [])) for r in aoav_data.metadata()["resources"])
        found = sum(len(connection.execute(f'PRAGMA foreign_key_list("{t}")').fetchall()) for t in aoav_data.tables())
        assert found == declared > 0
        search = "SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?"
        hits = connection.execute(
            f"SELECT incident_id FROM incidents WHERE rowid IN ({search})", ("Breitscheidplatz",)
        ).fetchall()
        assert hits == [("berlin-christmas-market-2016",)]
        quote = connection.execute("SELECT count(*) FROM evidence_fts WHERE evidence_fts MATCH 'Abaaoud'").fetchone()
        assert quote[0] > 0
    finally:
        connection.close()


def test_sqlite_is_checked_by_the_sqlite3_shell(release: Path) -> None:
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("the sqlite3 shell is not installed")
    result = subprocess.run(
        [shell, "-bail", str(release / f"{STEM}.sqlite"), "PRAGMA foreign_keys=ON;", "PRAGMA foreign_key_check;"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:  # only 127.0.0.1
        return json.loads(response.read())


def test_datasette_serves_rows_full_text_and_metadata(release: Path) -> None:
    from datasette.utils import tilde_encode

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            *(str(BIN / "datasette"), "serve", str(release / f"{STEM}.sqlite")),
            *("--metadata", str(release / f"{STEM}.datasette.json"), "--host", "127.0.0.1", "--port", str(port)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get_json(f"{base}/-/versions.json")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.3)
        database = f"{base}/{tilde_encode(STEM)}"
        rows = get_json(f"{database}/incidents.json?_shape=array&_size=max")
        assert {r["incident_id"] for r in rows} == set(aoav_data.incidents()["incident_id"])
        berlin = next(r for r in rows if r["incident_id"] == "berlin-christmas-market-2016")
        assert berlin["killed"] == 12 and isinstance(berlin["latitude"], float)
        hits = get_json(f"{database}/incidents.json?_search=Breitscheidplatz&_shape=array")
        assert [r["incident_id"] for r in hits] == ["berlin-christmas-market-2016"]
        quotes = get_json(f"{database}/evidence.json?_search=Abaaoud&_shape=array")
        assert quotes and all("Abaaoud" in (r["quote"] or "") + (r["note"] or "") for r in quotes)
        table = get_json(f"{database}/incidents.json")
        assert "attack_type" in table["facet_results"]
        meta = get_json(f"{base}/-/metadata.json")
        assert meta["license"] == "CC-BY-4.0" and meta["source_url"].startswith("https://")
        columns = meta["databases"][STEM]["tables"]["incidents"]["columns"]
        assert set(columns) == {f["name"] for f in fields("incidents")} and all(columns.values())
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- Excel --------------------------------------------------------------------------------------


def test_excel_reads_back_with_types_and_names_intact(release: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(release / f"{STEM}.xlsx")
    assert book.sheetnames == ["README", "codebook", *aoav_data.tables()]
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True)}
    assert readme["version"] == VERSION and "CC-BY-4.0" in readme["licence"]
    assert aoav_data.cite("apa").strip() == readme["how to cite"]
    codebook = list(book["codebook"].iter_rows(values_only=True))
    assert len(codebook) - 1 == sum(len(fields(t)) for t in aoav_data.tables())
    for table in aoav_data.tables():
        frame = aoav_data.load(table)
        rows = list(book[table].iter_rows(values_only=True))
        assert list(rows[0]) == list(frame.columns) and len(rows) == len(frame) + 1
        for i, column in enumerate(frame.columns):
            cells = [row[i] for row in rows[1:]]
            expected = frame[column].astype(object).where(frame[column].notna(), None).tolist()
            if column in typed_columns(table, "date"):
                expected = [v.date() if v is not None else None for v in expected]
                cells = [c.date() if isinstance(c, dt.datetime) else c for c in cells]
                assert all(c is None or isinstance(c, dt.date) for c in cells)
            else:
                expected = [str(v) if isinstance(v, str) else v for v in expected]
            assert cells == expected, (table, column)
        for row in book[table].iter_rows(min_row=2):
            assert all(cell.data_type != "f" for cell in row)
            assert all(c.number_format == "yyyy-mm-dd" for c in row if isinstance(c.value, dt.datetime))
        assert_sheet_layout(book[table], len(frame.columns), len(frame) + 1)
    actors = [row[1] for row in book["actors"].iter_rows(min_row=2, values_only=True)]
    assert any(any(ord(ch) > 127 for ch in str(name)) for name in actors)


def assert_sheet_layout(sheet: Any, columns: int, rows: int) -> None:
    """A bold, frozen header row, a filter over every row, and widths the columns were given."""
    from openpyxl.utils import get_column_letter

    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2] if rows > 1)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(columns)}{rows}"
    widths = [sheet.column_dimensions[get_column_letter(i)].width for i in range(1, columns + 1)]
    assert all(10 <= w <= 60 for w in widths), widths


def test_excel_text_that_looks_like_a_formula_stays_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text a spreadsheet would run or misread (=, +, -, @, #N/A) is stored and read back as text."""
    import openpyxl
    import pyarrow as pa

    hostile = ["=1+1", '=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "#N/A", "Ñuñoa", "plain"]
    data = pa.table(
        {
            "text": hostile,
            "when": [dt.date(2018, 1, i + 1) for i in range(len(hostile))],
            "number": [i / 2 for i in range(len(hostile))],
        }
    )
    monkeypatch.setattr(writers, "arrow_table", lambda table: data)
    book = openpyxl.load_workbook(writers.write_xlsx(tmp_path / "hostile.xlsx"))
    sheet = book[aoav_data.tables()[0]]
    cells = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in cells] == hostile
    assert all(row[0].data_type == "s" for row in cells)
    assert [row[1].value.date() for row in cells] == data.column("when").to_pylist()
    assert all(row[1].number_format == "yyyy-mm-dd" and row[2].data_type == "n" for row in cells)
    assert_sheet_layout(sheet, 3, len(hostile) + 1)


# --- Parquet ------------------------------------------------------------------------------------


def parquet(release: Path, table: str) -> Path:
    return release / f"{STEM}-{table}.parquet"


@pytest.mark.parametrize("table", ["incidents", "timeline", "arrests"])
def test_parquet_dates_are_dates_in_pyarrow_polars_and_duckdb(release: Path, table: str) -> None:
    import duckdb
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet as pq

    dates = typed_columns(table, "date")
    assert dates
    data = pq.read_table(parquet(release, table))
    assert all(data.schema.field(c).type == pa.date32() for c in dates)
    for column, vocabulary in vocabularies(table).items():
        chunk = data.column(column).combine_chunks()
        assert pa.types.is_dictionary(chunk.type) and chunk.dictionary.to_pylist() == vocabulary, column
    for column in typed_columns(table, "integer"):
        assert data.schema.field(column).type == pa.int64()
    frame = pl.read_parquet(parquet(release, table))
    assert all(frame.schema[c] == pl.Date for c in dates)
    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{parquet(release, table)}')").fetchall()
    types = {row[0]: row[1] for row in described}
    assert all(types[c] == "DATE" for c in dates)
    loaded = aoav_data.load(table)
    back = data.to_pandas(date_as_object=False)
    for column in dates:
        assert back[column].astype("datetime64[ms]").equals(loaded[column]), column


# --- GeoJSON ------------------------------------------------------------------------------------


def test_geojson_is_valid_and_every_feature_resolves_to_its_row(release: Path) -> None:
    import geojson

    text = (release / f"{STEM}.geojson").read_text(encoding="utf-8")
    collection = geojson.loads(text)
    assert collection.is_valid, collection.errors()
    features = collection["features"]
    kinds = set(vocabularies("timeline")["kind"])
    located = 0
    for table in aoav_data.tables():
        names = {f["name"] for f in fields(table)}
        if {"latitude", "longitude"} <= names:
            frame = aoav_data.load(table)
            located += int((frame["latitude"].notna() & frame["longitude"].notna()).sum())
    assert len(features) == located > 0
    # The geojson package rounds coordinates to 6 decimals when it loads; the file's own are compared.
    exact = {f["id"]: f["geometry"]["coordinates"] for f in json.loads(text)["features"]}
    for feature in features:
        props = feature["properties"]
        row = aoav_data.record(props["table"], props["record_id"])
        lon, lat = exact[feature["id"]]
        assert (lat, lon) == (row["latitude"], row["longitude"])
        assert props["kind"] in {*kinds, props["table"]} and props["title"] == row["title"]
        assert props["geo_precision"] == row["geo_precision"] and props["date"] == row["date"]
        assert feature["id"] == f"{props['table']}/{props['record_id']}"


# --- Stata --------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["incidents", "evidence", "arrests"])
def test_stata_reads_back_with_variable_and_value_labels(release: Path, table: str) -> None:
    file = release / f"{STEM}-{table}.dta"
    with pd.io.stata.StataReader(file) as reader:
        data = reader.read()
        variable_labels = reader.variable_labels()
        value_labels = reader.value_labels()
    loaded = aoav_data.load(table)
    assert list(data.columns) == list(loaded.columns) and len(data) == len(loaded)
    for spec in fields(table):
        label = variable_labels[spec["name"]]
        assert label and len(label) <= 80 and spec["description"].startswith(label.rstrip("…")), spec["name"]
    for column, vocabulary in vocabularies(table).items():
        assert sorted(value_labels[column].values()) == sorted(vocabulary), column
        assert data[column].astype(object).where(data[column].notna(), None).tolist() == (
            loaded[column].astype(object).where(loaded[column].notna(), None).tolist()
        )
    for column in typed_columns(table, "date"):
        assert data[column].astype("datetime64[ms]").equals(loaded[column]), column
    for column in typed_columns(table, "integer"):
        assert pd.Series(data[column], dtype="Float64").equals(pd.Series(loaded[column], dtype="Float64")), column


def test_stata_written_in_slices_is_the_whole_tables_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for table in aoav_data.tables():
        monkeypatch.setattr(writers, "STATA_ROWS", 10**9)  # one call of to_stata, as for a small table
        whole = writers.write_dta(table, tmp_path / f"{table}-whole.dta").read_bytes()
        monkeypatch.setattr(writers, "STATA_ROWS", 7)
        assert writers.write_dta(table, tmp_path / f"{table}.dta").read_bytes() == whole, table
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")) == []


def _sized_by_one_row(rows: int) -> pd.DataFrame:
    """A frame whose Stata types each hang on one row in a late slice: the longest text, an integer past
    a 2-byte range, a missing integer, a vocabulary code past a 1-byte range and a negative number."""
    codes = [f"c{i:03d}" for i in range(120)]
    frame = pd.DataFrame(
        {
            "text": pd.Series(["ab"] * rows, dtype="string"),
            "count": pd.Series(range(rows), dtype="Int64"),
            "kind": pd.Categorical([codes[i % 3] for i in range(rows)], categories=codes),
            "share": pd.Series([i / 4 for i in range(rows)], dtype="Float64"),
            "day": pd.Series(pd.to_datetime(["2020-01-02"] * rows)).astype("datetime64[ms]"),
        }
    )
    frame.loc[rows - 2, "text"] = "é" * 300
    frame.loc[rows - 3, "count"] = 70_000
    frame.loc[rows - 4, "count"] = pd.NA
    frame.loc[rows - 5, "kind"] = codes[-1]
    frame.loc[rows - 6, "share"] = -1e300
    frame.loc[rows - 7, "day"] = pd.NaT
    return frame


@pytest.mark.parametrize("rows", [1, 4, 10, 39])
def test_a_frame_written_in_slices_reads_back_as_the_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    frame = _sized_by_one_row(40)
    options: dict[str, Any] = {"write_index": False, "version": 118, "convert_dates": {"day": "td"}}
    options |= {"data_label": "t", "time_stamp": dt.datetime(2024, 1, 2), "variable_labels": {"text": "a text"}}
    frame.to_stata(tmp_path / "whole.dta", **options)
    monkeypatch.setattr(writers, "STATA_ROWS", rows)
    writers._write_dta_slices(frame, tmp_path / "sliced.dta", options)
    assert (tmp_path / "sliced.dta").read_bytes() == (tmp_path / "whole.dta").read_bytes()
    back = pd.read_stata(tmp_path / "sliced.dta")
    assert back["text"].tolist() == frame["text"].tolist()
    assert back["count"].astype("Float64").tolist() == frame["count"].astype("Float64").tolist()
    assert back["kind"].astype(object).tolist() == frame["kind"].astype(object).tolist()
    assert back["share"].tolist() == frame["share"].astype(float).tolist()
    assert back["day"].astype("datetime64[ms]").isna().tolist() == frame["day"].isna().tolist()


# --- export shares the writers ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parquet", "dta", "geojson"])
def test_export_writes_the_release_bytes(release: Path, tmp_path: Path, fmt: str) -> None:
    result = subprocess.run([EXE, "export", "--format", fmt, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if fmt == "geojson":
        assert (tmp_path / "aoav-data.geojson").read_bytes() == (release / f"{STEM}.geojson").read_bytes()
    else:
        for table in aoav_data.tables():
            assert (tmp_path / f"{table}.{fmt}").read_bytes() == (release / f"{STEM}-{table}.{fmt}").read_bytes()


def test_sqlite_refuses_values_outside_a_vocabulary_and_dangling_keys(release: Path) -> None:
    memory = sqlite3.connect(":memory:")
    with sqlite3.connect(release / f"{STEM}.sqlite") as source:
        source.backup(memory)
    memory.execute("PRAGMA foreign_keys = ON")
    (spec,) = [f for f in fields("actors") if f["name"] == "actor_type"]
    columns = [f["name"] for f in fields("actors")]
    first = memory.execute(f"SELECT {', '.join(columns)} FROM actors LIMIT 1").fetchone()
    values = dict(zip(columns, first, strict=True))
    values.update(actor_id="not-a-real-actor", actor_type="not-in-" + spec["constraints"]["enum"][0])
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        memory.execute(f"INSERT INTO actors VALUES ({', '.join('?' for _ in columns)})", list(values.values()))
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        memory.execute("UPDATE operations SET lead_actor = 'no-such-actor' WHERE rowid = 1")
    memory.close()
