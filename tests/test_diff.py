"""aoav-data diff: a hand-made pair of small packages with known differences, read as folders, zips and
git revisions; identical packages; the real change from 1.0.0 to this version."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from aoav_data.diff import actual_rise, diff, markdown, next_version, open_package, text
from aoav_data.errors import DataError

EXE = str(Path(sys.executable).with_name("aoav-data"))
SLUG = {"pattern": "^[a-z0-9-]+$"}


def _field(name: str, kind: str = "string", **constraints: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "type": kind, "description": name}
    if constraints:
        out["constraints"] = constraints
    return out


def write_package(folder: Path, version: str, tables: dict[str, tuple[list[dict[str, Any]], list[str], str]]) -> Path:
    """A data package: each table's fields, primary key and CSV text."""
    folder.mkdir(parents=True)
    (folder / "csv").mkdir()
    resources = []
    for name, (fields, key, body) in tables.items():
        (folder / "csv" / f"{name}.csv").write_text(body, encoding="utf-8", newline="\n")
        resources.append({"name": name, "path": f"csv/{name}.csv", "schema": {"fields": fields, "primaryKey": key}})
    descriptor = {"name": "toy", "title": "Toy", "version": version, "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


OLD_EVENTS = (
    [_field("event_id", **SLUG), _field("killed", "integer"), _field("kind", enum=["bomb", "raid", "siege"]),
     _field("place")],
    ["event_id"],
    "event_id,killed,kind,place\na-2001,3,bomb,Paris\nb-2002,,raid,Rabat\nc-2003,1,siege,Madrid\n",
)  # fmt: skip
NEW_EVENTS = (
    [_field("event_id", **SLUG), _field("killed", "number"), _field("kind", enum=["bomb", "raid", "shooting"]),
     _field("country")],
    ["event_id"],
    "event_id,killed,kind,country\nb-2002,2,raid,MAR\na-2001,3,bomb,FRA\nd-2004,0,shooting,ESP\n",
)  # fmt: skip
NOTES = ([_field("event_id"), _field("note")], ["event_id", "note"], "event_id,note\na-2001,first\na-2001,second\n")


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    old = write_package(tmp_path / "old", "1.0.0", {"events": OLD_EVENTS, "notes": NOTES})
    new = write_package(tmp_path / "new", "1.1.0", {"events": NEW_EVENTS, "added": NOTES})
    return old, new


def test_a_known_pair_gives_exactly_its_differences(pair: tuple[Path, Path]) -> None:
    old, new = pair
    result = diff(open_package(str(old)), open_package(str(new)))
    events = result["tables"]["events"]
    assert events["schema"] == {
        "columns_added": [{"column": "country", "type": "string"}],
        "columns_removed": [{"column": "place", "type": "string"}],
        "columns_retyped": [{"column": "killed", "old": "integer", "new": "number"}],
        "vocabulary": [{"column": "kind", "added": ["shooting"], "removed": ["siege"]}],
    }
    assert events["added"] == ["d-2004"] and events["removed"] == ["c-2003"]
    # Row order is not a change; a column only one side has is a schema change, not a value change.
    assert events["changed"] == [{"key": "b-2002", "fields": [{"field": "killed", "old": None, "new": "2"}]}]
    assert result["tables"]["notes"]["status"] == "removed" and result["tables"]["added"]["status"] == "added"
    assert result["tables"]["added"]["added"] == ["a-2001/first", "a-2001/second"]  # composite keys
    assert result["rise"] == "major"
    assert "events: ids retired (1)" in result["why"] and "table notes removed" in result["why"]


def test_identical_packages_give_an_empty_diff(pair: tuple[Path, Path]) -> None:
    old, _ = pair
    result = diff(open_package(str(old)), open_package(str(old)))
    assert result["tables"] == {} and result["package"] == [] and result["rise"] == "none"
    assert text(result).endswith("no differences\n")
    assert markdown(result).endswith("No differences.\n")


def test_text_and_markdown_show_every_change(pair: tuple[Path, Path]) -> None:
    result = diff(*(open_package(str(p)) for p in pair))
    lines = text(result).splitlines()
    assert "events (changed): 1 added, 1 removed, 1 changed" in lines
    assert {"  + d-2004", "  - c-2003", "  ~ b-2002: killed: — -> 2"} <= set(lines)
    assert "  schema: kind: vocabulary value removed: siege" in lines
    md = markdown(result)
    assert "| `b-2002` | killed | — | 2 |" in md and "| events | changed | 1 | 1 | 1 |" in md


def test_the_rise_each_kind_of_change_requires(tmp_path: Path) -> None:
    base = write_package(tmp_path / "base", "1.0.0", {"events": OLD_EVENTS})
    fields, key, body = OLD_EVENTS
    corrected = write_package(tmp_path / "fix", "1.0.1", {"events": (fields, key, body.replace("3,bomb", "4,bomb"))})
    grown = write_package(tmp_path / "grow", "1.1.0", {"events": (fields, key, body + "e-2005,0,raid,Nador\n")})
    shrunk = write_package(
        tmp_path / "cut", "2.0.0", {"events": (fields, key, body.replace("c-2003,1,siege,Madrid\n", ""))}
    )
    rises = [diff(open_package(str(base)), open_package(str(p)))["rise"] for p in (corrected, grown, shrunk)]
    assert rises == ["patch", "minor", "major"]
    assert [actual_rise("1.4.2", v) for v in ("1.4.2", "1.4.3", "1.5.0", "2.0.0", "1.3.9")] == [
        "none", "patch", "minor", "major", "lower",
    ]  # fmt: skip
    assert [next_version("1.4.2", r) for r in ("patch", "minor", "major")] == ["1.4.3", "1.5.0", "2.0.0"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_zips_and_git_revisions_are_packages_too(pair: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = pair
    archive = tmp_path / "old.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for file in sorted(old.rglob("*.*")):
            z.write(file, f"toy-1.0.0/{file.relative_to(old).as_posix()}")
    repo = tmp_path / "repo"
    shutil.copytree(new, repo)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "new"]):
        subprocess.run([*git, *command], check=True, capture_output=True)
    expected = diff(open_package(str(old)), open_package(str(new)))
    found = diff(open_package(str(archive)), open_package("HEAD", cwd=repo))
    assert found["tables"] == expected["tables"]


def test_cli_formats_and_one_line_errors(pair: tuple[Path, Path]) -> None:
    old, new = pair
    as_json = subprocess.run([EXE, "diff", str(old), str(new), "--format", "json"], capture_output=True, text=True)
    assert json.loads(as_json.stdout)["tables"]["events"]["removed"] == ["c-2003"]
    bad = subprocess.run([EXE, "diff", "no-such-thing", str(new)], capture_output=True, text=True, cwd=old)
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
    assert "no-such-thing: is neither a folder, a zip file nor a git revision" in bad.stderr
    with pytest.raises(DataError, match="not a Data Package"):
        (old / "datapackage.json").write_text("[]")
        open_package(str(old))


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="needs git history")
def test_from_1_0_0_to_this_version_lists_the_changed_records_and_fields() -> None:
    result = diff(open_package("5f2b11e", cwd=ROOT), open_package(str(ROOT)))
    incidents = result["tables"]["incidents"]
    assert "paris-attacks-2015" in incidents["removed"] and "paris-bataclan-2015" in incidents["added"]
    berlin = next(r for r in incidents["changed"] if r["key"] == "berlin-christmas-market-2016")
    assert {"field": "killed_low", "old": None, "new": "12"} in berlin["fields"]
    assert {"column": "attack_id", "type": "string"} in incidents["schema"]["columns_added"]
    assert result["tables"]["claims"]["status"] == "added" and result["rise"] == "major"
