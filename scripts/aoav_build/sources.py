"""The raw sources under sources/: stored documents, each pinned by SHA-256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aoav_data._paths import inside

from .errors import CurationError
from .yamlio import load_yaml

META = "source.yaml"
V = TypeVar("V")
DOCUMENT_KEYS = {
    "source_id", "file", "sha256", "kind", "role", "title", "author", "publisher",
    "originally_published_in", "published", "url", "language", "licence", "evidence",
}  # fmt: skip


@dataclass(frozen=True)
class Document:
    """A stored source text; evidence offsets index `text` in code points."""

    source_id: str
    path: Path
    meta_path: Path
    text: str
    sha256: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class Corpus:
    documents: dict[str, Document]
    # Published rows of the reference claims (curation/references/claims.yaml), by claim_id.
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)


def _pinned_bytes(meta_path: Path, meta: dict[str, Any]) -> tuple[Path, bytes, str]:
    for key in ("file", "sha256"):
        if not isinstance(meta.get(key), str):
            raise CurationError(meta_path, "missing or not text", field=key)
    confined = inside(str(meta_path.parent), meta["file"])
    if confined is None:
        message = f"{meta['file']!r} is not a relative path inside {meta_path.parent.name}/ (no '..', no symlink out)"
        raise CurationError(meta_path, message, meta.get("source_id"), "file")
    path = Path(confined)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CurationError(meta_path, f"names a file that cannot be read: {exc}", field="file") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta["sha256"]:
        raise CurationError(
            path,
            f"SHA-256 is {digest}, but {meta_path.name} pins {meta['sha256']}: "
            "the stored source was changed; restore it or re-pin it after review",
            field="sha256",
        )
    return path, data, digest


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        raise CurationError(path, "starts with a byte-order mark; store UTF-8 without BOM")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CurationError(path, f"is not UTF-8: {exc}") from exc


def _document(meta_path: Path, meta: dict[str, Any]) -> Document:
    unknown = set(meta) - DOCUMENT_KEYS
    if unknown:
        raise CurationError(meta_path, f"unknown keys {sorted(unknown)}")
    for key in ("source_id", "url"):  # every stored document says where it was found
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise CurationError(meta_path, "missing or not text", meta.get("source_id"), key)
    path, data, digest = _pinned_bytes(meta_path, meta)
    return Document(meta["source_id"], path, meta_path, _decode(path, data), digest, meta)


def load_corpus(sources_dir: Path) -> Corpus:
    """Every source under `sources_dir`, each checked against its pinned SHA-256."""
    documents: dict[str, Document] = {}
    for meta_path in sorted(sources_dir.glob(f"*/{META}")):
        meta = load_yaml(meta_path)
        if not isinstance(meta, dict):
            raise CurationError(meta_path, "must be a mapping of metadata")
        doc = _document(meta_path, meta)
        if doc.source_id in documents:
            raise CurationError(meta_path, "duplicate source_id", doc.source_id, "source_id")
        documents[doc.source_id] = doc
    return Corpus(documents)


class Tracked(Mapping[str, V]):
    """A read-only view of the corpus' documents or claims that notes every key looked up, found
    or not: the dependencies of the records being checked."""

    def __init__(self, data: Mapping[str, V]) -> None:
        self.data = data
        self.used: dict[str, V | None] = {}

    def __getitem__(self, key: str) -> V:
        self.used[key] = self.data.get(key)
        return self.data[key]

    def __iter__(self) -> Iterator[str]:  # not used by the checks; a full listing depends on everything
        raise TypeError("the records of one file may only look up documents and claims by key")

    def __len__(self) -> int:
        return len(self.data)
