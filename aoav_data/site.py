"""A static, self-contained dataset site: the article with every fact highlighted, the tables, the timeline
and the dataset card, generated from the published files (`aoav-data site DIR`)."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
import shutil
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from .citation import cite
from .descriptor import metadata, path, resource, tables, version
from .errors import DataError
from .jsonld import script as jsonld_script
from .loaders import read_stored, read_verified
from .phases import phase
from .site_files import DATA, Table, Writer, write_articles, write_tables

ASSETS = ("store.js", "app.js", "retired.js", "style.css")
DOWNLOADS = "downloads"
# What each release file is, by how its name ends (the release names them aoav-data-<version>[-<table>].<ext>).
FORMATS = {
    ".zip": "Data package (CSV, datapackage.json, codebook), zip",
    ".sqlite": "SQLite database",
    ".datasette.json": "Datasette metadata",
    ".xlsx": "Excel workbook",
    ".geojson": "GeoJSON of the located records",
    ".parquet": "Parquet",
    ".dta": "Stata",
    ".csv": "CSV",
}


def _text_rows(table: str, columns: list[str]) -> Iterator[list[str]]:
    """One pass over a table's rows as text, in `columns`' order (empty cells stay empty strings), after
    the integrity check: decoded as they are parsed, never the whole text at once, and blank lines
    skipped (as csv.DictReader does)."""
    data = read_verified(table)
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))
    header = next(reader, [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(str(path(table)), f"has no column {missing[0]!r}")
    order = [header.index(c) for c in columns]
    same = order == list(range(len(header)))
    for row in reader:
        if not row:  # a blank line
            continue
        if len(row) != len(header):
            raise DataError(str(path(table)), f"line {reader.line_num} has {len(row)} cells, the header {len(header)}")
        yield row if same else [row[i] for i in order]


def _table(name: str) -> Table:
    columns = [f["name"] for f in resource(name)["schema"]["fields"]]
    return Table(columns, functools.partial(_text_rows, name, columns))


def _articles(sources: Table) -> list[dict[str, str]]:
    rows = (dict(zip(sources.columns, row, strict=True)) for row in sources.rows())
    stored = [s for s in rows if s["stored_path"] and s["role"] == "primary"]
    return [
        {
            "source_id": s["source_id"],
            "title": s["title"],
            "text": read_stored(s),  # confined to the package and hash-checked
        }
        for s in stored
    ]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_downloads(folder: Path) -> tuple[list[dict[str, Any]], str]:
    """The release files and each table's CSV, written into `folder`, with their sizes and SHA-256.

    Returns the list the page shows and a note ("" when every format was written): without openpyxl
    the Excel workbook is left out, and where a file the release packs is missing (a partial checkout)
    the release files are, and the note says so."""
    from .writers import RELEASE_EXTRA, release

    if folder.exists():
        shutil.rmtree(folder)  # no file of an earlier version stays behind
    folder.mkdir(parents=True)
    note = ""
    try:
        try:
            release(folder)
        except ModuleNotFoundError as exc:
            if exc.name != "openpyxl":
                raise
            release(folder, excel=False)
            note = f"The Excel workbook is not in this build (openpyxl is missing: {RELEASE_EXTRA})."
    except DataError as exc:
        note = f"The release files are not in this build: {exc}."
    stem = f"aoav-data-{version()}"
    sums = {}
    checksums = folder / "SHA256SUMS"
    for line in checksums.read_text(encoding="utf-8").splitlines() if checksums.exists() else []:
        digest, name = line.split("  ", 1)
        sums[name] = digest
    for table in tables():
        with phase("site: each table's CSV"):
            data = read_verified(table)
            (folder / f"{stem}-{table}.csv").write_bytes(data)
            sums[f"{stem}-{table}.csv"] = _sha256(data)
    for leftover in folder.iterdir():  # what a failed release wrote before it stopped: no checksum
        if leftover.name not in sums and leftover.name != "SHA256SUMS":
            leftover.unlink()
    files = []
    for name in sorted(sums):
        match = re.fullmatch(re.escape(stem) + r"(?:-(?P<table>[a-z_]+))?(?P<ext>(?:\.datasette)?\.[a-z]+)", name)
        of_table = match["table"] if match else None
        ext = match["ext"] if match else ""
        files.append(
            {
                "name": name,
                "path": f"{DOWNLOADS}/{name}",
                "bytes": (folder / name).stat().st_size,
                "sha256": sums[name],
                "table": of_table,
                "format": FORMATS.get(ext, ext),
            }
        )
    return files, note


def _vocabularies(table: str) -> dict[str, list[str]]:
    """The controlled values of a table's columns (the schema's enum constraints)."""
    return {
        f["name"]: list(f["constraints"]["enum"])
        for f in resource(table)["schema"]["fields"]
        if f.get("constraints", {}).get("enum")
    }


def site_data(downloads: list[dict[str, Any]] | None = None, downloads_note: str = "") -> dict[str, Any]:
    """Everything the page shows, as one JSON-ready dict but for the tables (a pass over each one's rows
    on demand: the site writes them in chunks and never holds a large table)."""
    rows = {name: _table(name) for name in tables()}
    meta = metadata()
    keys = {name: resource(name)["schema"]["primaryKey"] for name in tables()}
    fields = {name: [f["name"] for f in resource(name)["schema"]["fields"]] for name in tables()}
    types = {name: {f["name"]: f["type"] for f in resource(name)["schema"]["fields"]} for name in tables()}
    return {
        "meta": {k: meta.get(k) for k in ("title", "version", "description", "licenses", "created", "coverage")},
        "keys": keys,
        "fields": fields,
        "types": types,
        "vocabularies": {name: _vocabularies(name) for name in tables()},
        "tables": rows,
        "articles": _articles(rows["sources"]),
        "citation": {"bibtex": cite("bibtex"), "apa": cite("apa")},
        "downloads": downloads or [],
        "downloads_note": downloads_note,
    }


def _basemap() -> Any:
    """The base map (Natural Earth countries, projected by scripts/basemap.py), loaded by the map view."""
    return json.loads((resources.files("aoav_data") / "site_assets" / "basemap.json").read_text(encoding="utf-8"))


def _manifest(data: dict[str, Any], writer: Writer) -> tuple[dict[str, Any], list[str]]:
    """What index.html carries (everything but the rows and the articles, which go to their own files)
    and the data scripts it loads before the app."""
    manifest = {k: v for k, v in data.items() if k not in ("tables", "articles")}
    with phase("site: table chunks, indexes and filters"):
        manifest["tables"], scripts = write_tables(writer, data["tables"], data["keys"], data["vocabularies"])
    with phase("site: articles and base map"):
        manifest["articles"] = write_articles(writer, data["articles"], data["tables"])
        manifest["basemap"] = writer.script(DATA, "basemap", "basemap", _basemap())
    if manifest["articles"]:  # the first view is the first article: it loads with the page
        scripts.append(manifest["articles"][0]["path"])
    return manifest, scripts


def _page(data: dict[str, Any], scripts: list[str]) -> str:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    title = data["meta"]["title"]
    preload = "".join(f'<script src="{src}"></script>\n' for src in scripts)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
{jsonld_script()}
</head>
<body>
<a class="skip" href="#view" id="skip">Skip to content</a>
<header>
  <p class="brand">{title} <span class="version">v{data["meta"]["version"]}</span></p>
  <nav aria-label="Views">
    <a href="#article">Article</a>
    <a href="#tables">Tables</a>
    <a href="#timeline">Timeline</a>
    <a href="#map">Map</a>
    <a href="#downloads">Downloads</a>
    <a href="#card">Dataset card</a>
  </nav>
  <form id="search" role="search">
    <label for="search-box">Search</label>
    <input id="search-box" name="q" type="search" placeholder="titles, summaries, quotes" autocomplete="off">
    <button type="submit">Go</button>
  </form>
</header>
<main id="view" tabindex="-1"></main>
<aside id="panel" role="dialog" aria-labelledby="panel-title" hidden></aside>
<script id="data" type="application/json">{payload}</script>
<script src="store.js"></script>
{preload}<script src="retired.js"></script>
<script src="app.js"></script>
</body>
</html>
"""


def build_site(folder: str | Path) -> Path:
    """Write index.html, the scripts and style, the data files (data/, articles/) and downloads/ (the
    release files) into `folder`; returns the index page."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        with resources.as_file(resources.files("aoav_data") / "site_assets" / name) as asset:
            shutil.copyfile(asset, out / name)
    files, note = write_downloads(out / DOWNLOADS)
    if note:
        print(f"aoav-data site: {note}", file=sys.stderr)
    with phase("site: tables read as text"):
        data = site_data(files, note)
    manifest, scripts = _manifest(data, Writer(out))
    with phase("site: index.html"):
        index = out / "index.html"
        index.write_text(_page(manifest, scripts), encoding="utf-8")
    return index
