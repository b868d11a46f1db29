"""Findable: croissant.json validates with mlcroissant (offline) and reads back every table; the site's
schema.org JSON-LD parses as RDF; every release file appears in both; the datasheet answers every
question of "Datasheets for Datasets"; CITATION.cff and the citations carry the release date."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from aoav_data import jsonld
from aoav_data.descriptor import metadata, tables, version
from aoav_data.writers import release_files

EXE = str(Path(sys.executable).with_name("aoav-data"))
CROISSANT = ROOT / "croissant.json"


def croissant_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CROISSANT.read_text(encoding="utf-8"))
    return data


def csv_rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def site_jsonld(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run([EXE, "site", str(folder)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = (folder / "index.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    (found,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, flags=re.S)
    data: dict[str, Any] = json.loads(found.replace("<\\/", "</"))
    return data


def test_mlcroissant_validates_the_croissant_file_without_warnings() -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(CROISSANT))  # raises on any validation error
    issues = dataset.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, issues.report()
    assert dataset.metadata.version == version()


@pytest.mark.parametrize("table", ["incidents", "evidence", "actor_roles", "retired_ids"])
def test_mlcroissant_reads_each_table_as_published(table: str) -> None:
    import mlcroissant as mlc

    records = list(mlc.Dataset(jsonld=str(CROISSANT)).records(table))
    rows = csv_rows(table)
    assert len(records) == len(rows)
    key = metadata()["resources"][tables().index(table)]["schema"]["primaryKey"][0]
    assert [r[f"{table}/{key}"].decode("utf-8") for r in records] == [row[key] for row in rows]


def test_croissant_describes_every_table_field_and_type() -> None:
    document = croissant_document()
    described = {rs["name"]: [(f["name"], f["dataType"]) for f in rs["field"]] for rs in document["recordSet"]}
    expected = {
        r["name"]: [(f["name"], "sc:" + jsonld.SCHEMA_TYPES[f["type"]]) for f in r["schema"]["fields"]]
        for r in metadata()["resources"]
    }
    assert described == expected


def test_every_release_file_appears_in_the_croissant_file_and_the_json_ld(site_jsonld: dict[str, Any]) -> None:
    files = release_files(version(), tables())
    assert len(files) == 5 + 2 * len(tables()) + 1
    croissant_names = {d["name"] for d in croissant_document()["distribution"]}
    jsonld_urls = {d["contentUrl"] for d in site_jsonld["distribution"]}
    assert set(files) <= croissant_names and set(files) <= jsonld_urls
    assert {f"csv/{t}.csv" for t in tables()} <= croissant_names & jsonld_urls


def test_the_site_json_ld_is_a_schema_org_dataset(site_jsonld: dict[str, Any]) -> None:
    import rdflib

    document = {**site_jsonld, "@context": {"@vocab": "https://schema.org/"}}  # offline: no context to fetch
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    sdo = rdflib.Namespace("https://schema.org/")
    (node,) = graph.subjects(rdflib.RDF.type, sdo.Dataset)
    for prop in ("name", "description", "version", "license", "creator", "citation", "distribution",
                 "temporalCoverage", "spatialCoverage", "variableMeasured", "datePublished"):  # fmt: skip
        assert graph.value(node, sdo[prop]) is not None, prop
    assert str(graph.value(node, sdo.version)) == version()
    assert str(graph.value(node, sdo.datePublished)) == metadata()["created"][:10]
    assert len(list(graph.objects(node, sdo.variableMeasured))) == sum(
        len(r["schema"]["fields"]) for r in metadata()["resources"]
    )
    assert site_jsonld == jsonld.dataset(metadata(), lambda rel: (ROOT / rel).read_bytes())


def test_coverage_comes_from_the_records() -> None:
    timeline = csv_rows("timeline")
    assert jsonld.temporal_coverage(metadata(), lambda rel: (ROOT / rel).read_bytes()) == (
        f"{min(r['date_start'] for r in timeline)}/{max(r['date_end'] for r in timeline)}"
    )


def test_the_datasheet_answers_every_section_of_datasheets_for_datasets() -> None:
    text = (ROOT / "docs" / "datasheet.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", text, flags=re.M)
    assert sections == ["Motivation", "Composition", "Collection process", "Preprocessing, cleaning, labelling",
                        "Uses", "Distribution", "Maintenance"]  # fmt: skip
    for table in tables():
        assert f"| `{table}` | {len(csv_rows(table))} |" in text
    assert all(name in text for name in release_files(version(), tables()))


def test_citation_cff_and_citations_carry_version_and_release_date() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    releases = yaml.safe_load((ROOT / "curation" / "releases.yaml").read_text(encoding="utf-8"))["releases"]
    assert (cff["version"], str(cff["date-released"])) == (releases[0]["version"], releases[0]["date"])
    apa = subprocess.run([EXE, "cite"], capture_output=True, text=True).stdout
    assert f"(Version {version()}, released {releases[0]['date']}) [Data set]" in apa
    bibtex = subprocess.run([EXE, "cite", "--style", "bibtex"], capture_output=True, text=True).stdout
    assert f"date = {{{releases[0]['date']}}}" in bibtex
