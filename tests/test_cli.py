"""The aoav-data command line, run as a user runs it."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import aoav_data

EXE = str(Path(sys.executable).with_name("aoav-data"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command", [[], ["list"], ["show"], ["timeline"], ["validate"], ["cite"], ["export"]])
def test_help_on_each_command(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: aoav-data")


def test_list_names_every_table() -> None:
    names = [line.split()[0] for line in run("list").stdout.splitlines()]
    assert names == aoav_data.tables()


def test_show_in_three_formats() -> None:
    table = run("show", "incidents")
    assert table.returncode == 0 and "paris-attacks-2015" in table.stdout
    as_csv = run("show", "incidents", "--format", "csv").stdout
    assert as_csv.splitlines()[0].startswith("incident_id,attack_id,title,summary,date")
    assert len(as_csv.splitlines()) == len(aoav_data.incidents()) + 1
    records = json.loads(run("show", "actors", "--format", "json").stdout)
    assert {r["actor_id"] for r in records} == set(aoav_data.actors()["actor_id"])


def test_timeline_prints_every_dated_record_readably() -> None:
    out = run("timeline").stdout
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["date", "date_precision", "kind"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == len(aoav_data.timeline()) + 2
    assert "2015-11  " in out and "month" in out and "Berlin Christmas market attack" in out


def test_validate_reports_valid() -> None:
    result = run("validate")
    assert result.returncode == 0
    assert f"{len(aoav_data.tables())} tables checked: valid" in result.stdout


def test_cite_bibtex() -> None:
    result = run("cite", "--style", "bibtex")
    assert result.returncode == 0
    assert result.stdout == aoav_data.cite("bibtex")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "nonsense"], "no table 'nonsense'"),
        (["cite", "--style", "mla"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
        (["export", "--format", "docx", "out"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_non_zero_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_export_parquet_keeps_the_types(tmp_path: Path) -> None:
    """pandas reads back every dtype, and dates as dates (datetime.date), not timestamps."""
    result = run("export", "--format", "parquet", str(tmp_path))
    assert result.returncode == 0
    for table in aoav_data.tables():
        original, back = aoav_data.load(table), pd.read_parquet(tmp_path / f"{table}.parquet")
        dates = [c for c in original.columns if str(original[c].dtype).startswith("datetime")]
        for column in dates:
            assert all(isinstance(v, datetime.date) for v in back[column].dropna()), column
            back[column] = pd.to_datetime(back[column]).astype("datetime64[ms]")
        assert back.dtypes.to_dict() == original.dtypes.to_dict(), table
        pd.testing.assert_frame_equal(back, original)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_text_formats(tmp_path: Path, fmt: str) -> None:
    assert run("export", "--format", fmt, str(tmp_path)).returncode == 0
    assert sorted(p.stem for p in tmp_path.iterdir()) == sorted(aoav_data.tables())
    if fmt == "csv":
        assert len(pd.read_csv(tmp_path / "evidence.csv")) == len(aoav_data.evidence())
    else:
        assert len(json.loads((tmp_path / "evidence.json").read_text())) == len(aoav_data.evidence())


@pytest.fixture
def odd_titles(tmp_path: Path) -> dict[str, str]:
    """A published copy whose attack and timeline titles hold an escape sequence and a lone CR, re-pinned."""
    import hashlib
    import shutil

    from conftest import ROOT

    for name in ("csv", "sources"):
        shutil.copytree(ROOT / name, tmp_path / name)
    meta = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in meta["resources"]:
        if res["name"] in ("attacks", "timeline"):
            file = tmp_path / res["path"]
            old = ",Brussels bombings" + (",", " - Maelbeek metro station,")[res["name"] == "timeline"]
            text = file.read_text(encoding="utf-8").replace(
                old, f',"{old[1:-1]}",'.replace(" bombings", "\x1b[2J\rbombings")
            )
            file.write_bytes(text.encode("utf-8"))
            res.update(bytes=file.stat().st_size, hash="sha256:" + hashlib.sha256(file.read_bytes()).hexdigest())
    (tmp_path / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    return {"AOAV_DATA_DIR": str(tmp_path), "PATH": str(Path(sys.executable).parent)}


def test_terminal_output_escapes_control_characters(odd_titles: dict[str, str]) -> None:
    for command in (["show", "attacks"], ["timeline"]):
        out = subprocess.run([EXE, *command], capture_output=True, text=True, env=odd_titles).stdout
        assert "Brussels\\x1b[2J\\rbombings" in out and "\x1b" not in out, command


def test_show_csv_quotes_a_lone_carriage_return(odd_titles: dict[str, str]) -> None:
    import csv
    import io

    out = subprocess.run([EXE, "show", "attacks", "--format", "csv"], capture_output=True, env=odd_titles).stdout
    rows = list(csv.reader(io.StringIO(out.decode("utf-8"), newline="")))
    assert any(row[1] == "Brussels\x1b[2J\rbombings" for row in rows[1:])
    assert all(len(row) == len(rows[0]) for row in rows)
