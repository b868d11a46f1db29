"""The runtime package: typed loaders, models that match the descriptor, integrity, provenance, citation."""

from __future__ import annotations

import csv
import importlib.metadata
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml
from conftest import ROOT
from pandera.engines.pandas_engine import DateTime, Engine

import aoav_data
from aoav_data import _paths, descriptor, schemas

LOADERS = {
    "sources": aoav_data.sources, "incidents": aoav_data.incidents, "operations": aoav_data.operations,
    "arrests": aoav_data.arrests, "statistics": aoav_data.statistics, "evidence": aoav_data.evidence,
    "actors": aoav_data.actors, "actor_roles": aoav_data.actor_roles, "errata": aoav_data.errata,
    "timeline": aoav_data.timeline, "claims": aoav_data.claims, "attacks": aoav_data.attacks,
    "retired_ids": aoav_data.retired_ids,
}  # fmt: skip
DESCRIPTOR_TYPE_OF_DTYPE = {
    "string": "string",
    "Int64": "integer",
    "Float64": "number",
    "datetime64[ms]": "date",
}


def fields(table: str) -> list[dict]:  # type: ignore[type-arg]
    return descriptor.resource(table)["schema"]["fields"]  # type: ignore[no-any-return]


@pytest.fixture
def published_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the package at a copy of the published files, to damage them safely."""
    for name in ("csv", "sources"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy2(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    monkeypatch.setenv(_paths.ENV, str(tmp_path))
    _paths.published_root.cache_clear()
    descriptor.metadata.cache_clear()
    yield tmp_path
    monkeypatch.delenv(_paths.ENV)
    _paths.published_root.cache_clear()
    descriptor.metadata.cache_clear()


def test_every_table_has_a_loader_and_a_model() -> None:
    assert set(aoav_data.tables()) == set(LOADERS) == set(schemas.schemas())


@pytest.mark.parametrize("table", sorted(LOADERS))
def test_loader_returns_the_full_table_typed(table: str) -> None:
    frame = LOADERS[table]()
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        assert len(frame) == sum(1 for _ in csv.reader(handle)) - 1
    assert "object" not in {str(t) for t in frame.dtypes}
    schemas.schema(table).validate(frame)
    for field in fields(table):
        dtype = frame[field["name"]].dtype
        if "enum" in field.get("constraints", {}):
            assert isinstance(dtype, pd.CategoricalDtype)
            assert list(dtype.categories) == field["constraints"]["enum"], field["name"]
        else:
            assert DESCRIPTOR_TYPE_OF_DTYPE[str(dtype)] == field["type"], field["name"]


@pytest.mark.parametrize("table", sorted(LOADERS))
def test_model_agrees_with_descriptor_field_by_field(table: str) -> None:
    schema = schemas.schema(table)
    assert schema.unique == descriptor.resource(table)["schema"]["primaryKey"]
    declared = fields(table)
    assert list(schema.columns) == [f["name"] for f in declared]
    for field in declared:
        column = schema.columns[field["name"]]
        constraints = field.get("constraints", {})
        assert column.nullable is not constraints.get("required", False), field["name"]
        if "enum" in constraints:
            assert list(column.dtype.type.categories) == constraints["enum"], field["name"]
        else:
            expected = {"string": "string", "integer": "Int64", "number": "Float64"}.get(field["type"])
            assert column.dtype == (Engine.dtype(expected) if expected else DateTime(unit="ms")), field["name"]
        assert column.unique is constraints.get("unique", False), field["name"]
        bounds = {
            k: v for c in column.checks for k, v in (c.statistics or {}).items() if k in {"min_value", "max_value"}
        }
        declared_bounds = {"min_value": constraints.get("minimum"), "max_value": constraints.get("maximum")}
        assert bounds == {k: v for k, v in declared_bounds.items() if v is not None}, field["name"]
        patterns = [c.statistics["pattern"] for c in column.checks if c.name == "str_matches"]
        wanted = [constraints["pattern"]] if "pattern" in constraints and "enum" not in constraints else []
        assert patterns == wanted, field["name"]


def test_generated_models_name_every_column_in_order() -> None:
    from aoav_data import models

    for table in aoav_data.tables():
        model = getattr(models, "".join(p.capitalize() for p in table.split("_")))
        assert list(model.to_schema().columns) == [f["name"] for f in fields(table)], table


def test_version_is_one_everywhere() -> None:
    assert aoav_data.__version__ == aoav_data.metadata()["version"] == importlib.metadata.version("aoav-data")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == aoav_data.__version__


def test_citation_cff_is_valid_citation_file_format() -> None:
    schema = json.loads((ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json").read_text())
    jsonschema.validate(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")), schema)


def test_cite_gives_the_dataset_at_its_version_and_the_article() -> None:
    bibtex = aoav_data.cite("bibtex")
    assert bibtex.count("@") == 2
    assert f"version = {{{aoav_data.__version__}}}" in bibtex
    assert "author = {Wallace, Hannah}" in bibtex
    apa = aoav_data.cite("apa")
    assert f"(Version {aoav_data.__version__}, released {aoav_data.metadata()['created'][:10]}) [Data set]" in apa
    assert "Wallace, H. (2018). How Morocco is helping counter ISIS terrorism in Europe" in apa
    with pytest.raises(ValueError, match="chicago"):
        aoav_data.cite("chicago")


def test_import_does_not_load_heavy_libraries() -> None:
    heavy = "('pandas', 'pandera', 'frictionless')"
    code = f"import sys, aoav_data; print(sorted(m for m in {heavy} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_loading_a_table_does_not_load_pandera_or_frictionless() -> None:
    code = "import sys, aoav_data; aoav_data.incidents(); "
    code += "print('pandera' in sys.modules, 'frictionless' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_validate_passes_on_the_published_data() -> None:
    report = aoav_data.validate(raise_on_error=True)
    assert report.ok and report.checked == aoav_data.tables()


def test_one_changed_byte_makes_the_loader_name_the_file(published_copy: Path) -> None:
    file = published_copy / "csv" / "incidents.csv"
    data = bytearray(file.read_bytes())
    data[200] = ord("X") if data[200] != ord("X") else ord("Y")
    file.write_bytes(bytes(data))
    with pytest.raises(aoav_data.IntegrityError, match=r"incidents\.csv"):
        aoav_data.incidents()
    report = aoav_data.validate()
    assert not report.ok and "incidents.csv" in str(report)
    with pytest.raises(aoav_data.DataError, match=r"incidents\.csv"):
        aoav_data.validate(raise_on_error=True)


def test_validate_catches_a_moved_offset_even_with_consistent_hashes(published_copy: Path) -> None:
    """A curator's copy with re-computed hashes still fails when a quote no longer matches its source."""
    import csv
    import hashlib
    import io

    csv_file = published_copy / "csv" / "evidence.csv"
    with csv_file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    moved = next(r for r in rows if r["quote"])
    moved.update(char_start=str(int(moved["char_start"]) + 1), char_end=str(int(moved["char_end"]) + 1))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_file.write_text(out.getvalue(), encoding="utf-8")
    meta = json.loads((published_copy / "datapackage.json").read_text())
    data = csv_file.read_bytes()
    (res,) = [r for r in meta["resources"] if r["name"] == "evidence"]
    res.update(bytes=len(data), hash="sha256:" + hashlib.sha256(data).hexdigest())
    (published_copy / "datapackage.json").write_text(json.dumps(meta))
    descriptor.metadata.cache_clear()
    problems = [str(p) for p in aoav_data.validate().problems]
    assert problems == [
        f"{csv_file}: record {moved['evidence_id']!r}, field 'quote': "
        f"{moved['quote']!r} differs from the source text at its offsets"
    ]


