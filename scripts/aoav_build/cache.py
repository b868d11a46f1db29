"""The build cache: the checked records of each curated file, so that a build re-reads and re-checks
only what changed, and each source's coverage counts, so that only a source whose text or spans
changed is audited again (.aoav-build-cache/, ignored by git; `--no-cache` builds without it).

An entry is found by a key: the SHA-256 of the build's code (every module of aoav_build and of
aoav_data, whose rules it imports; PyYAML's version and parser; Python's version), of the schema as
loaded (vocabulary files included), of the file's path and of its bytes. An entry also lists what
the file's records looked up while they were checked: each stored source (by its SHA-256) and each
reference claim (by the SHA-256 of its row), found or not. It is used only if every one is still the
same, so an edited claim or a re-pinned source re-checks exactly the files that used it, and a new
report touches no other report's entries.

An entry is never trusted blindly: it carries the SHA-256 of its payload, which must match, and the
payload must decode to records of the expected shape; anything else (a damaged, truncated or edited
file, an old format) is discarded with a one-line note and the file is read and checked afresh.
Entries are JSON, not pickle, so reading one runs no code. An entry is written only when every cell
is of a type JSON gives back exactly (text, integer, float, boolean, null, or a date, tagged), so
the cache returns exactly what the checks produced. Whole-table checks always run on everything.
Entries that a build did not use are removed after it, so the cache holds one state of the tree.
Writing the cache is best effort: a read-only or full disk only makes the next build slower.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import yaml

from .evidence import Where
from .records import Record
from .schema import Schema

FOLDER = ".aoav-build-cache"
FORMAT = b"aoav-build-cache 1\n"


@functools.cache
def code_key() -> str:
    """SHA-256 of everything that decides what a curated file's records are: a change of the code
    invalidates every entry."""
    digest = hashlib.sha256(FORMAT)
    here = Path(__file__).resolve().parent
    runtime = here.parents[1] / "aoav_data"  # the rules the checks import (all of it: safe over clever)
    for path in [*sorted(here.glob("*.py")), *sorted(runtime.glob("*.py"))]:
        digest.update(path.parent.name.encode() + b"/" + path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(f"{yaml.__version__} {getattr(yaml, '__with_libyaml__', False)} {sys.version}".encode())
    return digest.hexdigest()


def schema_key(schema: Schema) -> str:
    return _digest(asdict(schema))


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=_encode_other)
    return hashlib.sha256(text.encode()).hexdigest()


def _encode_other(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not cached")


class RecordCache:
    """Per-file entries under `root`/.aoav-build-cache/records/."""

    def __init__(self, root: Path, schema: Schema, documents: Mapping[str, Any], claims: Mapping[str, Any]) -> None:
        self.folder = root / FOLDER / "records"
        self.root = root
        self.base = hashlib.sha256(f"{code_key()} {schema_key(schema)}".encode()).hexdigest()
        self.documents, self.claims = documents, claims
        self.used: set[str] = set()
        self.read: list[Path | str] = []  # the files read and checked afresh: every miss
        self._claim_digests: dict[str, str] = {}

    def key(self, file: Path, data: bytes) -> str:
        rel = file.relative_to(self.root).as_posix()
        return hashlib.sha256(f"{self.base} {rel}\0".encode() + data).hexdigest()

    def dependencies(self, documents: Iterable[str], claims: Iterable[str]) -> dict[str, dict[str, str | None]]:
        """What the records of a file looked up (documents and claims by key, found or not), as it is now."""
        found = {k: self.documents.get(k) for k in documents}
        return {
            "documents": {k: None if v is None else v.sha256 for k, v in sorted(found.items())},
            "claims": {k: self._claim(k) if k in self.claims else None for k in sorted(claims)},
        }

    def _claim(self, claim_id: str) -> str:
        if claim_id not in self._claim_digests:
            self._claim_digests[claim_id] = _digest(self.claims[claim_id])
        return self._claim_digests[claim_id]

    def _still(self, deps: Any) -> bool:
        documents, claims = deps["documents"], deps["claims"]
        for sid, sha in documents.items():
            doc = self.documents.get(sid)
            if (None if doc is None else doc.sha256) != sha:
                return False
        return all((None if cid not in self.claims else self._claim(cid)) == sha for cid, sha in claims.items())

    def get(self, key: str, file: Path | str) -> list[Record] | None:
        """The cached records of `file`, or None when there is no sound, current entry."""
        path = self.folder / key[:2] / key
        self.read.append(file)  # until found sound, below
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            entry = _open(blob)
            if entry["key"] != key or not self._still(entry["deps"]):
                return None
            if not isinstance(entry["records"], list):
                raise TypeError("not a list of records")
            shared: dict[str, str] = {}
            records = [_record(item, file, shared) for item in entry["records"]]
        except (ValueError, TypeError, KeyError, AttributeError, IndexError):
            print(f"build cache: discarded a damaged entry {path.relative_to(self.root)}", file=sys.stderr)
            path.unlink(missing_ok=True)
            return None
        self.used.add(key)
        self.read.pop()
        return records

    def put(self, key: str, records: list[Record], deps: dict[str, Any]) -> None:
        """Store `records` under `key`, if JSON carries them exactly; never fails the build."""
        if not all(
            type(r.where.record) is str and _exact(row) for r in records for row in (r.row, *r.evidence, *r.roles)
        ):
            return  # a value JSON would not give back exactly: this file is simply checked every time
        items = [[r.table, r.row, r.where.record, r.evidence, r.roles] for r in records]
        payload = json.dumps({"key": key, "deps": deps, "records": items}, default=_encode_other).encode()
        if _store(self.folder / key[:2] / key, payload):
            self.used.add(key)

    def prune(self) -> None:
        _prune(self.folder, self.used)


class Memo:
    """Small results keyed by the SHA-256 of all their inputs and of the code (the coverage counts
    of one source), with the same checks on reading as the record entries."""

    def __init__(self, root: Path, name: str) -> None:
        self.folder, self.root = root / FOLDER / name, root
        self.used: set[str] = set()

    def key(self, inputs: Any) -> str:
        return _digest([code_key(), inputs])

    def get(self, key: str) -> Any:
        """The stored value, or None."""
        path = self.folder / key[:2] / key
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        try:
            entry = _open(blob)
            if entry["key"] != key:
                return None
        except (ValueError, TypeError, KeyError):
            print(f"build cache: discarded a damaged entry {path.relative_to(self.root)}", file=sys.stderr)
            path.unlink(missing_ok=True)
            return None
        self.used.add(key)
        return entry.get("value")

    def put(self, key: str, value: Any) -> None:
        if _store(self.folder / key[:2] / key, json.dumps({"key": key, "value": value}).encode()):
            self.used.add(key)

    def prune(self) -> None:
        _prune(self.folder, self.used)


def _store(path: Path, payload: bytes) -> bool:
    """Write an entry whole (a temporary file, then a rename), or not at all; never fails the build."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(FORMAT + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        # rename, not os.replace: atomic on POSIX too, and it keeps the cache out of the publishing
        # step's moves (tests interrupt those by patching os.replace). On Windows an existing entry
        # stays: its key names its content, so it is the same.
        os.rename(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        return False
    return True


def _prune(folder: Path, used: set[str]) -> None:
    """Remove the entries this build did not use (best effort): the cache holds one state of the tree."""
    try:
        for path in folder.glob("*/*"):
            if path.name not in used:
                path.unlink(missing_ok=True)
    except OSError:
        pass


# Cell types JSON gives back as they were (a float's repr round-trips; a date is tagged, see _row).
_EXACT = frozenset({str, int, float, bool, type(None), dt.date})


def _exact(row: dict[str, Any]) -> bool:
    """Whether `row` survives JSON exactly: text keys, and cells of the types above (no list or
    tuple, which would come back as another type, no dict, which would be taken for a date)."""
    return type(row) is dict and all(type(k) is str and type(v) in _EXACT for k, v in row.items())


def _open(blob: bytes) -> dict[str, Any]:
    """The entry's JSON, if its header and its digest hold."""
    head, digest, payload = blob[: len(FORMAT)], blob[len(FORMAT) : len(FORMAT) + 64], blob[len(FORMAT) + 65 :]
    if head != FORMAT or blob[len(FORMAT) + 64 : len(FORMAT) + 65] != b"\n":
        raise ValueError("not a cache entry of this format")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        raise ValueError("the payload does not match its digest")
    entry = json.loads(payload)
    if not isinstance(entry, dict):
        raise ValueError("not an entry")
    return entry


def _record(item: Any, file: Path | str, shared: dict[str, str]) -> Record:
    table, row, record_id, evidence, roles = item
    if not (isinstance(table, str) and isinstance(record_id, str) and isinstance(evidence, list)):
        raise TypeError("not a record")
    if not isinstance(roles, list):
        raise TypeError("not a record")
    rows = _row(row, shared), [_row(e, shared) for e in evidence], [_row(r, shared) for r in roles]
    return Record(table, rows[0], Where(file, record_id), rows[1], rows[2])


def _row(row: Any, shared: dict[str, str]) -> dict[str, Any]:
    """A row with its dates restored, and each text one object with its equals in the entry, as the
    records read from YAML share them (a quote with every field it is evidence for: the rows of
    1,000 reports take 0.4 GB less); any other nested value means the entry is not ours."""
    if not isinstance(row, dict):
        raise TypeError("not a row")
    for name, value in row.items():
        if type(value) is str:
            row[name] = shared.setdefault(value, value)
        elif isinstance(value, dict | list):
            if not isinstance(value, dict) or set(value) != {"$date"}:
                raise TypeError("not a cell")
            row[name] = dt.date.fromisoformat(value["$date"])
    return row
