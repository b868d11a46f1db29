"""The strict YAML reader gives the same result on libyaml's C parser and on the pure-Python one."""

from __future__ import annotations

from pathlib import Path

import pytest
from aoav_build.errors import CurationError
from aoav_build.yamlio import LOADERS, MAX_VALUES, load_yaml
from conftest import ROOT

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)
REFUSED = {
    "octal-looking": ("killed: 017\n", "leading zeros"),
    "plus-sign": ("killed: +1\n", "leading zeros"),
    "separators": ("killed: 1_000\n", "leading zeros"),
    "hexadecimal": ("killed: 0x1F\n", "leading zeros"),
    "sexagesimal": ("killed: 1:30\n", "leading zeros"),
    "nan": ("latitude: .nan\n", "finite"),
    "infinity": ("latitude: -.inf\n", "finite"),
    "duplicate-key": ("a: 1\nb: 2\na: 3\n", "duplicate key 'a'"),
    "unhashable-key": ("? [1, 2]\n: x\n", "a key must be text or a number"),
    "alias-bomb": (BOMB, f"more than {MAX_VALUES:,}"),
    "self-alias": ("&a [*a]\n", "an alias refers to itself"),
    "syntax": ("a: [1, 2\n", "not valid YAML"),
}
ACCEPTED = {
    "dates-as-text": (
        "date: 2011-04-28\nwhen: 2011-04-28T10:00:00Z\n",
        {"date": "2011-04-28", "when": "2011-04-28T10:00:00Z"},
    ),
    "decimal": (
        "a: 0\nb: -17\nc: 31.6265\nd: 1.0e+3\ne: 1e3\n",
        {"a": 0, "b": -17, "c": 31.6265, "d": 1000.0, "e": "1e3"},
    ),
    "shared-alias": ("a: &x {k: [1, 2]}\nb: *x\n", {"a": {"k": [1, 2]}, "b": {"k": [1, 2]}}),
    "scalars": ("a: yes\nb: null\nc: ~\nd: '017'\n", {"a": True, "b": None, "c": None, "d": "017"}),
}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_libyaml_is_used_here() -> None:
    assert len(LOADERS) == 2, "PyYAML without libyaml: only the slow pure-Python loader is available"


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_each_loader_refuses(tmp_path: Path, loader: type, case: str) -> None:
    text, message = REFUSED[case]
    with pytest.raises(CurationError, match=r"case\.yaml") as caught:
        load_yaml(_write(tmp_path, text), loader)
    assert message in str(caught.value)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_each_loader_reads(tmp_path: Path, loader: type, case: str) -> None:
    text, expected = ACCEPTED[case]
    value = load_yaml(_write(tmp_path, text), loader)
    assert value == expected
    assert [type(v) for v in value.values()] == [type(v) for v in expected.values()]


def test_loaders_agree_on_every_curated_file() -> None:
    files = sorted((ROOT / "curation").rglob("*.yaml")) + sorted((ROOT / "sources").rglob("*.yaml"))
    for path in files:
        results = [load_yaml(path, loader) for loader in LOADERS]
        assert all(r == results[0] for r in results), path
        assert all(repr(r) == repr(results[0]) for r in results), path  # same types too (1 vs 1.0 vs True)


def test_values_past_the_cap_are_refused_without_aliases_too(tmp_path: Path) -> None:
    # the cap is checked after parsing, the same for both loaders; the fast one keeps this test short
    with pytest.raises(CurationError, match="values through its aliases"):
        load_yaml(_write(tmp_path, "[" + "a," * (MAX_VALUES + 1) + "]\n"))
