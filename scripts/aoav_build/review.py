"""The curator's review list: every value whose support is weakest, so a curator sees what to strengthen.

A value (one field of one record) is listed when nothing states it plainly in a source's words:
its evidence is only inferred, or its external support is low-confidence (hedged) or rests on one
reference (medium). A value that the article states is not listed, whatever else supports it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .coverage import read_tables

REASONS = {
    "inferred": "only inferred",
    "low": "low confidence (a hedged claim)",
    "medium": "one reference",
}  # fmt: skip


def weak_values(root: Path) -> list[tuple[str, str, str, str, list[str]]]:
    """(table, record_id, field, reason, sources) of every weakly supported value, in order."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    for row in read_tables(root)["evidence"]:
        groups[(row["table"], row["record_id"], row["field"])].append(row)
    out = []
    for key, rows in sorted(groups.items()):
        if any(r["provenance"] == "stated" for r in rows):
            continue
        external = [r for r in rows if r["provenance"] == "external"]
        reason = external[0]["confidence"] if external else "inferred"
        if reason in REASONS:
            out.append((*key, REASONS[reason], sorted({r["source_id"] for r in rows})))
    return out


def review_lines(root: Path) -> list[str]:
    weak = weak_values(root)
    lines = [f"review: {len(weak)} values to strengthen (table/record/field: why; sources)"]
    lines += [f"  {t}/{r}/{f}: {why}; {', '.join(srcs)}" for t, r, f, why, srcs in weak]
    return lines
