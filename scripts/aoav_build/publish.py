"""Writing the published files all at once, or finding where they drifted from the records."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

Artifacts = dict[str, bytes]  # path relative to the repository root -> exact bytes


def stage(root: Path, artifacts: Artifacts) -> Path:
    """Write every artifact into a fresh folder inside `root` (same file system, so moves are atomic)."""
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
    for rel, data in artifacts.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return staging


def differences(root: Path, artifacts: Artifacts, managed: list[str]) -> list[str]:
    """Files under `root` that differ from, are missing from, or are not among the artifacts."""
    out = []
    for rel, data in sorted(artifacts.items()):
        path = root / rel
        if not path.exists():
            out.append(f"{rel}: missing")
        elif path.read_bytes() != data:
            out.append(f"{rel}: differs from what the records produce")
    for folder in managed:
        for path in sorted((root / folder).glob("*")):
            rel = path.relative_to(root).as_posix()
            if rel not in artifacts:
                out.append(f"{rel}: not produced by the build")
    return out


def commit(root: Path, staging: Path, artifacts: Artifacts, managed: list[str], last: str) -> None:
    """Move staged files into place, `last` (the descriptor) after all the data it describes."""
    try:
        for rel in sorted(artifacts, key=lambda r: r == last):
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_bytes() != artifacts[rel]:
                os.replace(staging / rel, target)
        for folder in managed:
            for path in (root / folder).glob("*"):
                if path.relative_to(root).as_posix() not in artifacts:
                    path.unlink()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
