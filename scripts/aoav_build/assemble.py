"""From checked records to the rows of every published table, with the checks across tables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from aoav_data.phases import phase

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


@dataclass
class Gathered:
    """Every record read and checked on its own, and the rows of every table it makes."""

    records: list[Record]
    read: dict[str, Rows]  # each table's rows in the order they were read
    tables: dict[str, Rows]  # the same rows in published order
    origins: dict[str, list[int]]  # per row of `tables`, the position of its record in `records`


def gather(root: Path, schema: Schema, corpus: Corpus, cache: RecordCache | None = None) -> Gathered:
    """Every curated record read and checked, and each table's rows in published order. The cache
    spares only the reading and checking of unchanged files; every check across records runs on all."""
    with phase("curated records (YAML, input checks, quotes)"):
        records = load_records(root, schema, corpus, cache)
    with phase("checks across records"):
        _check_unique(records, schema)
    with phase("tables, sorted"):
        read, origins = _tables(records)
        rate_confidence(read)  # a column of evidence: before its cells are checked and written
        tables: dict[str, Rows] = {}
        for name in read:
            tables[name], origins[name] = _ordered(name, read[name], origins[name], schema.tables[name].primary_key)
    return Gathered(records, read, tables, origins)


def check(gathered: Gathered, schema: Schema) -> tuple[dict[str, Rows], dict[str, bytes]]:
    """Every table's rows, checked across tables, in published order, and the CSV bytes of each curated
    table: the cell rules ran on exactly those bytes, so they are written once."""
    tables, records = gathered.tables, gathered.records
    with phase("cell rules and CSV"):
        # validate()'s cell rules, at the YAML of each cell
        data = check_cells(tables, gathered.origins, records, schema)
        # The cells read as text are let go: Arrow's allocator keeps their memory for Arrow alone
        # unless told to give it back (0.5 GB at 1,000 reports, which the checks below would add to).
        pa.default_memory_pool().release_unused()
    with phase("checks across records"):
        check_all(gathered.read, records, schema)  # on the rows as read, so the first problem read is the one named
    with phase("tables, sorted"):
        tables["timeline"] = _timeline(tables)
    return {name: tables.get(name, []) for name in schema.tables}, data


def _tables(records: list[Record]) -> tuple[dict[str, Rows], dict[str, list[int]]]:
    """Each table's rows in the order they were read, and for each row the position of its record."""
    tables: dict[str, Rows] = defaultdict(list)
    origins: dict[str, list[int]] = defaultdict(list)  # per row, the position of its record in `records`
    for at, rec in enumerate(records):
        tables[rec.table].append(rec.row)
        origins[rec.table].append(at)
    tables["evidence"] = [row for rec in records for row in rec.evidence]
    origins["evidence"] = [at for at, rec in enumerate(records) for _ in rec.evidence]
    tables["actor_roles"], origins["actor_roles"] = _actor_roles(records)
    return tables, origins


def _ordered(name: str, rows: Rows, origins: list[int], key: list[str]) -> tuple[Rows, list[int]]:
    """Rows in published order, and their origins in the same order: evidence by record, field and
    number; every other table by its primary key."""
    if name == "evidence":
        order = _evidence_order(rows)
    else:
        order = sorted(range(len(rows)), key=lambda i: tuple("" if (v := rows[i][k]) is None else str(v) for k in key))
    return [rows[i] for i in order], [origins[i] for i in order]


def _evidence_order(rows: Rows) -> list[int]:
    """The positions of evidence rows sorted by table, record, field and number. A record's rows are
    read together and numbered in the order read: so the runs of one record are sorted by record
    (a tenth as many keys as rows), then each record's rows by field alone, stably, which keeps
    each field's rows in the order of their numbers."""
    runs: dict[tuple[str, str], list[int]] = {}
    last: tuple[str, str] | None = None
    current: list[int] = []
    for at, row in enumerate(rows):
        record = (row["table"], row["record_id"])
        if record != last:
            current = runs.setdefault(record, [])  # a record seen before (not expected) joins its rows
            last = record
        current.append(at)
    order: list[int] = []
    for record in sorted(runs):
        positions = runs[record]
        order += sorted(positions, key=lambda i: rows[i]["field"]) if len(positions) > 1 else positions
    return order
