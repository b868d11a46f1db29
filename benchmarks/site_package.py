"""A published package of N reports, made from the real one at the level of its CSVs (fast: no build),
for the site's tests and benchmark at scale.

Report 0 is the real report. Each copy `-sNNNN` repeats its article (the stored text byte for byte, so
every offset holds) as a new primary source, and every record the report defines (attacks, incidents,
operations, arrests, statistics, actors, errata, their evidence, roles and timeline rows) with every id
of the report suffixed wherever it is used; the external references and their claims are shared. The
descriptor's sizes and hashes are fixed, so the site's integrity checks pass. Deterministic."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

from .reports import ID_COLUMNS, REPORT, ROOT

# The tables whose records the report defines, by their id column (its cited works stay shared
# here); and the tables repeated per copy.
DEFINED = {table: column for table, column in ID_COLUMNS.items() if table != "sources"}
REPEATED = (*DEFINED, "actor_roles", "evidence", "timeline")


def _read(folder: Path, table: str) -> tuple[list[str], list[list[str]]]:
    with (folder / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _renamed(value: str, ids: set[str], tail: str) -> str:
    """`value` with every id of the report (alone, in a "; " list or a "/" path) suffixed."""
    if not value:
        return value
    for sep in ("; ", "/"):
        parts = value.split(sep)
        if any(p in ids for p in parts):
            return sep.join(p + tail if p in ids else p for p in parts)
    return value


def write_reports_package(folder: Path, reports: int) -> Path:
    """A published package of `reports` reports in `folder` (replaced); returns the folder."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "csv", folder / "csv")
    shutil.copytree(ROOT / "sources", folder / "sources")
    ids = {REPORT}
    for table, column in DEFINED.items():
        header, rows = _read(ROOT, table)
        ids.update(r[header.index(column)] for r in rows)
    grown: dict[str, tuple[list[str], list[list[str]]]] = {}
    for table in (*REPEATED, "sources"):
        header, rows = _read(ROOT, table)
        extra = []
        for number in range(1, reports):
            tail = f"-s{number:04d}"
            if table == "sources":
                row = list(next(r for r in rows if r[0] == REPORT))
                row[0] += tail
                stored = header.index("stored_path")
                row[stored] = row[stored].replace(f"sources/{REPORT}/", f"sources/{REPORT}{tail}/", 1)
                extra.append(row)
                continue
            for row in rows:
                copy = [_renamed(v, ids, tail) for v in row]
                if table == "evidence" and copy[0] == row[0]:  # about a shared record: its id is made unique
                    copy[0] += tail
                extra.append(copy)
        grown[table] = (header, rows + extra)
    for number in range(1, reports):
        shutil.copytree(ROOT / "sources" / REPORT, folder / "sources" / f"{REPORT}-s{number:04d}")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["name"] in grown:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([grown[res["name"]][0], *grown[res["name"]][1]])
            data = out.getvalue().encode("utf-8")
            (folder / res["path"]).write_bytes(data)
            res.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    return folder
