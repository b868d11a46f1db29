"""Curated records under curation/<source_id>/<table>.yaml, read with the input checks."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aoav_data.rules import edtf_bounds

from .errors import CurationError
from .evidence import Where, expand, locate, require_text
from .schema import Field, Schema, Table
from .sources import Corpus, Document, Tracked
from .yamlio import load_yaml

if TYPE_CHECKING:
    from .cache import RecordCache

CURATED_TABLES = (
    "sources",
    "claims",
    "attacks",
    "incidents",
    "operations",
    "arrests",
    "statistics",
    "actors",
    "errata",
)
LINK_KEYS = {"evidence", "actors", "roles", "claim"}
# From this many curated files to read per worker process on, they are read by several processes.
PARALLEL_FILES = 64
# Input checks: what the YAML loader must give for each column type. Every rule about the published
# cell (digits, bounds, patterns, vocabularies, white space, formulas...) is aoav_data.cells', run on
# the rows as the CSV writer writes them (cell_rules.py): a text typed as a number would be published
# other than as written (1.50 as 1.5), and a list or a boolean has no cell at all.
YAML_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "date": (str,), "integer": (int,), "number": (int, float)}


@dataclass
class Record:
    """One curated row, where it was written, and what it brings along."""

    table: str
    row: dict[str, Any]
    where: Where
    evidence: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)


Checked = tuple[list[Record], list[str], list[str]]  # a file's records, the documents and claims they used


def id_field(table: Table) -> str:
    return table.primary_key[0]


def check_input(spec: Field, value: Any, where: Where) -> None:
    """Input check: a curated value is one YAML scalar of its column's type (YAML reads yes, no and
    on as booleans: quote them if they are text)."""
    if value is None:
        return
    if isinstance(value, list | dict):
        kind = "a list" if isinstance(value, list) else "a mapping"
        raise where.error(f"must be of type {spec.type}, got {kind}: write one value", spec.name)
    if isinstance(value, bool) or not isinstance(value, YAML_TYPES.get(spec.type, (str,))):
        raise where.error(f"must be of type {spec.type}, got {value!r}", spec.name)


def _derive_dates(row: dict[str, Any], where: Where) -> None:
    if "date" not in row:
        return
    if row["date"] is None:
        row.update(date_start=None, date_end=None, date_precision=None)
        return
    try:
        bounds = edtf_bounds(row["date"])
    except ValueError as exc:
        raise where.error(str(exc), "date") from exc
    row.update(date_start=bounds.start, date_end=bounds.end, date_precision=bounds.precision)


def build_row(table: Table, raw: dict[str, Any], where: Where) -> dict[str, Any]:
    """The published row of a curated record: every column, in order, after the input checks."""
    allowed = {f.name for f in table.fields if not f.derived}
    unknown = set(raw) - allowed - LINK_KEYS
    if unknown:
        raise where.error(f"unknown fields {sorted(unknown)}", sorted(unknown)[0])
    row = {f.name: raw.get(f.name) for f in table.fields}
    for spec in table.fields:
        if not spec.derived:
            check_input(spec, row[spec.name], where)
    _derive_dates(row, where)
    return row


def load_record(table: Table, raw: Any, file: Path, corpus: Corpus, doc: Document | None) -> Record:
    if not isinstance(raw, dict):
        raise CurationError(file, f"each {table.name} record must be a mapping")
    key = id_field(table)
    record_id = raw.get(key)
    if not isinstance(record_id, str):
        raise CurationError(file, f"a record has no text {key!r}", str(record_id), key)
    where = Where(file, record_id)
    if table.name == "errata":
        raw = _erratum_links(raw, doc, corpus, where)
    row = build_row(table, raw, where)
    evidence = [r for e in _list(raw, "evidence", where) for r in expand(e, table.name, doc, corpus, where)]
    return Record(table.name, row, where, _numbered(evidence), _roles(table.name, raw, where))


def _numbered(evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each evidence row with its id: table/record/field/n, n counting the record's rows for that field
    in the order written (a record's evidence is all written in it, and its id names one record)."""
    counts: dict[str, int] = {}
    for row in evidence:
        number = counts[row["field"]] = counts.get(row["field"], 0) + 1
        row["evidence_id"] = f"{row['table']}/{row['record_id']}/{row['field']}/{number}"
    return evidence


def _erratum_links(raw: dict[str, Any], doc: Document | None, corpus: Corpus, where: Where) -> dict[str, Any]:
    """An erratum's offsets come from its quote, its reference from the claim it cites."""
    if doc is None:
        raise where.error("an erratum needs a stored source: put it under curation/<source_id>/", "quote")
    start, end = locate(doc, raw.get("quote", ""), raw.get("start"), where, "quote")
    out = {k: v for k, v in raw.items() if k != "start"}
    out.update(source_id=doc.source_id, char_start=start, char_end=end)
    if "claim" in raw:
        claim = corpus.claims.get(raw["claim"]) if isinstance(raw["claim"], str) else None
        if claim is None:
            raise where.error(f"cites unknown reference claim {raw['claim']!r}", "claim")
        out.setdefault("reference_source_id", claim["source_id"])
    return out


def _list(raw: dict[str, Any], key: str, where: Where) -> list[Any]:
    value = raw.get(key) or []
    if not isinstance(value, list):
        raise where.error(f"`{key}` must be a list", key)
    return value


