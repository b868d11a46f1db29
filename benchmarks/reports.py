"""A project tree holding N reports shaped like the real one, for the scale benchmark.

Report 0 is the real report. Each further report `<source>-sNNNN` is a copy of it: the stored
article byte for byte (so every quote is present and every offset holds), and every curated record
with its id, and every reference to an id the report defines, suffixed with `-sNNNN` (so every key
resolves and none collides). The external references and their claims are shared, as they would be
between reports of one region. The tree has no git history, so the build skips the release policy.
Deterministic: the same N gives the same files.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from aoav_build.yamlio import load_yaml  # noqa: E402  (the build's own strict reader)

REPORT = "aoav-morocco-2018"
# Each curated table's id column: an id the report defines is renamed wherever it is used.
ID_COLUMNS = {
    "sources": "source_id",
    "attacks": "attack_id",
    "incidents": "incident_id",
    "operations": "operation_id",
    "arrests": "arrest_id",
    "statistics": "statistic_id",
    "actors": "actor_id",
    "errata": "erratum_id",
}
COPIED = ("pyproject.toml", "LICENSE")


def suffix(number: int) -> str:
    return f"-s{number:04d}"


def _defined_ids(folder: Path) -> set[str]:
    ids = {REPORT}
    for file in sorted(folder.glob("*.yaml")):
        column = ID_COLUMNS[file.stem]
        ids.update(str(record[column]) for record in load_yaml(file) or [])
    return ids


def _renamed(value: Any, ids: set[str], tail: str) -> Any:
    """`value` with every id of `ids` (alone, or in a "; " list) suffixed; everything else as it was."""
    if isinstance(value, dict):
        return {key: _renamed(item, ids, tail) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, ids, tail) for item in value]
    if isinstance(value, str):
        parts = value.split("; ")
        if all(part in ids for part in parts):
            return "; ".join(part + tail for part in parts)
    return value


# libyaml's emitter where PyYAML has it: the pure-Python one took most of the time of 1,000 reports.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100_000)
    path.write_text(text, encoding="utf-8", newline="\n")


def read_report() -> dict[str, Any]:
    """The real report, read once for all its copies: each curated file's records, by file name, and
    the stored source's metadata (as "source.yaml")."""
    report = {file.name: load_yaml(file) for file in sorted((ROOT / "curation" / REPORT).glob("*.yaml"))}
    return {**report, "source.yaml": load_yaml(ROOT / "sources" / REPORT / "source.yaml")}


def _copy_report(dest: Path, number: int, ids: set[str], report: dict[str, Any] | None = None) -> None:
    """Report `number`: the real report (`report`, as read_report() gives it) with its ids renamed."""
    report = report or read_report()
    tail = suffix(number)
    for name, records in report.items():
        if name != "source.yaml":
            _dump(_renamed(records, ids, tail), dest / "curation" / (REPORT + tail) / name)
    source = dest / "sources" / (REPORT + tail)
    shutil.copytree(ROOT / "sources" / REPORT, source)
    _dump(_renamed(report["source.yaml"], {REPORT}, tail), source / "source.yaml")


def make_project(dest: Path, n: int) -> Path:
    """Write a project tree with `n` reports into `dest` (which must not exist); returns `dest`.
    Build it with `python scripts/build.py --root DEST`."""
    if n < 1:
        raise ValueError("a project holds at least one report")
    dest.mkdir(parents=True)
    for name in COPIED:
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "curation", dest / "curation")
    shutil.copytree(ROOT / "sources", dest / "sources")
    ids = _defined_ids(ROOT / "curation" / REPORT)
    report = read_report()
    exclusions = load_yaml(ROOT / "curation" / "coverage-exclusions.yaml")
    for number in range(1, n):
        _copy_report(dest, number, ids, report)
        exclusions[REPORT + suffix(number)] = exclusions[REPORT]
    _dump(exclusions, dest / "curation" / "coverage-exclusions.yaml")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reports", description=__doc__)
    parser.add_argument("dest", type=Path, help="a folder that does not exist yet")
    parser.add_argument("n", type=int, help="how many reports")
    args = parser.parse_args(argv)
    make_project(args.dest, args.n)
    print(f"{args.n} reports in {args.dest}; build with: python scripts/build.py --root {args.dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
