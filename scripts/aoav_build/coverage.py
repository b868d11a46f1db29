"""Coverage audit: every number, date, footnote marker and name in a source, and what accounts for it.

An item is accounted for when an evidence or errata quote spans it (for a
footnote marker: when the work it cites is curated and a quote citing that
work ends in the marker's paragraph), or when curation/coverage-exclusions.yaml
lists it with a reason.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .cache import Memo
from .errors import CurationError
from .yamlio import load_yaml

NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twice|thrice|once|"
    "first|second|third|fourth|fifth|dozen|dozens|hundred|hundreds|thousand|thousands|million|single"
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
PATTERNS = {
    "date": rf"\b(?:(?:{MONTHS})\s+\d{{1,2}},\s+\d{{4}}|(?:{MONTHS})\s+\d{{4}}|(?:1[89]|2[01])\d{{2}})\b",
    "number": rf"\b(?:\d[\d,.]*|(?i:{NUMBER_WORDS}))\b",
    "footnote": r"\[(?:[ivxlc]+)\]",
    "name": r"\b[A-Z][\w'-]*(?:(?:[ \u00a0]+(?:of|the|de|del|el|al|la|and)[ \u00a0]+|[ \u00a0]+)[A-Z][\w'-]*)*",
}
THRESHOLDS = {"number": 100.0, "date": 100.0, "footnote": 100.0, "name": 95.0}
# Capitalised words that start sentences or headings and name nothing.
COMMON = {
    "A", "As", "Alongside", "Closer", "Despite", "Due", "Following", "In", "It", "Moroccan", "Since",
    "The", "This", "To", "While", "According", "Responding", "Paris attacker", "Western",
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    kind: str
    text: str
    start: int
    end: int
    accounted_by: str  # evidence ids, "excluded: reason", or "" when unaccounted


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class _Taken:
    """Spans already taken by an item, sorted by start: a span within one of them is not an item again.
    A span holding [start, end) is no longer than the longest taken, so it starts no earlier than
    end - longest: only those few are looked at (a scan of them all made each text quadratic)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.spans: list[tuple[int, int]] = []
        self.longest = 0

    def holds(self, start: int, end: int) -> bool:
        first, last = bisect.bisect_left(self.starts, end - self.longest), bisect.bisect_right(self.starts, start)
        return any(self.spans[i][1] >= end for i in range(first, last))

    def add(self, start: int, end: int) -> None:
        at = bisect.bisect_right(self.starts, start)
        self.starts.insert(at, start)
        self.spans.insert(at, (start, end))
        self.longest = max(self.longest, end - start)


def find_items(text: str) -> Iterator[tuple[str, str, int, int]]:
    """Every candidate item; a date's digits are not counted again as numbers."""
    taken = _Taken()
    for kind in ("date", "footnote", "number", "name"):
        for match in re.finditer(PATTERNS[kind], text):
            start, end = match.span()
            if taken.holds(start, end):
                continue
            value = match.group().strip(",.")
            if kind == "name" and (value in COMMON or (value.isupper() and len(value) == 1)):
                continue
            if kind == "name":
                value, start = _strip_common_head(value, start)
            taken.add(start, start + len(value))
            yield kind, value, start, start + len(value)


def _strip_common_head(value: str, start: int) -> tuple[str, int]:
    head, _, rest = value.partition(" ")
    if head in COMMON and rest:
        return rest, start + len(head) + 1
    return value, start


def read_tables(root: Path) -> dict[str, list[dict[str, str]]]:
    """The published evidence, errata and sources, which the audit reads."""
    return {t: _read_csv(root / "csv" / f"{t}.csv") for t in ("evidence", "errata", "sources")}


def _present(value: Any) -> bool:
    return value is not None and value != ""


Span = tuple[int, int, str, Any]  # start, end, evidence or erratum id, the work it cites


