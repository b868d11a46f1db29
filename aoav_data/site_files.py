"""The site's data, split into files a page opened from `file://` can load on demand.

Chromium blocks `fetch()` of local files, so every data file is a script that hands its data to the
page (`AOAV.chunk(...)`, JSONP style) and is loaded by a `<script src>` tag when a view needs it:

- `data/<table>-<n>.js`: rows `n * CHUNK_ROWS` onwards of a table, as arrays in column order;
- `data/<table>.<index>-<b>.js`: bucket `b` of an index, mapping a value (a record's key, or the record
  a row is about) to the chunks that hold its rows, so that a deep link loads one bucket and a chunk;
- `articles/<source_id>.js`: a primary source's text with its highlights (evidence spans, errata).

Small tables are "eager": index.html loads their chunks before the app, so their views draw at once
and need no index files. Everything is written in a fixed order with sorted keys, so the same
published data gives the same bytes."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

from .errors import DataError

CHUNK_ROWS = 4000  # a chunk of evidence is about 1 MB: one loads in a few milliseconds
BUCKET_KEYS = 2000  # values per index bucket (a bucket of evidence ids is about 100 KB)
EAGER_TABLE_BYTES = 600_000  # a table this small ships whole with the first view...
EAGER_TOTAL_BYTES = 1_500_000  # ...while the eager tables together stay this small
DATA, ARTICLES = "data", "articles"
# Source ids, table and index names become file names: slugs only (the descriptor's pattern for ids).
SAFE_NAME = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")

# The lookups the views make besides a record's key: the rows about a record, an actor's roles, and
# the rows that point at an attack, an incident, an operation or an arrest. An index's value is its
# columns' values joined by "/" (as a record's key is); app.js computes the same for eager tables.
INDEXES: dict[str, dict[str, tuple[str, ...]]] = {
    "evidence": {"record": ("table", "record_id")},
    "actor_roles": {"record": ("table", "record_id"), "actor": ("actor_id",)},
    "errata": {"record": ("table", "record_id")},
    "timeline": {"record": ("kind", "record_id")},
    "incidents": {"attack_id": ("attack_id",)},
    "operations": {"attack_id": ("attack_id",), "incident_id": ("incident_id",)},
    "arrests": {"operation_id": ("operation_id",)},
    "statistics": {c: (c,) for c in ("attack_id", "incident_id", "operation_id", "arrest_id")},
}


def fnv1a(text: str) -> int:
    """FNV-1a (32 bits) over UTF-16 code units: app.js hashes a value to its bucket the same way."""
    h = 0x811C9DC5
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def safe_name(name: str, what: str) -> str:
    """`name`, if it is a slug that is safe as a file name; a DataError otherwise."""
    if not SAFE_NAME.fullmatch(name):
        raise DataError(what, f"{name!r} is not a slug, so it cannot name a file of the site")
    return name


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Writer:
    """Writes the data files inside one output folder, and nowhere else."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        for sub in (DATA, ARTICLES):
            shutil.rmtree(self.out / sub, ignore_errors=True)  # no file of an earlier build stays behind
            (self.out / sub).mkdir(parents=True)

    def script(self, sub: str, name: str, call: str, *args: Any) -> str:
        """Write `sub/name.js`, a call of `AOAV.<call>(args...)`; returns its path relative to the site."""
        target = (self.out / sub / f"{name}.js").resolve()
        if target.parent != self.out / sub:  # names are slugs, but the folder is checked all the same
            raise DataError(name, "would be written outside the site's folder")
        target.write_text(f"AOAV.{call}({','.join(_json(a) for a in args)});\n", encoding="utf-8")
        return f"{sub}/{name}.js"


def _value(row: dict[str, str], columns: tuple[str, ...] | list[str]) -> str:
    return "/".join(row[c] for c in columns)


def _index_columns(table: str, key: list[str]) -> dict[str, tuple[str, ...]]:
    return {"key": tuple(key), **INDEXES.get(table, {})}


