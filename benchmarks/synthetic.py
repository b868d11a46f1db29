"""A published package grown to N rows of incidents and evidence, with a known set of injected errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Injected:
    """One error put into the data: the table, the 1-based data row and the field (None: the whole row)."""

    table: str
    row: int
    field: str | None
    kind: str


def _read(table: str) -> tuple[list[str], list[list[str]]]:
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _grow(table: str, size: int, key: str) -> tuple[list[str], list[list[str]]]:
    header, rows = _read(table)
    at = header.index(key)
    grown = []
    for i in range(size):
        row = list(rows[i % len(rows)])
        row[at] = f"{row[at]}-{i}" if i >= len(rows) else row[at]
        grown.append(row)
    return header, grown


# (table, offset from a fraction of N, field, new value or None for "copy the previous key", kind)
INJECTIONS = [
    ("incidents", 0.11, "killed", "-5", "minimum"),
    ("incidents", 0.23, "geo_precision", "street", "enum"),
    ("incidents", 0.37, "date_start", "2021-02-30", "type"),
    ("incidents", 0.41, "latitude", "123.5", "maximum"),
    ("incidents", 0.53, "incident_id", None, "duplicate key"),
    ("incidents", 0.67, "title", "", "required"),
    ("evidence", 0.19, "provenance", "rumour", "enum"),
    ("evidence", 0.29, "char_start", "abc", "type"),
    ("evidence", 0.71, "source_id", "no-such-source", "foreign key"),
    ("evidence", 0.83, "note", "=HYPERLINK(1)", "formula"),
]


def _inject(tables: dict[str, tuple[list[str], list[list[str]]]], size: int) -> list[Injected]:
    found = []
    for table, fraction, field, value, kind in INJECTIONS:
        header, rows = tables[table]
        index = max(1, int(size * fraction))
        column = header.index(field)
        rows[index][column] = rows[index - 1][column] if value is None else value
        found.append(Injected(table, index + 1, None if value is None else field, kind))
    return found


def _csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue().encode("utf-8")


def write_package(folder: Path, size: int) -> list[Injected]:
    """A copy of the published package in `folder`, with incidents and evidence grown to `size` rows."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "csv", folder / "csv")
    shutil.copytree(ROOT / "sources", folder / "sources")
    tables = {"incidents": _grow("incidents", size, "incident_id"), "evidence": _grow("evidence", size, "evidence_id")}
    injected = _inject(tables, size)
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["name"] in tables:
            data = _csv_bytes(*tables[res["name"]])
            (folder / res["path"]).write_bytes(data)
            res.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return injected