def _roles(table: str, raw: dict[str, Any], where: Where) -> list[dict[str, Any]]:
    """Actor-role links written in the record (`actors`), or on an actor (`roles`)."""
    links = []
    for item in _list(raw, "actors", where):
        if not isinstance(item, dict) or set(item) != {"actor", "role"}:
            raise where.error("each `actors` entry needs exactly `actor` and `role`", "actors")
        require_text(item, ("actor", "role"), where, "actors")
        links.append({"actor_id": item["actor"], "table": table, "record_id": where.record, "role": item["role"]})
    for item in _list(raw, "roles", where):
        if not isinstance(item, dict) or set(item) != {"table", "record_id", "role"}:
            raise where.error("each `roles` entry needs exactly `table`, `record_id` and `role`", "roles")
        require_text(item, ("table", "record_id", "role"), where, "roles")
        links.append({"actor_id": where.record, **item})
    return links


def _curated_files(curation_dir: Path) -> list[Path]:
    files = []
    for folder in sorted(p for p in curation_dir.iterdir() if p.is_dir()):
        for file in sorted(folder.glob("*.yaml")):
            if file.stem not in CURATED_TABLES:
                raise CurationError(file, f"is not named after a curated table {list(CURATED_TABLES)}")
            files.append(file)
    return files


def _load_files(files: list[Path], schema: Schema, corpus: Corpus, cache: RecordCache | None) -> list[Record]:
    """The checked records of `files`, in order: from the cache where a file and all it used are
    unchanged; the others read and checked afresh (in worker processes when they are many)."""
    found, keys = _cached(files, cache) if cache is not None else ({}, {})
    misses = [at for at in range(len(files)) if at not in found]
    checked = read_checked([files[at] for at in misses], schema, corpus)
    for at, (records, documents, claims) in zip(misses, checked, strict=True):
        found[at] = records
        # Not edited while it was read: the entry describes these bytes.
        if cache is not None and at in keys and files[at].read_bytes() == keys[at][1]:
            cache.put(keys[at][0], records, cache.dependencies(documents, claims))
    return [record for at in range(len(files)) for record in found[at]]


def _cached(files: list[Path], cache: RecordCache) -> tuple[dict[int, list[Record]], dict[int, tuple[str, bytes]]]:
    """The records the cache holds, by position in `files`; and for the others, their key and bytes."""
    found, keys = {}, {}
    for at, file in enumerate(files):
        try:
            data = file.read_bytes()
        except OSError:
            continue  # read afresh, which names the file in its error
        key = cache.key(file, data)
        cached = cache.get(key, file)
        if cached is None:
            keys[at] = (key, data)
        else:
            found[at] = cached
    return found, keys


def read_checked(files: list[Path], schema: Schema, corpus: Corpus) -> Iterator[Checked]:
    """Each file's records, and the documents and claims they looked up, in the order of `files`;
    the first bad file stops the reading with its error. Many files are shared among worker
    processes, one per core: a file's records depend only on it, the schema and the corpus."""
    workers = min(os.cpu_count() or 1, len(files) // PARALLEL_FILES)
    if workers < 2:
        yield from (_checked(file, schema, corpus) for file in files)
        return
    pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(schema, corpus))
    try:
        yield from pool.map(_checked_in_worker, files, chunksize=max(1, len(files) // (8 * workers)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _checked(file: Path, schema: Schema, corpus: Corpus) -> Checked:
    documents, claims = Tracked(corpus.documents), Tracked(corpus.claims)
    records = _read_file(file, schema, Corpus(cast(dict[str, Document], documents), cast(dict[str, Any], claims)))
    return records, list(documents.used), list(claims.used)


_WORKER: dict[str, Any] = {}  # in a worker process: the schema and corpus every file is checked against


def _start_worker(schema: Schema, corpus: Corpus) -> None:
    _WORKER.update(schema=schema, corpus=corpus)


def _checked_in_worker(file: Path) -> Checked:
    return _checked(file, _WORKER["schema"], _WORKER["corpus"])


def _read_file(file: Path, schema: Schema, corpus: Corpus) -> list[Record]:
    items = load_yaml(file) or []
    if not isinstance(items, list):
        raise CurationError(file, "must hold a list of records")
    doc = corpus.documents.get(file.parent.name)
    return [load_record(schema.tables[file.stem], raw, file, corpus, doc) for raw in items]


def load_curation(curation_dir: Path, schema: Schema, corpus: Corpus, cache: RecordCache | None = None) -> list[Record]:
    """Every curated record, claims first (evidence cites them); each folder is named after the
    stored source it curates (`references/` holds the external references and their claims).
    With a cache, a file whose bytes and dependencies are unchanged is not read again (cache.py)."""
    files = _curated_files(curation_dir)
    claims = _load_files([f for f in files if f.stem == "claims"], schema, corpus, cache)
    corpus.claims.update((r.where.record, r.row) for r in claims)
    records = claims + _load_files([f for f in files if f.stem != "claims"], schema, corpus, cache)
    if cache is not None:
        cache.prune()
    return records


def document_record(doc: Document, schema: Schema, corpus: Corpus, root: Path) -> Record:
    """The sources row of a stored document, from the metadata beside it."""
    meta = {k: v for k, v in doc.meta.items() if k not in {"file", "licence"}}
    meta.update(stored_path=doc.path.relative_to(root).as_posix(), sha256=doc.sha256)
    return load_record(schema.tables["sources"], meta, doc.meta_path, corpus, doc)