def _indexes(writer: Writer, table: str, rows: list[dict[str, str]], key: list[str]) -> dict[str, dict[str, Any]]:
    """Every index of a chunked table, written as buckets; returns their columns and bucket counts."""
    out = {}
    for name, columns in _index_columns(table, key).items():
        chunks: dict[str, list[int]] = {}
        for i, row in enumerate(rows):
            value = _value(row, columns)
            if value.strip("/"):
                where = chunks.setdefault(value, [])
                if not where or where[-1] != i // CHUNK_ROWS:
                    where.append(i // CHUNK_ROWS)
        buckets = max(1, math.ceil(len(chunks) / BUCKET_KEYS))
        parts: list[dict[str, list[int]]] = [{} for _ in range(buckets)]
        for value, where in chunks.items():
            parts[fnv1a(value) % buckets][value] = where
        for b, part in enumerate(parts):
            writer.script(DATA, f"{table}.{safe_name(name, table)}-{b}", "index", table, name, b, part)
        out[name] = {"columns": list(columns), "buckets": buckets}
    return out


def write_tables(
    writer: Writer, rows: dict[str, list[dict[str, str]]], fields: dict[str, list[str]], keys: dict[str, list[str]]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each table's chunks (and, for the large ones, their indexes). Returns what the page is told of
    each table (its row count, chunk sizes, indexes, whether it ships with the first view) and the
    scripts index.html loads before the app (the eager tables' chunks)."""
    sizes: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    for table in rows:
        safe_name(table, "datapackage.json")
        columns = fields[table]
        parts = [rows[table][i : i + CHUNK_ROWS] for i in range(0, len(rows[table]), CHUNK_ROWS)] or [[]]
        files[table] = [
            writer.script(DATA, f"{table}-{n}", "chunk", table, n, [[r[c] for c in columns] for r in part])
            for n, part in enumerate(parts)
        ]
        sizes[table] = sum((writer.out / f).stat().st_size for f in files[table])
    eager: list[str] = []
    total = 0
    for table in sorted(rows, key=lambda t: (sizes[t], t)):  # the smallest first, by a fixed order
        if sizes[table] <= EAGER_TABLE_BYTES and total + sizes[table] <= EAGER_TOTAL_BYTES:
            eager.append(table)
            total += sizes[table]
    info = {}
    for table in rows:
        lazy = table not in eager
        if lazy:
            indexes = _indexes(writer, table, rows[table], keys[table])
        else:  # looked up in memory: no index files
            indexes = {n: {"columns": list(c), "buckets": 0} for n, c in _index_columns(table, keys[table]).items()}
        info[table] = {
            "count": len(rows[table]),
            "chunks": [len(rows[table][i : i + CHUNK_ROWS]) for i in range(0, max(len(rows[table]), 1), CHUNK_ROWS)],
            "eager": not lazy,
            "indexes": indexes,
        }
    scripts = [f for table in rows if table in eager for f in files[table]]
    return info, scripts


def write_articles(
    writer: Writer, articles: list[dict[str, str]], rows: dict[str, list[dict[str, str]]]
) -> list[dict[str, str]]:
    """Each primary source's article, with its highlights, as its own file; returns the list of them."""
    spans: dict[str, list[dict[str, Any]]] = {a["source_id"]: [] for a in articles}
    errata: dict[str, list[dict[str, Any]]] = {a["source_id"]: [] for a in articles}
    for e in rows["evidence"]:
        if e["source_id"] in spans and e["char_start"] != "":
            spans[e["source_id"]].append(
                {c: e[c] for c in ("evidence_id", "table", "record_id", "field", "provenance")}
                | {"start": int(e["char_start"]), "end": int(e["char_end"])}
            )
    for r in rows["errata"]:
        if r["source_id"] in errata:
            errata[r["source_id"]].append(
                {c: r[c] for c in ("erratum_id", "article_says", "corrected")}
                | {"start": int(r["char_start"]), "end": int(r["char_end"])}
            )
    listed = []
    for a in articles:
        sid = safe_name(a["source_id"], "sources.csv")
        body = {"source_id": sid, "title": a["title"], "text": a["text"], "spans": spans[sid], "errata": errata[sid]}
        listed.append({"source_id": sid, "title": a["title"], "path": writer.script(ARTICLES, sid, "article", body)})
    return listed
