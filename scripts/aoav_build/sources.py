"""The raw sources under sources/: stored documents and reference facts, pinned by SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CurationError
from .yamlio import load_yaml

META = "source.yaml"
DOCUMENT_KEYS = {
    "source_id", "file", "sha256", "kind", "role", "title", "author", "publisher",
    "originally_published_in", "published", "url", "licence", "evidence",
}  # fmt: skip
FACT_COLUMNS = ["fact_id", "subject", "field", "value", "confidence", "sources", "note"]


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
class Fact:
    """One checked fact the article does not state, with the references that give it."""

    fact_id: str
    subject: str
    field: str
    value: str
    confidence: str
    citations: tuple[str, ...]
    note: str
    path: Path

    @property
    def source_ids(self) -> tuple[str, ...]:
        return tuple(reference_id(c) for c in self.citations)


@dataclass(frozen=True)
class Corpus:
    documents: dict[str, Document]
    facts: dict[str, Fact]
    references: dict[str, str]  # source_id of each external reference -> its citation text


def _pinned_bytes(meta_path: Path, meta: dict[str, Any]) -> tuple[Path, bytes, str]:
    for key in ("file", "sha256"):
        if not isinstance(meta.get(key), str):
            raise CurationError(meta_path, "missing or not text", field=key)
    path = meta_path.parent / meta["file"]
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


def reference_id(citation: str) -> str:
    """Stable slug for an external reference, from its citation text."""
    slug = re.sub(r"[^a-z0-9]+", "-", citation.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return f"ref-{slug}"


def _document(meta_path: Path, meta: dict[str, Any]) -> Document:
    unknown = set(meta) - DOCUMENT_KEYS
    if unknown:
        raise CurationError(meta_path, f"unknown keys {sorted(unknown)}")
    if not isinstance(meta.get("source_id"), str):
        raise CurationError(meta_path, "missing or not text", field="source_id")
    path, data, digest = _pinned_bytes(meta_path, meta)
    return Document(meta["source_id"], path, meta_path, _decode(path, data), digest, meta)


def _facts(meta_path: Path, meta: dict[str, Any]) -> list[Fact]:
    path, data, _ = _pinned_bytes(meta_path, meta)
    reader = csv.DictReader(io.StringIO(_decode(path, data), newline=""))
    if reader.fieldnames != FACT_COLUMNS:
        raise CurationError(path, f"columns are {reader.fieldnames}, expected {FACT_COLUMNS}")
    facts = []
    for row in reader:
        citations = [c.strip() for c in row["sources"].split(";") if c.strip()]
        if not citations:
            raise CurationError(path, "lists no source", row["fact_id"], "sources")
        facts.append(
            Fact(row["fact_id"], row["subject"], row["field"], row["value"],
                 row["confidence"], tuple(citations), row["note"], path)
        )  # fmt: skip
    return facts


def load_corpus(sources_dir: Path) -> Corpus:
    """Every source under `sources_dir`, each checked against its pinned SHA-256."""
    documents: dict[str, Document] = {}
    facts: dict[str, Fact] = {}
    references: dict[str, str] = {}
    for meta_path in sorted(sources_dir.glob(f"*/{META}")):
        meta = load_yaml(meta_path)
        if not isinstance(meta, dict):
            raise CurationError(meta_path, "must be a mapping of metadata")
        if meta.get("format") == "reference-facts":
            for fact in _facts(meta_path, meta):
                if fact.fact_id in facts:
                    raise CurationError(fact.path, "duplicate fact_id", fact.fact_id, "fact_id")
                facts[fact.fact_id] = fact
            continue
        doc = _document(meta_path, meta)
        if doc.source_id in documents:
            raise CurationError(meta_path, "duplicate source_id", doc.source_id, "source_id")
        documents[doc.source_id] = doc
    for fact in facts.values():
        references.update(zip(fact.source_ids, fact.citations, strict=True))
    return Corpus(documents, facts, references)
