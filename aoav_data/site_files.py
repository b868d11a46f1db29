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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError

Rows = Callable[[], Iterator[list[str]]]  # a new pass over a table's rows on each call
Present = dict[str, set[str]]  # the values each of some columns has
Spans = dict[str, list[tuple[Any, ...]]]  # an article's highlights, by its source id

CHUNK_ROWS = 4000  # a chunk of evidence is about 1 MB: one loads in a few milliseconds
BUCKET_KEYS = 2000  # values per index bucket (a bucket of evidence ids is about 100 KB)
EAGER_TABLE_BYTES = 600_000  # a table this small ships whole with the first view...
EAGER_TOTAL_BYTES = 1_500_000  # ...while the eager tables together stay this small
HASH_BATCH = 20_000  # index values hashed at a time (fnv1a_many)
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


def fnv1a_many(texts: list[str]) -> list[int]:
    """fnv1a of each text, the same numbers, computed by numpy a batch of texts at once (a step per code
    unit of the batch's longest text): an index of a million values is hashed in a second, not minutes."""
    import numpy as np

    out: list[int] = []
    for first in range(0, len(texts), HASH_BATCH):
        encoded = [t.encode("utf-16-le") for t in texts[first : first + HASH_BATCH]]
        lengths = np.array([len(e) // 2 for e in encoded], dtype=np.int64)
        units = np.frombuffer(b"".join(encoded), dtype="<u2").astype(np.uint32)
        grid = np.zeros((len(encoded), int(lengths.max(initial=0))), dtype=np.uint32)  # each text's units, padded
        starts = np.repeat(np.cumsum(lengths) - lengths, lengths)
        grid[np.repeat(np.arange(len(encoded)), lengths), np.arange(len(units)) - starts] = units
        h = np.full(len(encoded), 0x811C9DC5, dtype=np.uint32)
        for j in range(grid.shape[1]):  # uint32 products wrap around, as the & 0xFFFFFFFF above
            h = np.where(lengths > j, (h ^ grid[:, j]) * np.uint32(0x01000193), h)
        out += h.tolist()
    return out


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


# The cells of an evidence span and of an erratum an article highlights, and the names the page reads them by.
SPAN_CELLS = ("evidence_id", "table", "record_id", "field", "provenance", "char_start", "char_end")
ERRATUM_CELLS = ("erratum_id", "article_says", "corrected", "char_start", "char_end")
RENAMED = {"char_start": "start", "char_end": "end"}


@dataclass(frozen=True)
class Table:
    """A published table as text: its columns, and `rows()`, a new pass over its rows on each call (each
    row its cells in the columns' order, an empty cell an empty string). The site reads a large table
    once for its chunks and once for each of its indexes rather than holding its rows."""

    columns: list[str]
    rows: Rows

    def at(self, names: tuple[str, ...] | list[str]) -> tuple[int, ...]:
        return tuple(self.columns.index(c) for c in names)


def _value(row: list[str], at: tuple[int, ...]) -> str:
    return "/".join(row[i] for i in at)


def _index_columns(table: str, key: list[str]) -> dict[str, tuple[str, ...]]:
    return {"key": tuple(key), **INDEXES.get(table, {})}


def _indexes(writer: Writer, table: str, data: Table, key: list[str]) -> dict[str, dict[str, Any]]:
    """Every index of a chunked table, written as buckets (one index at a time, a pass over the rows
    each); returns their columns and bucket counts."""
    out = {}
    for name, columns in _index_columns(table, key).items():
        at = data.at(columns)
        chunks: dict[str, list[int]] = {}
        for i, row in enumerate(data.rows()):
            value = _value(row, at)
            if value.strip("/"):
                where = chunks.setdefault(value, [])
                if not where or where[-1] != i // CHUNK_ROWS:
                    where.append(i // CHUNK_ROWS)
        buckets = max(1, math.ceil(len(chunks) / BUCKET_KEYS))
        parts: list[dict[str, list[int]]] = [{} for _ in range(buckets)]
        for (value, where), h in zip(chunks.items(), fnv1a_many(list(chunks)), strict=True):
            parts[h % buckets][value] = where
        for b, part in enumerate(parts):
            writer.script(DATA, f"{table}.{safe_name(name, table)}-{b}", "index", table, name, b, part)
        out[name] = {"columns": list(columns), "buckets": buckets}
    return out


def _write_chunks(writer: Writer, table: str, data: Table, watched: list[str]) -> tuple[list[str], list[int], Present]:
    """A table's chunk files, written as its rows stream by; returns their paths, their row counts and
    the values each `watched` column has."""
    at = data.at(watched)
    present: Present = {c: set() for c in watched}
    files: list[str] = []
    counts: list[int] = []
    part: list[list[str]] = []
    for row in data.rows():
        for column, i in zip(watched, at, strict=True):
            present[column].add(row[i])
        part.append(row)
        if len(part) == CHUNK_ROWS:
            files.append(writer.script(DATA, f"{table}-{len(files)}", "chunk", table, len(files), part))
            counts.append(len(part))
            part = []
    if part or not files:  # a table without rows is one empty chunk
        files.append(writer.script(DATA, f"{table}-{len(files)}", "chunk", table, len(files), part))
        counts.append(len(part))
    return files, counts, present


def _choices(present: Present, columns: list[str], vocab: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The filters a table offers: the controlled values its rows have, where they have more than one
    (worked out here, so that a table's filters show before its rows are loaded)."""
    out = []
    for column in columns:
        if column in vocab:
            values = [v for v in vocab[column] if v in present[column]]
            if len(values) > 1:
                out.append({"column": column, "values": values})
    return out


def write_tables(
    writer: Writer, data: dict[str, Table], keys: dict[str, list[str]], vocabularies: dict[str, dict[str, list[str]]]
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Each table's chunks (and, for the large ones, their indexes). Returns what the page is told of
    each table (its row count, chunk sizes, indexes, filters, whether it ships with the first view) and
    the scripts index.html loads before the app (the eager tables' chunks)."""
    sizes: dict[str, int] = {}
    files: dict[str, list[str]] = {}
    counts: dict[str, list[int]] = {}
    choices: dict[str, list[dict[str, Any]]] = {}
    for table, text in data.items():
        safe_name(table, "datapackage.json")
        vocab = vocabularies[table]
        files[table], counts[table], present = _write_chunks(
            writer, table, text, [c for c in text.columns if c in vocab]
        )
        choices[table] = _choices(present, text.columns, vocab)
        sizes[table] = sum((writer.out / f).stat().st_size for f in files[table])
    eager: list[str] = []
    total = 0
    for table in sorted(data, key=lambda t: (sizes[t], t)):  # the smallest first, by a fixed order
        if sizes[table] <= EAGER_TABLE_BYTES and total + sizes[table] <= EAGER_TOTAL_BYTES:
            eager.append(table)
            total += sizes[table]
    info = {}
    for table in data:
        lazy = table not in eager
        if lazy:
            indexes = _indexes(writer, table, data[table], keys[table])
        else:  # looked up in memory: no index files
            indexes = {n: {"columns": list(c), "buckets": 0} for n, c in _index_columns(table, keys[table]).items()}
        info[table] = {
            "count": sum(counts[table]),
            "chunks": counts[table],
            "eager": not lazy,
            "indexes": indexes,
            "choices": choices[table],
        }
    scripts = [f for table in data if table in eager for f in files[table]]
    return info, scripts


def _highlights(data: Table, cells: tuple[str, ...], articles: set[str], placed_only: bool) -> Spans:
    """The rows of `data` (evidence or errata) about each article, in the table's order (with
    `placed_only`, those with a place in it): each a tuple of its `cells`, char_start and char_end as
    numbers, and the text after the first cell (an id) shared where it repeats (a table's name, a
    record's id): every evidence row of a large dataset may be a span."""
    source, start, end = data.at(("source_id", "char_start", "char_end"))
    first, *rest = data.at(cells[:-2])
    shared: dict[str, str] = {}
    out: Spans = {a: [] for a in articles}
    for row in data.rows():
        if row[source] in out and (row[start] != "" or not placed_only):
            texts = (shared.setdefault(row[i], row[i]) for i in rest)
            out[row[source]].append((row[first], *texts, int(row[start]), int(row[end])))
    return out


def _as_dicts(spans: list[tuple[Any, ...]], cells: tuple[str, ...]) -> list[dict[str, Any]]:
    names = [RENAMED.get(c, c) for c in cells]
    return [dict(zip(names, span, strict=True)) for span in spans]


def write_articles(writer: Writer, articles: list[dict[str, str]], data: dict[str, Table]) -> list[dict[str, str]]:
    """Each primary source's article, with its highlights, as its own file; returns the list of them."""
    ids = {a["source_id"] for a in articles}
    spans = _highlights(data["evidence"], SPAN_CELLS, ids, placed_only=True)
    errata = _highlights(data["errata"], ERRATUM_CELLS, ids, placed_only=False)
    listed = []
    for a in articles:
        sid = safe_name(a["source_id"], "sources.csv")
        body = {
            "source_id": sid,
            "title": a["title"],
            "text": a["text"],
            "spans": _as_dicts(spans[sid], SPAN_CELLS),
            "errata": _as_dicts(errata[sid], ERRATUM_CELLS),
        }
        listed.append({"source_id": sid, "title": a["title"], "path": writer.script(ARTICLES, sid, "article", body)})
    return listed
