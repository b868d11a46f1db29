"""Writing the published files all at once, or finding where they drifted from the records.

Files are staged in a folder beside them, then moved into place with the
descriptor last. Before the first move, the current files are copied into the
staging folder and a journal is written: an exception rolls every file back,
and a build killed mid-way is rolled back by the next build (`recover`).
A staging folder carries a marker file, so that clean-up never touches a folder
the build did not make; a lock file keeps a second build out while one runs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CurationError

Artifacts = dict[str, bytes]  # path relative to the repository root -> exact bytes
STAGING_PREFIX = ".build-"
JOURNAL = "JOURNAL"
BACKUP = "backup"
ABSENT = "absent"  # journal mark of a file that did not exist before
MARKER = "MADE-BY-AOAV-BUILD"  # in every staging folder the build made, and only there
LOCK = ".build.lock"
BLOCK = 1 << 20  # bytes compared at a time


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the build lock of `root`, or refuse: two builds would undo each other's files.
    The operating system drops the lock when its process dies, so a killed build leaves none."""
    path = root / LOCK
    try:
        handle = path.open("a+b")
    except OSError as exc:
        raise CurationError(path, f"cannot be created: {exc.strerror}") from None
    try:
        if not _try_lock(handle.fileno()):
            raise CurationError(path, "another build is running in this folder; run this one when it ends")
        yield
    finally:
        handle.close()


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def discard(staging: Path) -> None:
    """Remove a staging folder the build made, whatever happened in it."""
    if (staging / MARKER).is_file():
        shutil.rmtree(staging, ignore_errors=True)


def stage(root: Path, artifacts: Artifacts) -> Path:
    """Write every artifact into a fresh folder inside `root` (same file system, so moves are atomic)."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        (staging / MARKER).write_bytes(b"")
        for rel, data in artifacts.items():
            target = staging / "new" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def same(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data`: compared a block at a time, so that a large
    file is never held a second time beside the bytes built for it."""
    try:
        if path.stat().st_size != len(data):
            return False
        view = memoryview(data)
        with path.open("rb") as handle:
            return all(handle.read(BLOCK) == view[at : at + BLOCK] for at in range(0, len(data), BLOCK))
    except FileNotFoundError:
        return False


def differences(root: Path, artifacts: Artifacts, managed: list[str]) -> list[str]:
    """Files under `root` that differ from, are missing from, or are not among the artifacts."""
    out = []
    for rel, data in sorted(artifacts.items()):
        path = root / rel
        if not path.exists():
            out.append(f"{rel}: missing")
        elif not same(path, data):
            out.append(f"{rel}: differs from what the records produce")
    out += [f"{rel}: not produced by the build" for rel in _strays(root, artifacts, managed)]
    return out


def _strays(root: Path, artifacts: Artifacts, managed: list[str]) -> list[str]:
    found = (p.relative_to(root).as_posix() for folder in managed for p in sorted((root / folder).glob("*")))
    return [rel for rel in found if rel not in artifacts]


def _plan(root: Path, artifacts: Artifacts, managed: list[str], last: str) -> list[str]:
    """Files to change: changed artifacts (the descriptor last), then stray files to remove."""
    for rel in _strays(root, artifacts, managed):
        if not (root / rel).is_file() or (root / rel).is_symlink():
            raise CurationError(root / rel, "is not a file the build made; move it out of the folder the build owns")
    changed = [r for r in artifacts if not same(root / r, artifacts[r])]
    return sorted(changed, key=lambda r: r == last) + _strays(root, artifacts, managed)


def _back_up(root: Path, staging: Path, plan: list[str]) -> None:
    marks = []
    for rel in plan:
        if (root / rel).exists():
            (staging / BACKUP / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, staging / BACKUP / rel)
            marks.append(rel)
        else:
            marks.append(f"{ABSENT} {rel}")
    journal = staging / JOURNAL
    journal.write_text("\n".join(marks) + "\n", encoding="utf-8")
    _fsync(journal)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rollback(root: Path, staging: Path) -> None:
    """Put back every file the journal lists as it was before the interrupted commit."""
    for line in (staging / JOURNAL).read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        if line.startswith(f"{ABSENT} "):
            (root / line.removeprefix(f"{ABSENT} ")).unlink(missing_ok=True)
        else:
            (root / line).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(staging / BACKUP / line, root / line)


def recover(root: Path) -> list[str]:
    """Roll back any commit a killed build left half done, and drop stale staging folders."""
    recovered = []
    for staging in sorted(root.glob(f"{STAGING_PREFIX}*")):
        if not (staging / MARKER).is_file():
            continue  # not made by a build: someone else's folder
        if (staging / JOURNAL).exists():
            rollback(root, staging)
            recovered.append(staging.name)
            (staging / JOURNAL).unlink()
        discard(staging)
    return recovered


def commit(root: Path, staging: Path, artifacts: Artifacts, managed: list[str], last: str) -> None:
    """Move staged files into place, `last` (the descriptor) after all the data it describes; all or nothing."""
    try:
        plan = _plan(root, artifacts, managed, last)
        _back_up(root, staging, plan)
    except BaseException:
        discard(staging)
        raise
    try:
        for rel in plan:
            if rel in artifacts:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / "new" / rel, root / rel)
            else:
                (root / rel).unlink()
    except BaseException:
        rollback(root, staging)  # if this fails too, the journal stays for the next build
        _finish(staging)
        raise
    _finish(staging)


def _finish(staging: Path) -> None:
    """Once the commit is whole or rolled back, the journal goes first: a build killed while the
    rest is removed leaves nothing to roll back, only a marked folder to discard."""
    (staging / JOURNAL).unlink(missing_ok=True)
    discard(staging)
