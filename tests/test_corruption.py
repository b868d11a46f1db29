"""The corruption suite: every kind of damage, in every layer, is refused with a message naming the
file (and the record and field, where there is one), and the published files stay byte for byte as they were.

Each case damages a copy of the repository, then runs what would meet the damage: the build (for the
sources and the curated records), or the drift check and the runtime package (for the published files).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aoav_build.build import build
from aoav_build.errors import CurationError
from conftest import snapshot

import aoav_data
from aoav_data import _paths, descriptor

ARTICLE = "sources/aoav-morocco-2018/how-morocco-is-helping-counter-isis-terrorism-in-europe.txt"
META = "sources/aoav-morocco-2018/source.yaml"
CUR = "curation/aoav-morocco-2018"
Damage = Callable[[Path], None]


# --- ways to damage a file -------------------------------------------------------------------------


def replace(rel: str, old: str, new: str, count: int = 1) -> Damage:
    def damage(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return damage


def rewrite_bytes(rel: str, change: Callable[[bytes], bytes]) -> Damage:
    def damage(root: Path) -> None:
        path = root / rel
        path.write_bytes(change(path.read_bytes()))

    return damage


def repin(damage: Damage) -> Damage:
    """Damage the article, then re-pin its SHA-256 as a careless curator would."""

    def both(root: Path) -> None:
        old = hashlib.sha256((root / ARTICLE).read_bytes()).hexdigest()
        damage(root)
        new = hashlib.sha256((root / ARTICLE).read_bytes()).hexdigest()
        replace(META, old, new)(root)

    return both


def csv_rows(rel: str, change: Callable[[list[str]], list[str]]) -> Damage:
    return rewrite_bytes(rel, lambda data: "".join(change(data.decode("utf-8").splitlines(keepends=True))).encode())


def csv_columns(rel: str, change: Callable[[list[str]], list[str]]) -> Damage:
    """Apply `change` to the cells of every line (the file has no quoted commas in the first fields used)."""
    import csv
    import io

    def damage(root: Path) -> None:
        path = root / rel
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(change(r) for r in rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    return damage


def descriptor_edit(change: Callable[[dict], None]) -> Damage:  # type: ignore[type-arg]
    def damage(root: Path) -> None:
        path = root / "datapackage.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2), encoding="utf-8")

    return damage


def resource(data: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in data["resources"] if r["name"] == name)


def field(data: dict, table: str, name: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in resource(data, table)["schema"]["fields"] if f["name"] == name)


def empty_evidence(rel: str, record: str) -> Damage:
    """Replace a record's whole evidence list with []."""

    def damage(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        start = text.index(f"- arrest_id: {record}")
        at = text.index("  evidence:\n", start)
        end = text.find("\n- ", at)
        path.write_text(text[:at] + "  evidence: []\n" + (text[end + 1 :] if end != -1 else ""), encoding="utf-8")

    return damage


def add_file(rel: str, text: str) -> Damage:
    return lambda root: (root / rel).write_text(text, encoding="utf-8")


# --- the cases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    damage: Damage
    expect: tuple[str, ...]  # every one must be in every message
    action: str = "build"  # build | check+load:<table> | check+validate | check
    detail: tuple[str, ...] = ()  # must also be in the runtime package's message


SOURCE = {
    "source-character-changed": Case(replace(ARTICLE, "thwarted 341", "thwarted 342"), ("how-morocco", "SHA-256")),
    "source-paragraph-removed": Case(
        replace(ARTICLE, "Despite these successes, not all", "Not all"), ("how-morocco", "SHA-256")
    ),
    "source-other-encoding": Case(
        rewrite_bytes(ARTICLE, lambda b: b.decode("utf-8").encode("utf-16")), ("how-morocco", "SHA-256")
    ),
    "source-other-encoding-repinned": Case(
        repin(rewrite_bytes(ARTICLE, lambda b: b.decode("utf-8").encode("latin-1", "replace"))),
        ("how-morocco", "not UTF-8"),
    ),
    "source-bom-repinned": Case(
        repin(rewrite_bytes(ARTICLE, lambda b: b"\xef\xbb\xbf" + b)), ("how-morocco", "byte-order mark")
    ),
    "source-missing": Case(lambda root: (root / ARTICLE).unlink(), ("source.yaml", "file", "cannot be read")),
    "source-edited-repinned": Case(
        repin(replace(ARTICLE, "Juan Ignacio Zoido described", "Juan Zoido described")),
        ("actors.yaml", "juan-ignacio-zoido", "quote not found"),
    ),
    "reference-facts-changed": Case(
        replace("sources/context-facts/context-facts.csv", ",17,", ",18,"), ("context-facts.csv", "SHA-256")
    ),
}
RECORDS = {
    "yaml-malformed": Case(
        replace(f"{CUR}/incidents.yaml", "  killed: 17\n", "  killed: [17\n"), ("incidents.yaml", "not valid YAML")
    ),
    "missing-required-field": Case(
        replace(f"{CUR}/incidents.yaml", "  title: Brussels bombings\n", ""),
        ("incidents.yaml", "brussels-bombings-2016", "'title'", "required"),
    ),
    "wrong-type": Case(
        replace(f"{CUR}/incidents.yaml", "  killed: 32\n", "  killed: thirty-two\n"),
        ("incidents.yaml", "brussels-bombings-2016", "'killed'", "type integer"),
    ),
    "unknown-vocabulary": Case(
        replace(f"{CUR}/incidents.yaml", "geo_precision: exact", "geo_precision: street"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "geo_precision", "vocabulary"),
    ),
    "duplicate-id": Case(
        replace(f"{CUR}/incidents.yaml", "incident_id: brussels-bombings-2016", "incident_id: paris-attacks-2015"),
        ("incidents.yaml", "paris-attacks-2015", "incident_id", "duplicate id"),
    ),
    "duplicate-yaml-key": Case(
        replace(f"{CUR}/incidents.yaml", "  killed: 17\n", "  killed: 17\n  killed: 18\n"),
        ("incidents.yaml", "duplicate key"),
    ),
    "unknown-field": Case(
        replace(f"{CUR}/incidents.yaml", "  killed: 17\n", "  killed: 17\n  casualties: 38\n"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "casualties", "unknown fields"),
    ),
    "dangling-actor": Case(
        replace(f"{CUR}/operations.yaml", "lead_actor: francois-hollande", "lead_actor: francois-holande"),
        ("operations.yaml", "hollande-thanks-morocco-2015", "lead_actor", "francois-holande"),
    ),
    "dangling-incident": Case(
        replace(f"{CUR}/operations.yaml", "incident_id: paris-attacks-2015", "incident_id: paris-2015"),
        ("operations.yaml", "moroccan-tip-locating-abaaoud-2015", "incident_id", "paris-2015"),
    ),
    "dangling-partner": Case(
        replace(f"{CUR}/operations.yaml", "partners: bnd; bka", "partners: bnd; bkx"),
        ("operations.yaml", "amri-warning-2016-09-19", "partners", "bkx"),
    ),
    "unknown-actor-role": Case(
        replace(
            f"{CUR}/operations.yaml", "{actor: mohammed-vi, role: recipient}", "{actor: mohammed-vi, role: receiver}"
        ),
        ("operations.yaml", "hollande-thanks-morocco-2015", "receiver"),
    ),
    "quote-not-in-source": Case(
        replace(
            f"{CUR}/incidents.yaml",
            "quote: Paris attacker Abdelhamid Abaaoud",
            "quote: Paris attacker Abdelhamid Abaoud",
        ),
        ("incidents.yaml", "paris-attacks-2015", "morocco_link", "not found"),
    ),
    "quote-ambiguous": Case(
        replace(f"{CUR}/actors.yaml", "quote: two followers of ISIS", "quote: ISIS terror"),
        ("actors.yaml", "islamic-state", "name", "found 3 times"),
    ),
    "offset-points-elsewhere": Case(
        replace(
            f"{CUR}/actors.yaml", "quote: two followers of ISIS\n", "quote: two followers of ISIS\n      start: 10\n"
        ),
        ("actors.yaml", "islamic-state", "name", "not at offset 10"),
    ),
    "end-date-before-start": Case(
        replace(f"{CUR}/incidents.yaml", "date: 2017-08-17/2017-08-18", "date: 2017-08-18/2017-08-17"),
        ("incidents.yaml", "barcelona-cambrils-attacks-2017", "'date'", "ends before it starts"),
    ),
    "impossible-date": Case(
        replace(f"{CUR}/incidents.yaml", "date: 2011-04-28", "date: 2011-02-30"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "'date'", "no day 30"),
    ),
    "negative-count": Case(
        replace(f"{CUR}/incidents.yaml", "  killed: 17\n", "  killed: -17\n"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "'killed'", "below the minimum"),
    ),
    "low-above-high": Case(
        replace(f"{CUR}/incidents.yaml", "  injured_low: 20\n", "  injured_low: 22\n"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "injured_low", "above injured"),
    ),
    "latitude-out-of-range": Case(
        replace(f"{CUR}/incidents.yaml", "latitude: 31.6258", "latitude: 131.6258"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "latitude", "above the maximum"),
    ),
    "empty-evidence-list": Case(
        empty_evidence(f"{CUR}/arrests.yaml", "spain-arrests-helped-by-morocco-2014-2017"),
        ("arrests.yaml", "spain-arrests-helped-by-morocco-2014-2017", "no evidence"),
    ),
    "fact-without-evidence": Case(
        replace(f"{CUR}/incidents.yaml", "    - fields: [killed]\n      fact: marrakesh-killed\n", ""),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "'killed'", "no evidence"),
    ),
    "unknown-reference-fact": Case(
        replace(f"{CUR}/incidents.yaml", "fact: marrakesh-killed", "fact: marrakesh-dead"),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "killed", "marrakesh-dead"),
    ),
    "unknown-erratum": Case(
        replace(f"{CUR}/sources.yaml", "erratum: footnote-v-year", "erratum: footnote-v-yr"),
        ("sources.yaml", "nypost-2014-spain-morocco-arrest-9", "erratum_id", "footnote-v-yr"),
    ),
    "evidence-for-unknown-column": Case(
        replace(
            f"{CUR}/incidents.yaml",
            "    - fields: [killed]\n      fact: marrakesh-killed\n",
            "    - fields: [kiled]\n      fact: marrakesh-killed\n",
        ),
        ("incidents.yaml", "marrakesh-argana-cafe-2011", "kiled"),
    ),
    "erratum-quote-not-in-source": Case(
        replace(f"{CUR}/errata.yaml", "quote: Following his capture", "quote: Following his arrest"),
        ("errata.yaml", "abaaoud-killed-not-captured", "quote", "not found"),
    ),
    "spreadsheet-formula": Case(
        replace(f"{CUR}/incidents.yaml", "title: Brussels bombings", "title: '=HYPERLINK(\"http://x\")'"),
        ("incidents.yaml", "brussels-bombings-2016", "'title'", "formula"),
    ),
    "statistic-disagrees-with-arrest": Case(
        replace(f"{CUR}/arrests.yaml", "  arrested: 178\n", "  arrested: 179\n"),
        ("statistics.yaml", "spain-arrests-helped-by-morocco", "'value'", "differs"),
    ),
    "actor-linked-to-nothing": Case(
        replace(
            f"{CUR}/actors.yaml",
            "- actor_id: hannah-wallace\n",
            "- actor_id: nobody\n  name: Nobody\n  actor_type: person\n  description: Unused.\n  evidence:\n"
            "    - fields: [name, description]\n      quote: This article by Hannah Wallace\n\n"
            "- actor_id: hannah-wallace\n",
        ),
        ("actors.yaml", "nobody", "actor_id", "linked to no record"),
    ),
    "file-for-unknown-table": Case(
        add_file(f"{CUR}/incident.yaml", "[]\n"), ("incident.yaml", "not named after a curated table")
    ),
}
PUBLISHED = {
    "csv-truncated": Case(
        rewrite_bytes("csv/incidents.csv", lambda b: b[: len(b) // 2]), ("incidents.csv",), "check+load:incidents"
    ),
    "csv-dropped-column": Case(
        csv_columns("csv/incidents.csv", lambda r: r[:2] + r[3:]), ("incidents.csv",), "check+load:incidents"
    ),
    "csv-reordered-columns": Case(
        csv_columns("csv/actors.csv", lambda r: [r[1], r[0], *r[2:]]), ("actors.csv",), "check+load:actors"
    ),
    "csv-extra-column": Case(
        csv_columns("csv/arrests.csv", lambda r: [*r, "x"]), ("arrests.csv",), "check+load:arrests"
    ),
    "csv-changed-cell": Case(
        replace("csv/incidents.csv", ",130,", ",131,"), ("incidents.csv",), "check+load:incidents"
    ),
    "csv-byte-order-mark": Case(
        rewrite_bytes("csv/errata.csv", lambda b: b"\xef\xbb\xbf" + b), ("errata.csv",), "check+load:errata"
    ),
    "csv-crlf-line-ends": Case(
        rewrite_bytes("csv/errata.csv", lambda b: b.replace(b"\n", b"\r\n")), ("errata.csv",), "check+load:errata"
    ),
    "csv-duplicated-row": Case(
        csv_rows("csv/statistics.csv", lambda rows: [*rows, rows[1]]), ("statistics.csv",), "check+load:statistics"
    ),
    "csv-deleted": Case(lambda root: (root / "csv/timeline.csv").unlink(), ("timeline.csv",), "check+load:timeline"),
    "csv-stray-file": Case(add_file("csv/notes.csv", "a\n1\n"), ("csv/notes.csv",), "check"),
}
DESCRIPTOR = {
    "descriptor-missing-resource": Case(
        descriptor_edit(lambda d: d["resources"].remove(resource(d, "errata"))),
        ("datapackage.json",),
        "check+validate",
        ("no resource 'errata'",),
    ),
    "descriptor-wrong-hash": Case(
        descriptor_edit(lambda d: resource(d, "actors").update(hash="sha256:" + "0" * 64)),
        ("datapackage.json",),
        "check+load:actors",
        ("actors.csv", "hash"),
    ),
    "descriptor-wrong-size": Case(
        descriptor_edit(lambda d: resource(d, "sources").update(bytes=1)),
        ("datapackage.json",),
        "check+load:sources",
        ("sources.csv", "bytes"),
    ),
    "descriptor-wrong-type": Case(
        descriptor_edit(lambda d: field(d, "incidents", "killed").update(type="string")),
        ("datapackage.json",),
        "check+validate",
        ("incidents.killed", "'string'"),
    ),
    "descriptor-broken-foreign-key": Case(
        descriptor_edit(
            lambda d: resource(d, "operations")["schema"]["foreignKeys"][0]["reference"].update(resource="actorz")
        ),
        ("datapackage.json",),
        "check+validate",
        ("unknown resource 'actorz'",),
    ),
    "descriptor-not-json": Case(
        rewrite_bytes("datapackage.json", lambda b: b[:-20]), ("datapackage.json",), "check+load:incidents", ("JSON",)
    ),
}
CASES = {**SOURCE, **RECORDS, **PUBLISHED, **DESCRIPTOR}


def test_the_suite_covers_at_least_forty_kinds_in_every_layer() -> None:
    assert len(CASES) >= 40
    assert all(len(layer) >= 4 for layer in (SOURCE, RECORDS, PUBLISHED, DESCRIPTOR))


@pytest.fixture
def runtime_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], None]]:
    def point(root: Path) -> None:
        monkeypatch.setenv(_paths.ENV, str(root))
        _paths.published_root.cache_clear()
        descriptor.metadata.cache_clear()

    yield point
    _paths.published_root.cache_clear()
    descriptor.metadata.cache_clear()


