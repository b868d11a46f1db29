"""Metadata that makes the dataset findable, from a descriptor and its tables, never restated by hand.

- `dataset()`: schema.org Dataset JSON-LD (search engines, Google Dataset Search), embedded in the
  site's <head>; its distribution is every file `aoav-data release` writes, and the CSVs.
- `croissant()`: MLCommons Croissant 1.0 metadata (croissant.json at the root, written by the
  build): every table as a RecordSet whose fields read the published CSVs, with their types.

Both take the descriptor and a reader of the files it names, so the build (from the bytes it is
about to publish) and the site (from the installed package) make the same document.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from .citation import citation_of, released
from .writers import media_type, release_files

Reader = Callable[[str], bytes]
SCHEMA_TYPES = {"string": "Text", "integer": "Integer", "number": "Float", "date": "Date"}
CROISSANT_CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
CROISSANT = "http://mlcommons.org/croissant/1.0"
# Tables whose rows have a date range, and those whose rows have a place.
DATED, PLACED = "timeline", ("incidents", "operations", "arrests")


def _rows(meta: dict[str, Any], read: Reader, name: str) -> list[dict[str, str]]:
    paths = {r["name"]: r["path"] for r in meta["resources"]}
    if name not in paths:
        return []
    return list(csv.DictReader(io.StringIO(read(paths[name]).decode("utf-8"), newline="")))


def temporal_coverage(meta: dict[str, Any], read: Reader) -> str | None:
    """The first to the last day of the dated records, as an ISO 8601 interval."""
    rows = _rows(meta, read, DATED)
    if not rows:
        return None
    return f"{min(r['date_start'] for r in rows)}/{max(r['date_end'] for r in rows)}"


def spatial_coverage(meta: dict[str, Any], read: Reader) -> list[dict[str, Any]]:
    """A box around every located record, and each country a record lies in (ISO 3166-1 alpha-3)."""
    rows = [r for name in PLACED for r in _rows(meta, read, name)]
    points = [(float(r["latitude"]), float(r["longitude"])) for r in rows if r.get("latitude") and r.get("longitude")]
    out: list[dict[str, Any]] = []
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        box = f"{min(lats)} {min(lons)} {max(lats)} {max(lons)}"
        out.append({"@type": "Place", "geo": {"@type": "GeoShape", "box": box}})
    countries = sorted({r["country_iso3"] for r in rows if r.get("country_iso3")})
    out += [{"@type": "Country", "identifier": code, "name": code} for code in countries]
    return out


def _common(meta: dict[str, Any], read: Reader) -> dict[str, Any]:
    """What both documents say of the dataset."""
    creator = meta["contributors"][0]["title"]
    out: dict[str, Any] = {
        "name": meta["name"],
        "alternateName": meta["title"],
        "description": meta["description"],
        "version": meta["version"],
        "datePublished": released(meta),
        "license": meta["licenses"][0]["path"],
        "creator": {"@type": "Organization", "name": creator},
        "keywords": meta.get("keywords", []),
        "isBasedOn": [s["path"] for s in meta.get("sources", [])],
        "temporalCoverage": temporal_coverage(meta, read),
        "spatialCoverage": spatial_coverage(meta, read),
    }
    return {k: v for k, v in out.items() if v}


def _downloads(meta: dict[str, Any]) -> list[dict[str, Any]]:
    tables = [r["name"] for r in meta["resources"]]
    return [
        {"@type": "DataDownload", "name": name, "contentUrl": name, "encodingFormat": media_type(name)}
        for name in release_files(meta["version"], tables)
    ]


def dataset(meta: dict[str, Any], read: Reader) -> dict[str, Any]:
    """schema.org Dataset JSON-LD: the release files and CSVs as distribution, every column a variable."""
    csvs = [
        {"@type": "DataDownload", "name": r["path"], "contentUrl": r["path"], "encodingFormat": "text/csv"}
        for r in meta["resources"]
    ]
    variables = [
        {"@type": "PropertyValue", "name": f"{r['name']}.{f['name']}", "description": f["description"]}
        for r in meta["resources"]
        for f in r["schema"]["fields"]
    ]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        **_common(meta, read),
        "citation": citation_of(meta, "apa").strip(),
        "distribution": _downloads(meta) + csvs,
        "variableMeasured": variables,
    }


def _field(table: str, spec: dict[str, Any], file_id: str) -> dict[str, Any]:
    return {
        "@type": "cr:Field",
        "@id": f"{table}/{spec['name']}",
        "name": spec["name"],
        "description": spec["description"],
        "dataType": f"sc:{SCHEMA_TYPES.get(spec['type'], 'Text')}",
        "source": {"fileObject": {"@id": file_id}, "extract": {"column": spec["name"]}},
    }


def _record_set(res: dict[str, Any]) -> dict[str, Any]:
    name, fields = res["name"], res["schema"]["fields"]
    keys = [{"@id": f"{name}/{k}"} for k in res["schema"]["primaryKey"]]
    return {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": res["description"],
        "key": keys[0] if len(keys) == 1 else keys,
        "field": [_field(name, f, res["path"]) for f in fields],
    }


def croissant(meta: dict[str, Any], read: Reader) -> dict[str, Any]:
    """Croissant 1.0: the published CSVs (with their SHA-256) and every release file, and a RecordSet per table."""
    csvs = [
        {
            "@type": "cr:FileObject",
            "@id": r["path"],
            "name": r["path"],
            "description": r["title"],
            "contentUrl": r["path"],
            "encodingFormat": "text/csv",
            "sha256": r["hash"].removeprefix("sha256:"),
        }
        for r in meta["resources"]
    ]
    releases = [
        {"@type": "cr:FileSet", "@id": d["name"], "name": d["name"], "description": "A file of the release",
         "includes": d["name"], "encodingFormat": d["encodingFormat"]}
        for d in _downloads(meta)
    ]  # fmt: skip
    return {
        "@context": CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT,
        **_common(meta, read),
        "citeAs": citation_of(meta, "bibtex").split("\n\n")[0].strip(),
        "distribution": csvs + releases,
        "recordSet": [_record_set(r) for r in meta["resources"]],
    }


def dump(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def script() -> str:
    """The site's <script type="application/ld+json">, from the installed package."""
    from ._paths import DESCRIPTOR, confined_file, published_file
    from .descriptor import metadata
    from .errors import DataError

    def read(rel: str) -> bytes:
        file = confined_file(rel)
        if file is None:
            raise DataError(published_file(DESCRIPTOR), f"{rel!r} is not a relative path inside the package")
        with open(file, "rb") as handle:
            return handle.read()

    text = json.dumps(dataset(metadata(), read), ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'
