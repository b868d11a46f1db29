"""The strict YAML reader gives the same result on libyaml's C parser and on the pure-Python one, through
PyYAML's constructors (the reference loaders) and through the lean pass (the default)."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
import yaml
from aoav_build import yamlio
from aoav_build.errors import CurationError
from aoav_build.yamlio import DEFAULT_LOADER, LOADERS, MAX_VALUES, REFERENCE_LOADERS, load_yaml
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
ACCEPTED: dict[str, tuple[str, dict[str, Any]]] = {
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
    assert len(REFERENCE_LOADERS) == 2, "PyYAML without libyaml: only the slow pure-Python parser is available"
    assert len(LOADERS) == 4
    assert DEFAULT_LOADER.reference is REFERENCE_LOADERS[-1], "the default is the lean pass on libyaml"


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


# Documents at the edges of the rules: each lean loader must give what its reference loader gives, the
# same value or the same error (the merge key `<<`, the value key `=` and unknown tags are refused, as
# PyYAML's safe constructors have no constructor for them; the standard explicit tags keep their meaning).
TRICKY = {
    "anchors": "a: &x {k: [1, 2]}\nb: *x\nc: &s text\nd: *s\n",
    "alias-in-list": "- &x [1, {a: b}]\n- *x\n- [*x, *x]\n",
    "merge-key": "a: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "merge-list": "a: &b {x: 1}\nc:\n  <<: [*b]\n",
    "value-key": "a: =\n",
    "flow": "{a: [1, 2.5, {b: c}], 'd': \"e\", f: [], g: {}}\n",
    "quoted": "a: '017'\nb: \"yes\"\nc: 'null'\nd: \"1e3\"\ne: \"\\u00e9\\t\"\nf: 'it''s'\ng: ''\n",
    "dates": "a: 2011-04-28\nb: 2011-04-28 10:00:00\nc: 2011-04-28T10:00:00.5+01:00\nd: '2011-04-28'\n",
    "booleans": "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: FALSE\ng: y\nh: n\n",
    "nulls": "a: ~\nb: null\nc: NULL\nd:\ne: Null\n",
    "numbers": "a: 0\nb: -17\nc: 3.25\nd: 1.0e+3\ne: 1:30.5\nf: 1_000.5\ng: .5\nh: +1.5\ni: -0\n",
    "refused-numbers": "a: [1, 017]\n",
    "refused-infinity": "a: {b: .inf}\n",
    "explicit-tags": "a: !!str 017\nb: !!int '17'\nc: !!float '2'\nd: !!str yes\ne: !!null x\nf: ! 17\ng: ! '17'\n",
    "explicit-collections": "a: !!map {b: 1}\nc: !!seq [1]\nd: !!set {e, f}\ng: !!omap [h: 1]\n",
    "binary": "a: !!binary aGVsbG8=\n",
    "unknown-tag": "a: !record x\n",
    "multi-line": "a: |\n  one\n  two\nb: >\n  folded\n  text\n\n  para\nc: plain\n  continued\nd: |-\n  kept\n",
    "nested-duplicate": "a:\n  - b: 1\n    c: 2\n    b: 3\n",
    "duplicate-one-true": "1: a\ntrue: b\n",
    "duplicate-one-float": "1: a\n1.0: b\n",
    "duplicate-null": "~: a\nnull: b\n",
    "list-key": "a: &x [1]\n? *x\n: 2\n",
    "map-key": "? {a: 1}\n: 2\n",
    "keys-of-every-kind": "1: a\n2.5: b\ntrue: c\n~: d\n2011-04-28: e\n'1': f\n",
    "contains-itself": "&a {x: *a}\n",
    "contains-itself-through-a-list": "&a {x: [*a]}\n",
    "list-contains-itself": "&a [{x: *a}]\n",
    "deep-lists": "[" * 150 + "]" * 150 + "\n",
    "deep-maps": "".join("  " * i + f"k{i}:\n" for i in range(120)) + "  " * 120 + "v\n",
    "empty": "",
    "comment-only": "# nothing\n",
    "scalar-document": "just text\n",
    "two-documents": "a: 1\n---\nb: 2\n",
    "undefined-alias": "a: *nowhere\n",
    "syntax": "a: [1, 2\n",
    "tab-indent": "a:\n\tb: 1\n",
}


def _outcome(text: str, loader: type) -> tuple[str, str]:
    try:
        return "value", repr(yamlio._load(text, loader))  # repr: the types too (1, 1.0, True, '1')
    except Exception as exc:  # the reference loader's errors, whatever they are, are the ones to match
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("case", sorted(TRICKY))
def test_lean_loaders_match_their_reference(case: str) -> None:
    text = TRICKY[case]
    outcomes = {loader.__name__: _outcome(text, loader) for loader in LOADERS}
    for lean in LOADERS[len(REFERENCE_LOADERS) :]:
        assert outcomes[lean.__name__] == outcomes[lean.reference.__name__], (lean, outcomes)
    # The two parsers word errors differently (the pure one quotes the line) but agree on values.
    assert len({kind for kind, _ in outcomes.values()}) == 1, outcomes
    if all(kind == "value" for kind, _ in outcomes.values()):
        assert len(set(outcomes.values())) == 1, outcomes


def test_merge_keys_and_unknown_tags_are_refused(tmp_path: Path) -> None:
    for text in (TRICKY["merge-key"], TRICKY["value-key"], TRICKY["unknown-tag"]):
        with pytest.raises(CurationError, match=r"case\.yaml: is not valid YAML: could not determine a constructor"):
            load_yaml(_write(tmp_path, text))


def test_plain_data_takes_the_lean_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # The lean pass defers only what it is unsure of; the curated files it reads alone.
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the reference loader was used")

    monkeypatch.setattr(yaml, "load", refuse)
    for case in ("anchors", "alias-in-list", "flow", "quoted", "dates", "booleans", "nulls", "numbers"):
        for lean in LOADERS[len(REFERENCE_LOADERS) :]:
            yamlio._load(TRICKY[case], lean)
    for path in sorted((ROOT / "curation").rglob("*.yaml")):
        load_yaml(path)


def test_aliases_give_one_object() -> None:
    for lean in LOADERS[len(REFERENCE_LOADERS) :]:
        data = yamlio._load(TRICKY["anchors"], lean)
        assert data["a"] is data["b"]


def test_the_scalar_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_PLAIN_LIMIT", 10)
    text = "".join(f"k{i}: v{i}\n" for i in range(50))
    assert yamlio._load(text, DEFAULT_LOADER) == {f"k{i}": f"v{i}" for i in range(50)}
    assert len(yamlio._PLAIN) <= 10


def test_garbage_collection_is_back_on_after_a_read(tmp_path: Path) -> None:
    assert gc.isenabled()
    load_yaml(_write(tmp_path, "a: 1\n"))
    with pytest.raises(CurationError):
        load_yaml(_write(tmp_path, "a: [1, 2\n"))
    assert gc.isenabled()
    gc.disable()
    try:
        load_yaml(_write(tmp_path, "a: 1\n"))
        assert not gc.isenabled(), "a read turned on a collector its caller had turned off"
    finally:
        gc.enable()