def run_runtime(action: str) -> str:
    """The message the runtime package gives for the damage."""
    if action.startswith("load:"):
        with pytest.raises(aoav_data.DataError) as caught:
            aoav_data.load(action.removeprefix("load:"))
        return str(caught.value)
    report = aoav_data.validate()
    assert not report.ok
    return str(report)


@pytest.mark.parametrize("name", list(CASES))
def test_damage_is_refused_and_nothing_is_written(name: str, repo: Path, runtime_at: Callable[[Path], None]) -> None:
    case = CASES[name]
    if case.action == "build":
        before = snapshot(repo)
        case.damage(repo)
        with pytest.raises(CurationError) as caught:
            build(repo)
        messages = [str(caught.value)]
    else:
        case.damage(repo)
        before = snapshot(repo)
        drift = build(repo, check=True)
        assert drift, "the drift check found nothing"
        messages = ["\n".join(drift)]
        if "+" in case.action:
            runtime_at(repo)
            messages.append(run_runtime(case.action.split("+", 1)[1]))
            for part in case.detail:
                assert part in messages[-1], (part, messages[-1])
    for message in messages:
        for part in case.expect:
            assert part in message, (part, message)
    assert snapshot(repo) == before
    assert not list(repo.glob(".build-*")), "a staging folder was left behind"
    assert not re.search(r"Traceback", "\n".join(messages))
