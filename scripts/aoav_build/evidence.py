"""Evidence: finding each quote in its stored source, and expanding reference claims."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CurationError
from .sources import Corpus, Document

ENTRY_KEYS = {"fields", "quote", "start", "provenance", "cites", "note", "erratum", "claim", "source"}
PROVENANCE_DEFAULT = {"quote": "stated", "claim": "external"}


@dataclass(frozen=True)
class Where:
    """Where an entry was written, for error messages."""

    file: Path | str
    record: str

    def error(self, message: str, field: str | None = None) -> CurationError:
        return CurationError(self.file, message, self.record, field)


def locate(doc: Document, quote: str, start: Any, where: Where, field: str) -> tuple[int, int]:
    """Code-point offsets of `quote` in `doc`; `start` picks one of several occurrences."""
    if not isinstance(quote, str) or not quote:
        raise where.error("quote must be non-empty text", field)
    if start is not None:
        if not isinstance(start, int) or doc.text[start : start + len(quote)] != quote:
            raise where.error(f"quote is not at offset {start} of {doc.path.name}", field)
        return start, start + len(quote)
    hits = _occurrences(doc.text, quote)
    if not hits:
        raise where.error(f"quote not found in {doc.path.name}: {quote!r}{_space_hint(doc.text, quote)}", field)
    if len(hits) > 1:
        raise where.error(
            f"quote found {len(hits)} times in {doc.path.name} (offsets {hits}); add `start:` with the offset meant",
            field,
        )
    return hits[0], hits[0] + len(quote)


def _space_hint(text: str, quote: str) -> str:
    """Say so when the quote would match but for the kind of white space."""
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    match = re.search(pattern, text)
    if match is None:
        return ""
    return (
        f"; it differs only in white space from the text at offset {match.start()}: "
        f"{match.group()!r} (write a no-break space as \\u00a0 in a double-quoted YAML string)"
    )


def _occurrences(text: str, quote: str) -> list[int]:
    hits, at = [], text.find(quote)
    while at != -1:
        hits.append(at)
        at = text.find(quote, at + 1)
    return hits


def require_text(entry: dict[str, Any], keys: tuple[str, ...], where: Where, field: str) -> None:
    """Input check: the entry's values under `keys` are YAML text where given (their cells are checked
    with the rest of the row, in cell_rules.py)."""
    for key in keys:
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise where.error(f"`{key}` must be text, got {entry[key]!r}", field)


def _fields(entry: dict[str, Any], where: Where) -> list[str]:
    fields = entry.get("fields")
    if not isinstance(fields, list) or not fields or not all(isinstance(f, str) for f in fields):
        raise where.error("each evidence entry needs `fields`, a list of column names", "evidence")
    return fields


def expand(entry: Any, table: str, doc: Document | None, corpus: Corpus, where: Where) -> list[dict[str, Any]]:
    """One evidence row per field of a curated entry."""
    if not isinstance(entry, dict):
        raise where.error("each evidence entry must be a mapping", "evidence")
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise where.error(f"evidence entry has unknown keys {sorted(unknown)}", "evidence")
    fields = _fields(entry, where)
    require_text(entry, ("cites", "provenance", "erratum", "note", "source", "claim"), where, fields[0])
    if ("quote" in entry) == ("claim" in entry):
        raise where.error("each evidence entry needs exactly one of `quote` or `claim`", fields[0])
    kind = "quote" if "quote" in entry else "claim"
    base = {
        "table": table,
        "record_id": where.record,
        "cited_source_id": entry.get("cites"),
        "provenance": entry.get("provenance", PROVENANCE_DEFAULT[kind]),
        "erratum_id": entry.get("erratum"),
        "note": entry.get("note"),
        "claim_id": None,
        "confidence": None,
    }
    source = _quote_source(entry, doc, corpus, where, fields[0]) if kind == "quote" else (
        _claim_source(entry, corpus, where, fields[0])
    )  # fmt: skip
    return [{**base, **source, "field": f} for f in fields]


def _quote_source(
    entry: dict[str, Any], doc: Document | None, corpus: Corpus, where: Where, field: str
) -> dict[str, Any]:
    if "source" in entry:
        doc = corpus.documents.get(entry["source"])
        if doc is None:
            raise where.error(f"evidence names unknown stored source {entry['source']!r}", field)
    if doc is None:
        raise where.error("a quote needs a stored source: put the record under curation/<source_id>/", field)
    start, end = locate(doc, entry["quote"], entry.get("start"), where, field)
    return {"source_id": doc.source_id, "quote": entry["quote"], "char_start": start, "char_end": end}


def _claim_source(entry: dict[str, Any], corpus: Corpus, where: Where, field: str) -> dict[str, Any]:
    """External evidence: the claim's reference, and its excerpt as the quote (checked in references.py)."""
    claim = corpus.claims.get(entry["claim"]) if isinstance(entry["claim"], str) else None
    if claim is None:
        raise where.error(f"evidence cites unknown reference claim {entry['claim']!r}", field)
    return {"source_id": claim["source_id"], "quote": claim["excerpt"], "claim_id": claim["claim_id"]}
