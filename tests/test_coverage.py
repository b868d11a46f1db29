"""The coverage audit: nothing in the article missed, and a gap makes it fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aoav_build.build import build
from aoav_build.coverage import find_items
from conftest import ROOT

SCRIPT = str(ROOT / "scripts" / "coverage.py")


def run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, SCRIPT, "--root", str(root)], capture_output=True, text=True)


def test_article_is_fully_accounted_for() -> None:
    result = run(ROOT)
    assert result.returncode == 0, result.stdout
    summary = {line.split()[0]: line.split()[2] for line in result.stdout.splitlines() if "needs" in line}
    assert summary == {"number": "100.0%", "date": "100.0%", "footnote": "100.0%", "name": "100.0%"}


def test_finds_numbers_words_dates_and_markers() -> None:
    text = "In April 2011, twice, 341 attacks and second and third cells.[ii] quoting Issandr El Amrani on May 3, 2019."
    found = {(kind, value) for kind, value, _, _ in find_items(text)}
    assert {("date", "April 2011"), ("number", "twice"), ("number", "341"), ("number", "second"),
            ("number", "third"), ("footnote", "[ii]"), ("date", "May 3, 2019"),
            ("name", "Issandr El Amrani")} <= found  # fmt: skip
    assert ("number", "2011") not in found, "a date's digits are counted once, as a date"


def test_a_figure_without_evidence_fails_the_audit(repo: Path) -> None:
    """Drop the statistic of 167 cells dismantled: its number is then in the article and nowhere in the data."""
    path = repo / "curation/aoav-morocco-2018/statistics.yaml"
    records = path.read_text(encoding="utf-8").split("\n- ")
    kept = [r for r in records if not r.startswith("statistic_id: morocco-cells-dismantled-since-2002")]
    assert len(kept) == len(records) - 1
    path.write_text("\n- ".join(kept), encoding="utf-8")
    build(repo)
    result = run(repo)
    assert result.returncode == 1
    assert "'167'" in result.stdout and "NOT ACCOUNTED FOR" in result.stdout
    assert "BELOW" in result.stdout


def test_review_lists_weak_values_and_not_strong_ones() -> None:
    result = subprocess.run([sys.executable, SCRIPT, "--root", str(ROOT), "--review"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    review = result.stdout.split("review: ", 1)[1]
    # One reference only: the date of Hollande's thanks rests on a single AFP page.
    assert "operations/hollande-thanks-morocco-2015/date: one reference" in review
    # Hedged: the Moroccan account of the warnings' dates ("soll", reportedly).
    assert "operations/amri-warning-2016-09-19/date: low confidence" in review
    # Only inferred: no attacker died at Marrakesh, which no page states as a number.
    assert "incidents/marrakesh-argana-cafe-2011/perpetrators_killed: only inferred" in review
    # Two independent pages agree on Berlin's 12 dead, and the article states it: not listed.
    assert "incidents/berlin-christmas-market-2016/killed:" not in review


def test_a_span_is_taken_exactly_when_one_taken_span_holds_it() -> None:
    import random

    from aoav_build.coverage import _Taken

    rng = random.Random(14)
    for _ in range(200):
        taken, spans = _Taken(), []
        for _ in range(rng.randint(1, 40)):
            start = rng.randint(0, 300)
            end = start + rng.randint(1, 30)
            # the definition, by a scan of every span taken so far
            assert taken.holds(start, end) == any(s <= start and end <= e for s, e in spans), (start, end, spans)
            if rng.random() < 0.6:
                taken.add(start, end)
                spans.append((start, end))
