"""Notebook and terminal habits: dir(), tab completion, help(), --version, --help, bad values,
and environment problems, each answered in one line without a traceback."""

from __future__ import annotations

import os
import pydoc
import rlcompleter
import subprocess
import sys
from pathlib import Path

import pytest

import aoav_data
from aoav_data import cli

EXE = str(Path(sys.executable).with_name("aoav-data"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=120)


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def one_line_error(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr


def test_dir_lists_every_public_name_and_loader() -> None:
    names = dir(aoav_data)
    assert set(aoav_data.__all__) <= set(names)
    assert set(aoav_data.tables()) <= set(names)
    assert not {"importlib", "TYPE_CHECKING", "annotations"} & set(names)
    for name in aoav_data.__all__:
        assert getattr(aoav_data, name) is not None, name


def test_tab_completion_offers_the_loaders() -> None:
    completer = rlcompleter.Completer({"aoav_data": aoav_data})
    offered = []
    while (option := completer.complete("aoav_data.inc", len(offered))) is not None:
        offered.append(option)
    assert len(offered) == 1 and offered[0].startswith("aoav_data.incidents(")


@pytest.mark.parametrize("table", ["incidents", "evidence", "timeline"])
def test_help_on_a_loader_shows_its_columns_and_their_meaning(table: str) -> None:
    text = pydoc.render_doc(getattr(aoav_data, table), renderer=pydoc.plaintext)
    for spec in aoav_data.metadata()["resources"][aoav_data.tables().index(table)]["schema"]["fields"]:
        assert f"  {spec['name']} : " in text, spec["name"]
        assert " ".join(spec["description"].split()[:4]) in " ".join(text.split()), spec["name"]
        for value in spec.get("constraints", {}).get("enum", [])[:3]:
            assert value in text


def test_version_flag() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout == f"aoav-data {aoav_data.__version__}\n"
    module = subprocess.run([sys.executable, "-m", "aoav_data", "--version"], capture_output=True, text=True)
    assert module.stdout == result.stdout


def subcommands() -> list[str]:
    action = next(a for a in cli._parser()._actions if a.dest == "command")
    return list(action.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize("command", subcommands())
def test_every_subcommand_help_says_what_it_does(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    paragraphs = result.stdout.split("\n\n")
    assert paragraphs[0].startswith(f"usage: aoav-data {command}")
    assert len(paragraphs) > 1 and paragraphs[1].strip()[0].isupper() and paragraphs[1].strip().endswith(".")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "incidents", "--limit", "-2"], "'-2' is not a number of rows"),
        (["show", "incidents", "--width", "0"], "'0' is not a width"),
        (["timeline", "--width", "0"], "'0' is not a width"),
        (["show", "incidents", "--limit", "ten"], "'ten' is not a number of rows"),
    ],
)
def test_bad_option_values_are_refused_in_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert message in one_line_error(result, 2)
    assert result.stdout == ""


def test_a_misspelt_field_in_evidence_for_is_refused_in_one_line() -> None:
    with pytest.raises(KeyError) as caught:
        aoav_data.evidence_for("incidents", "paris-bataclan-2015", field="dat")
    message = caught.value.args[0]
    assert "\n" not in message and "no field 'dat' in incidents" in message and "did you mean 'date'" in message
    assert len(aoav_data.evidence_for("incidents", "paris-bataclan-2015", field="date")) > 0


def test_a_missing_optional_library_is_one_line_naming_the_extra(tmp_path: Path) -> None:
    code = "import sys; sys.modules['openpyxl'] = None; from aoav_data.cli import main; "
    code += f"sys.exit(main(['release', {str(tmp_path / 'out')!r}]))"
    result = python(code)
    assert "pip install 'aoav-data[release]'" in one_line_error(result, 1)
    assert not (tmp_path / "out").exists()


def test_a_broken_installation_is_one_line() -> None:
    code = "import sys; sys.modules['pandas'] = None; from aoav_data.cli import main; "
    code += "sys.exit(main(['show', 'actors']))"
    assert "pandas" in one_line_error(python(code), 1)


def test_an_unwritable_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert str(blocker) in one_line_error(run("export", "--format", "geojson", str(blocker / "out")), 1)


def test_a_console_that_cannot_show_a_character_gets_no_traceback() -> None:
    """Windows consoles and pipes default to a code page: data output stays UTF-8, text output never fails."""
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    data = subprocess.run([EXE, "show", "actors", "--format", "csv"], capture_output=True, env=env, timeout=120)
    assert data.returncode == 0, data.stderr
    names = set(aoav_data.actors()["name"])
    assert any(not name.isascii() for name in names)
    assert all(name in data.stdout.decode("utf-8") for name in names)
    for args in (["show", "actors"], ["timeline"], ["list"]):
        text = subprocess.run([EXE, *args], capture_output=True, env=env, timeout=120)
        assert text.returncode == 0 and b"Traceback" not in text.stderr, (args, text.stderr)
