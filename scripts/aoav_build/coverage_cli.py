"""Printing the coverage audit, and failing below the thresholds."""

from __future__ import annotations

import argparse
from pathlib import Path

from .coverage import THRESHOLDS, Index, Item, audit, load_exclusions, read_tables, summarise
from .review import review_lines
from .sources import load_corpus


def report(root: Path, show_all: bool) -> tuple[list[str], bool]:
    """The printed lines, and whether every threshold is met."""
    corpus, exclusions, lines, ok = load_corpus(root / "sources"), load_exclusions(root), [], True
    index = Index(read_tables(root))  # once: each source reads only its own rows
    for source_id, doc in sorted(corpus.documents.items()):
        items = audit(index, source_id, doc.text, exclusions.get(source_id, []))
        lines.append(f"{source_id} ({doc.path.name})")
        named = {i.text for i in items if i.kind == "name" and i.accounted_by}
        missing = [i for i in items if not i.accounted_by and not (i.kind == "name" and i.text in named)]
        lines += [_line(i) for i in (items if show_all else missing)]
        for kind, (done, total, percent) in summarise(items).items():
            met = percent >= THRESHOLDS[kind]
            ok &= met
            flag = "" if met else "  BELOW"
            lines.append(f"  {kind:<9} {done:>4}/{total:<4} {percent:6.1f}%  (needs {THRESHOLDS[kind]:.0f}%){flag}")
    return lines, ok


def _line(item: Item) -> str:
    status = item.accounted_by or "NOT ACCOUNTED FOR"
    return f"  {item.kind:<9} {item.start:>6}  {item.text!r:<45} {status}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coverage", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--all", action="store_true", help="list accounted items too, with what accounts for them")
    parser.add_argument(
        "--review", action="store_true", help="also list every value only inferred, single-sourced or low-confidence"
    )
    args = parser.parse_args(argv)
    lines, ok = report(args.root, args.all)
    if args.review:
        lines += review_lines(args.root)
    print("\n".join(lines))
    return 0 if ok else 1