def test_evidence_for_reaches_quotes_sources_and_footnotes() -> None:
    found = aoav_data.evidence_for("operations", "moroccan-tip-locating-abaaoud-2015")
    assert set(found["field"]) >= {"lead_actor", "target", "outcome", "date"}
    article = ROOT / "sources/aoav-morocco-2018/how-morocco-is-helping-counter-isis-terrorism-in-europe.txt"
    text = article.read_text(encoding="utf-8")
    stated = found[found["provenance"] == "stated"]
    for row in stated.itertuples():
        assert text[row.char_start : row.char_end] == row.quote
    assert set(stated["cited_footnote"].dropna()) == {"ii"}
    dates = aoav_data.evidence_for("operations", "moroccan-tip-locating-abaaoud-2015", field="date")
    assert list(dates["provenance"].astype(str).unique()) == ["external"]
    with pytest.raises(KeyError):
        aoav_data.evidence_for("incidents", "no-such-incident")


def test_timeline_rows_lead_back_to_their_records() -> None:
    for row in aoav_data.timeline().itertuples():
        record = aoav_data.record(str(row.kind), str(row.record_id))
        assert record["date"] == row.date


def test_a_retired_id_leads_to_the_records_that_replace_it() -> None:
    with pytest.warns(aoav_data.RetiredIdWarning, match=r"incidents/paris-attacks-2015 was retired in version 2\.0\.0"):
        split = aoav_data.record("incidents", "paris-attacks-2015")
    assert isinstance(split, pd.DataFrame)
    assert list(split["attack_id"].unique()) == ["paris-attacks-2015"] and len(split) == 6
    with pytest.warns(aoav_data.RetiredIdWarning, match="statistics spain-arrests-helped-by-morocco"):
        moved = aoav_data.record("arrests", "spain-arrests-helped-by-morocco-2014-2017")
    assert isinstance(moved, pd.Series) and moved["statistic_id"] == "spain-arrests-helped-by-morocco"
    with pytest.warns(aoav_data.RetiredIdWarning):
        evidence = aoav_data.evidence_for("incidents", "brussels-bombings-2016", field="killed")
    assert set(evidence["record_id"]) == {"brussels-airport-2016", "brussels-maelbeek-2016"}
    with pytest.raises(KeyError) as caught:
        aoav_data.record("errata", "generations-in-spain-disputed")
    message = caught.value.args[0]
    assert "\n" not in message and "was retired in version 2.0.0 and nothing replaces it: Withdrawn" in message


def test_loaders_give_only_current_records() -> None:
    retired = aoav_data.retired_ids()
    for table, ids in retired.groupby("old_table", observed=True)["old_id"]:
        key = aoav_data.metadata()["resources"][aoav_data.tables().index(str(table))]["schema"]["primaryKey"][0]
        assert not set(ids) & set(aoav_data.load(str(table))[key])


def test_cells_with_line_breaks_read_whole_past_one_block() -> None:
    """A quote holding a line break, in a table larger than Arrow's read block, is one cell."""
    from aoav_data.cells import BLOCK_SIZE, read_text_table

    row = b'a,"two\nlines",' + b"x" * 1000 + b"\n"
    data = b"id,quote,note\n" + row * (2 * BLOCK_SIZE // len(row) + 1)
    text = read_text_table(data)
    assert text.num_rows == 2 * BLOCK_SIZE // len(row) + 1
    assert set(text.column("quote").to_pylist()) == {"two\nlines"}