class Index:
    """Evidence and errata spans, and footnote markers, grouped by source in one pass over the
    tables: the audit of each source reads only its own rows (a scan of every row per source
    made the audit quadratic in the number of reports)."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.spans: dict[str, list[Span]] = defaultdict(list)
        for r in tables["evidence"] + tables["errata"]:  # evidence first, as the audit lists them
            if _present(r.get("char_start")):  # claim evidence has no offsets
                span = (int(r["char_start"]), int(r["char_end"]), r.get("evidence_id") or r["erratum_id"])
                self.spans[r["source_id"]].append((*span, r.get("cited_source_id")))
        self.footnotes: dict[str, dict[str, str]] = defaultdict(dict)
        for r in tables["sources"]:
            if _present(r["footnote"]):
                for marker in r["footnote"].split("; "):
                    self.footnotes[r["cited_by"]][marker] = r["source_id"]


class _Accounts:
    def __init__(self, index: Index, source_id: str, exclusions: list[dict[str, Any]]) -> None:
        self.spans = index.spans.get(source_id, [])
        # Every item is tested against every span of its source: as arrays, one comparison per item.
        self.starts = np.array([span[0] for span in self.spans], dtype=np.int64)
        self.ends = np.array([span[1] for span in self.spans], dtype=np.int64)
        self.footnotes = index.footnotes.get(source_id, {})
        self.exclusions = exclusions

    def covering(self, start: int, end: int) -> list[str]:
        """The ids of the spans holding [start, end), in the order of the spans."""
        return [self.spans[i][2] for i in np.flatnonzero((self.starts <= start) & (self.ends >= end))]

    def excluded(self, kind: str, text: str, start: int) -> str:
        for rule in self.exclusions:
            if rule["kind"] == kind and rule["text"] == text and rule.get("start", start) == start:
                return f"excluded: {rule['reason']}"
        return ""

    def footnote(self, marker: str, start: int, text: str) -> str:
        cited = self.footnotes.get(marker.strip("[]"))
        if cited is None:
            return ""
        paragraph_start = text.rfind("\n", 0, start) + 1
        citing = [ident for s, e, ident, c in self.spans if c == cited and paragraph_start <= e <= start + 1]
        line_end = text.find("\n", start) % (len(text) + 1)
        listing = [ident for s, e, ident, _ in self.spans if paragraph_start <= s < line_end]
        return ", ".join(citing or (listing if paragraph_start == start else []))


def audit(
    tables: dict[str, list[dict[str, Any]]] | Index, source_id: str, text: str, exclusions: list[dict[str, Any]]
) -> list[Item]:
    """Every item of a source's text, with what accounts for it (empty when nothing does).
    Pass an Index to audit many sources: built once, it is shared."""
    accounts = _Accounts(tables if isinstance(tables, Index) else Index(tables), source_id, exclusions)
    items = []
    for kind, value, start, end in find_items(text):
        found = accounts.covering(start, end)
        if kind == "footnote":
            cited = accounts.footnote(value, start, text)
            found = [cited] if cited else []
        why = ", ".join(found[:3]) + (f" (+{len(found) - 3})" if len(found) > 3 else "") if found else ""
        items.append(Item(kind, value, start, end, why or accounts.excluded(kind, value, start)))
    return items


def coverage(index: Index, documents: dict[str, str], root: Path, memo: Memo | None = None) -> dict[str, Any]:
    """Per stored source and kind: [accounted, total], as the descriptor publishes it. With a memo,
    a source whose text, spans, footnotes and exclusions are all as before is not audited again."""
    exclusions = load_exclusions(root)
    out = {}
    for sid, text in sorted(documents.items()):
        rules = exclusions.get(sid, [])
        key = memo.key([text, index.spans.get(sid, []), index.footnotes.get(sid, {}), rules]) if memo else ""
        counts = memo.get(key) if memo else None
        if not _counts_shape(counts):
            items = audit(index, sid, text, rules)
            counts = {kind: [done, total] for kind, (done, total, _) in summarise(items).items()}
            if memo:
                memo.put(key, counts)
        out[sid] = counts
    if memo:
        memo.prune()
    return out


def _counts_shape(counts: Any) -> bool:
    """Whether a remembered value is a source's counts: [accounted, total] integers for every kind."""
    return (
        isinstance(counts, dict)
        and list(counts) == list(THRESHOLDS)
        and all(
            isinstance(v, list) and len(v) == 2 and all(type(n) is int for n in v) and 0 <= v[0] <= v[1]
            for v in counts.values()
        )
    )


def summarise(items: list[Item]) -> dict[str, tuple[int, int, float]]:
    """Per kind: accounted, total, percent. Names count once each, whatever their occurrences."""
    out = {}
    for kind in THRESHOLDS:
        of_kind = [i for i in items if i.kind == kind]
        if kind == "name":
            names: dict[str, bool] = {}
            for item in of_kind:
                names[item.text] = names.get(item.text, False) or bool(item.accounted_by)
            done, total = sum(names.values()), len(names)
        else:
            done, total = sum(bool(i.accounted_by) for i in of_kind), len(of_kind)
        out[kind] = (done, total, 100.0 * done / total if total else 100.0)
    return out


def load_exclusions(root: Path) -> dict[str, list[dict[str, Any]]]:
    path = root / "curation" / "coverage-exclusions.yaml"
    raw = load_yaml(path) if path.exists() else {}
    for source_id, rules in (raw or {}).items():
        for rule in rules:
            if not {"kind", "text", "reason"} <= set(rule) or rule["kind"] not in THRESHOLDS:
                raise CurationError(
                    path,
                    "each exclusion needs kind (number, date, footnote, name), text and reason",
                    source_id,
                )
    return raw or {}
