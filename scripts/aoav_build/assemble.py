"""From checked records to the rows of every published table, with the checks across tables."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .cache import RecordCache
from .cell_rules import check_cells
from .curation_rules import check_all
from .records import Record, document_record, id_field, load_curation
from .references import rate_confidence
from .schema import Schema
from .sources import Corpus

Rows = list[dict[str, Any]]
TIMELINE_KINDS = {"incidents": "incident", "operations": "operation", "arrests": "arrest"}
# Columns whose actor ids become actor_roles rows, with the role they stand for.
ACTOR_COLUMNS = {
    ("operations", "lead_actor"): "lead_agency",
    ("operations", "partners"): "partner",
    ("operations", "recipients"): "recipient",
    ("statistics", "attributed_to"): "credited",
    ("statistics", "claimant"): "claimant",
}


def load_records(root: Path, schema: Schema, corpus: Corpus, cache: RecordCache | None = None) -> list[Record]:
    curated = load_curation(root / "curation", schema, corpus, cache)  # first: it registers the claims
    docs = [document_record(d, schema, corpus, root) for d in corpus.documents.values()]
    return docs + curated


def _check_unique(records: list[Record], schema: Schema) -> None:
    seen: dict[tuple[str, str], Record] = {}
    for rec in records:
        key = (rec.table, rec.where.record)
        if key in seen:
            first = seen[key].where
            raise rec.where.error(f"duplicate id, first defined in {first.file}", id_field(schema.tables[rec.table]))
        seen[key] = rec


def _actor_roles(records: list[Record]) -> tuple[Rows, list[int]]:
    """Every distinct actor-role link, and the position of the record each was first written in."""
    unique: dict[tuple[Any, ...], tuple[dict[str, Any], int]] = {}
    for at, rec in enumerate(records):
        links = list(rec.roles)
        for (table, column), role in ACTOR_COLUMNS.items():
            if rec.table == table and rec.row.get(column):
                for actor in str(rec.row[column]).split("; "):
                    links.append({"actor_id": actor, "table": table, "record_id": rec.where.record, "role": role})
        for link in links:
            unique.setdefault(tuple(link.values()), (link, at))
    return [link for link, _ in unique.values()], [at for _, at in unique.values()]


def _number_evidence(evidence: Rows) -> Rows:
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in evidence:
        key = (row["table"], row["record_id"], row["field"])
        counts[key] += 1
        row["evidence_id"] = f"{key[0]}/{key[1]}/{key[2]}/{counts[key]}"
    return evidence


def _timeline(tables: dict[str, Rows]) -> Rows:
    rows = []
    for table, kind in TIMELINE_KINDS.items():
        key = f"{kind}_id"
        for row in tables[table]:
            if row["date"] is None:
                continue
            title = row.get("title") or row["summary"]
            rows.append({
                "date_start": row["date_start"], "date_end": row["date_end"],
                "date_precision": row["date_precision"], "date": row["date"], "kind": kind,
                "record_id": row[key], "title": title, "country_iso3": row["country_iso3"],
            })  # fmt: skip
    return sorted(rows, key=lambda r: (r["date_start"], r["date_end"], r["kind"], r["record_id"]))


def _sort(rows: Rows, keys: list[str]) -> Rows:
    return sorted(rows, key=lambda r: tuple("" if r[k] is None else str(r[k]) for k in keys))


def assemble(root: Path, schema: Schema, corpus: Corpus, cache: RecordCache | None = None) -> dict[str, Rows]:
    """Every table's rows, checked across tables, in published order. The cache spares only the
    reading and checking of unchanged files; every check across records runs on all of them."""
    records = load_records(root, schema, corpus, cache)
    _check_unique(records, schema)
    tables: dict[str, Rows] = defaultdict(list)
    origins: dict[str, list[int]] = defaultdict(list)  # per row, the position of its record in `records`
    for at, rec in enumerate(records):
        tables[rec.table].append(rec.row)
        origins[rec.table].append(at)
    tables["evidence"] = _number_evidence([row for rec in records for row in rec.evidence])
    origins["evidence"] = [at for at, rec in enumerate(records) for _ in rec.evidence]
    tables["actor_roles"], origins["actor_roles"] = _actor_roles(records)
    check_cells(tables, origins, records, schema)  # validate()'s cell rules, at the YAML that wrote each cell
    check_all(tables, records, schema)
    rate_confidence(tables)
    tables["timeline"] = _timeline(tables)
    return {name: _ordered(name, tables.get(name, []), schema.tables[name].primary_key) for name in schema.tables}


def _ordered(name: str, rows: Rows, key: list[str]) -> Rows:
    """Rows in published order: evidence by record, field and number; the timeline by date (already)."""
    if name == "evidence":
        return sorted(
            rows, key=lambda r: (r["table"], r["record_id"], r["field"], int(r["evidence_id"].rsplit("/", 1)[1]))
        )
    return rows if name == "timeline" else _sort(rows, key)
