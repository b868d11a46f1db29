"""One curated record edited, then the build: what a curator waits for after fixing a typo in a
project of many reports (`python -m benchmarks.rebuild DEST`). Each run toggles the first word of the
first incident summary of the last report, so every run has one changed record to rebuild; the
cache of the runs before (.aoav-build-cache/) holds the rest.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .synthetic import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from aoav_build.build import main as build

# A summary written plain (as the generator writes it) or folded (as the real report is).
SUMMARY = re.compile(r"^(  summary: (?:>-\n    )?)(Edited\. )?", re.MULTILINE)


def edit(dest: Path) -> Path:
    """Toggle one record's summary in the last report's incidents; the file edited."""
    file = sorted((dest / "curation").glob("*/incidents.yaml"))[-1]
    text = file.read_text(encoding="utf-8")
    edited, count = SUMMARY.subn(lambda m: m[1] + ("" if m[2] else "Edited. "), text, count=1)
    if count != 1:
        raise SystemExit(f"{file}: no summary to edit")
    file.write_text(edited, encoding="utf-8")
    return file


def main(argv: list[str]) -> int:
    dest = Path(argv[0])
    edit(dest)
    return build(["--root", str(dest), "--no-site", *argv[1:]])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
