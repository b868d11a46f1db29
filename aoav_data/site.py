"""A static, self-contained dataset site: the article with every fact highlighted, the tables, the timeline
and the dataset card, generated from the published files (`aoav-data site DIR`)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

from .citation import cite
from .descriptor import metadata, resource, tables
from .jsonld import script as jsonld_script
from .loaders import read_stored, read_verified

ASSETS = ("app.js", "retired.js", "style.css")


def _rows(table: str) -> list[dict[str, str]]:
    """A table's rows as text, after the integrity check (empty cells stay empty strings)."""
    return list(csv.DictReader(io.StringIO(read_verified(table).decode("utf-8"), newline="")))


def _articles(sources: list[dict[str, str]]) -> list[dict[str, str]]:
    stored = [s for s in sources if s["stored_path"] and s["role"] == "primary"]
    return [
        {
            "source_id": s["source_id"],
            "title": s["title"],
            "text": read_stored(s),  # confined to the package and hash-checked
        }
        for s in stored
    ]


def site_data() -> dict[str, Any]:
    """Everything the page shows, as one JSON-ready dict."""
    rows = {name: _rows(name) for name in tables()}
    meta = metadata()
    keys = {name: resource(name)["schema"]["primaryKey"] for name in tables()}
    fields = {name: [f["name"] for f in resource(name)["schema"]["fields"]] for name in tables()}
    return {
        "meta": {k: meta.get(k) for k in ("title", "version", "description", "licenses", "created", "coverage")},
        "keys": keys,
        "fields": fields,
        "tables": rows,
        "articles": _articles(rows["sources"]),
        "citation": {"bibtex": cite("bibtex"), "apa": cite("apa")},
    }


def _page(data: dict[str, Any]) -> str:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    title = data["meta"]["title"]
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
<header>
  <p class="brand">{title} <span class="version">v{data["meta"]["version"]}</span></p>
  <nav aria-label="Views">
    <a href="#article">Article</a>
    <a href="#tables">Tables</a>
    <a href="#timeline">Timeline</a>
    <a href="#card">Dataset card</a>
  </nav>
</header>
<main id="view" tabindex="-1"></main>
<aside id="panel" aria-live="polite" hidden></aside>
<script id="data" type="application/json">{payload}</script>
<script src="retired.js"></script>
<script src="app.js"></script>
</body>
</html>
"""


def build_site(folder: str | Path) -> Path:
    """Write index.html, app.js and style.css into `folder`; returns the index page."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        with resources.as_file(resources.files("aoav_data") / "site_assets" / name) as asset:
            shutil.copyfile(asset, out / name)
    index = out / "index.html"
    index.write_text(_page(site_data()), encoding="utf-8")
    return index
