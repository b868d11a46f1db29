"""The published data against the data contract, read with nothing but the csv module and the descriptor."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from functools import cache

import pytest
from conftest import ROOT

# The data contract's minimum columns (shared/design/data-contract.md).
DATES = ["date", "date_start", "date_end", "date_precision"]
PLACE = ["country_iso3", "location", "latitude", "longitude", "geo_precision"]
CONTRACT = {
    "sources": [
        "source_id",
        "kind",
        "title",
        "author",
        "publisher",
        "published",
        "footnote",
        "cited_by",
        "url",
        "role",
    ],
    "incidents": [
        "incident_id",
        "title",
        "summary",
        *DATES,
        *PLACE,
        "attack_type",
        "acled_event_type",
        "acled_sub_event_type",
        "perpetrator",
        "killed",
        "killed_low",
        "killed_high",
        "injured",
        "injured_low",
        "injured_high",
        "morocco_link",
    ],
    "operations": [
        "operation_id",
        "title",
        "summary",
        "operation_type",
        "status",
        *DATES,
        *PLACE,
        "lead_actor",
        "partners",
        "target",
        "outcome",
        "incident_id",
    ],
    "arrests": [
        "arrest_id",
        "operation_id",
        *DATES,
        *PLACE,
        "arrested",
        "count_kind",
        "affiliation",
        "authority",
        "summary",
    ],
    "statistics": [
        "statistic_id",
        "indicator",
        "value",
        "unit",
        "period_start",
        "period_end",
        "geography",
        "attributed_to",
        "claimant",
    ],
    "evidence": [
        "evidence_id",
        "table",
        "record_id",
        "field",
        "source_id",
        "quote",
        "char_start",
        "char_end",
        "provenance",
        "note",
    ],
    "actors": ["actor_id", "name", "actor_type", "country_iso3", "description"],
    "errata": [
        "erratum_id",
        "source_id",
        "quote",
        "char_start",
        "char_end",
        "article_says",
        "corrected",
        "explanation",
        "reference_source_id",
    ],
    "timeline": ["date_start", "date_end", "date_precision", "kind", "record_id", "title", "country_iso3"],
    "retired_ids": ["old_table", "old_id", "new_table", "new_ids", "version", "reason"],
}
# "Every date, place, count, actor and figure in the fact tables has an evidence row."
FACT_COLUMNS = {
    "incidents": [
        "date",
        "country_iso3",
        "location",
        "latitude",
        "longitude",
        "perpetrator",
        "killed",
        "killed_low",
        "killed_high",
        "injured",
        "injured_low",
        "injured_high",
        "attack_type",
    ],
    "operations": [
        "date",
        "country_iso3",
        "location",
        "latitude",
        "longitude",
        "lead_actor",
        "partners",
        "target",
    ],
    "arrests": [
        "date",
        "country_iso3",
        "location",
        "latitude",
        "longitude",
        "arrested",
        "affiliation",
        "authority",
    ],
    "statistics": [
        "value",
        "value_low",
        "value_high",
        "period_start",
        "period_end",
        "geography",
        "attributed_to",
        "claimant",
    ],
    "actors": ["name", "country_iso3"],
}
ARTICLE = ROOT / "sources/aoav-morocco-2018/how-morocco-is-helping-counter-isis-terrorism-in-europe.txt"


@cache
def descriptor() -> dict:  # type: ignore[type-arg]
    return json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))


@cache
def rows(table: str) -> list[dict[str, str]]:
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def key_of(table: str) -> str:
    return next(r for r in descriptor()["resources"] if r["name"] == table)["schema"]["primaryKey"][0]


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_every_contract_table_has_its_minimum_columns(table: str) -> None:
    with (ROOT / "csv" / f"{table}.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert set(CONTRACT[table]) <= set(header), set(CONTRACT[table]) - set(header)
    assert rows(table), f"{table} is empty"


def test_csv_format_follows_the_contract() -> None:
    for path in (ROOT / "csv").glob("*.csv"):
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf"), path
        assert b"\r\n" not in data, path
        data.decode("utf-8")


def test_descriptor_records_every_file_with_size_and_hash() -> None:
    resources = descriptor()["resources"]
    assert sorted(r["path"] for r in resources) == sorted(f"csv/{p.name}" for p in (ROOT / "csv").glob("*.csv"))
    for res in resources:
        data = (ROOT / res["path"]).read_bytes()
        assert res["bytes"] == len(data)
        assert res["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()


def test_every_article_quote_is_the_text_at_its_offsets() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    quoted = [r for r in rows("evidence") + rows("errata") if r["source_id"] == "aoav-morocco-2018" and r["quote"]]
    assert len(quoted) > 100
    for row in quoted:
        assert text[int(row["char_start"]) : int(row["char_end"])] == row["quote"], row


def test_external_evidence_quotes_its_claim_from_a_listed_external_reference() -> None:
    sources = {r["source_id"]: r for r in rows("sources")}
    claims = {r["claim_id"]: r for r in rows("claims")}
    external = [r for r in rows("evidence") if r["claim_id"]]
    assert len(external) > 300
    for row in external:
        claim = claims[row["claim_id"]]
        assert row["quote"] == claim["excerpt"] and row["source_id"] == claim["source_id"], row
        assert not row["char_start"] and row["confidence"], row
        assert sources[row["source_id"]]["role"] == "external", row
    assert {r["provenance"] for r in rows("evidence") if not r["claim_id"]} <= {"stated", "inferred"}


def test_every_external_reference_is_a_full_page_with_its_language_and_check_date() -> None:
    external = [r for r in rows("sources") if r["role"] == "external"]
    assert len(external) > 100
    for row in external:
        scheme, _, rest = row["url"].partition("://")
        host, _, path = rest.partition("/")
        assert scheme in {"http", "https"} and "." in host and path, row
        assert row["language"] and row["checked"] and row["title"], row
    non_english = [
        c for c in rows("claims") if {r["source_id"]: r for r in external}[c["source_id"]]["language"] != "en"
    ]
    assert non_english and all(c["gloss"] for c in non_english)


def test_every_foreign_key_resolves() -> None:
    checked = 0
    for res in descriptor()["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            (column,), ref = fk["fields"], fk["reference"]
            targets = {r[ref["fields"][0]] for r in rows(ref["resource"] or res["name"])}
            for row in rows(res["name"]):
                if row[column]:
                    assert row[column] in targets, (res["name"], column, row[column])
                    checked += 1
    assert checked > 500


def test_polymorphic_links_resolve() -> None:
    """evidence, actor_roles and errata point at (table, record_id) pairs that exist."""
    evidence = next(r for r in descriptor()["resources"] if r["name"] == "evidence")
    linkable = next(f for f in evidence["schema"]["fields"] if f["name"] == "table")["constraints"]["enum"]
    ids = {t: {r[key_of(t)] for r in rows(t)} for t in linkable}
    for table in ("evidence", "actor_roles", "errata"):
        for row in rows(table):
            if row["table"]:
                assert row["record_id"] in ids[row["table"]], (table, row)
    actors = {r["actor_id"] for r in rows("actors")}
    for op in rows("operations"):
        for partner in filter(None, op["partners"].split("; ")):
            assert partner in actors


@pytest.mark.parametrize("table", sorted(FACT_COLUMNS))
def test_every_fact_has_evidence(table: str) -> None:
    covered = {(r["table"], r["record_id"], r["field"]) for r in rows("evidence")}
    for row in rows(table):
        for column in FACT_COLUMNS[table]:
            if row[column]:
                assert (table, row[key_of(table)], column) in covered, (table, row[key_of(table)], column)


def test_every_actor_takes_part_in_a_record() -> None:
    used = {r["actor_id"] for r in rows("actor_roles")}
    assert {r["actor_id"] for r in rows("actors")} <= used


def test_dates_bound_and_match_their_precision() -> None:
    width = {"day": 0, "month": 27, "year": 364}
    for table in ("incidents", "operations", "arrests"):
        for row in rows(table):
            if not row["date"]:
                assert not row["date_start"] and not row["date_end"]
                continue
            start, end = dt.date.fromisoformat(row["date_start"]), dt.date.fromisoformat(row["date_end"])
            assert start <= end
            assert row["date"].split("/")[0] in start.isoformat()
            if row["date_precision"] != "range":
                assert width[row["date_precision"]] <= (end - start).days <= width[row["date_precision"]] + 3


def test_timeline_lists_every_dated_record_in_order() -> None:
    expected = {(t[:-1], r[key_of(t)]) for t in ("incidents", "operations", "arrests") for r in rows(t) if r["date"]}
    timeline = rows("timeline")
    assert {(r["kind"], r["record_id"]) for r in timeline} == expected
    starts = [r["date_start"] for r in timeline]
    assert starts == sorted(starts)


def test_counts_are_ordered_low_best_high() -> None:
    for table, base in (("incidents", "killed"), ("incidents", "injured"), ("statistics", "value")):
        for row in rows(table):
            values = [row[f"{base}_low"], row[base], row[f"{base}_high"]]
            numbers = [int(v) for v in values if v]
            assert numbers == sorted(numbers), row


def test_errata_cite_references_and_corrected_values_point_to_them() -> None:
    sources = {r["source_id"]: r for r in rows("sources")}
    pointers = {(r["table"], r["record_id"], r["field"], r["erratum_id"]) for r in rows("evidence") if r["erratum_id"]}
    text = ARTICLE.read_text(encoding="utf-8")
    for row in rows("errata"):
        assert sources[row["reference_source_id"]]["role"] == "external", row
        assert (row["table"], row["record_id"], row["field"], row["erratum_id"]) in pointers, row
        assert text[int(row["char_start"]) : int(row["char_end"])] == row["quote"]
    assert {r["status"] for r in rows("errata")} == {"confirmed", "disputed"}


def test_article_footnotes_are_all_sources() -> None:
    markers = {m for r in rows("sources") for m in r["footnote"].split("; ") if m}
    assert markers == {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"}


def test_every_numeric_external_value_is_in_its_excerpt() -> None:
    """A count that evidence marks `external` is written in the reference's own words (digits or words)."""
    pytest.importorskip("num2words", reason="the build's number reader is in the build extra")
    from aoav_build.references import states_number

    integer = {
        (res["name"], f["name"]) for res in descriptor()["resources"] for f in res["schema"]["fields"]
        if f["type"] == "integer"
    }  # fmt: skip
    records = {t: {r[key_of(t)]: r for r in rows(t)} for t in ("incidents", "attacks", "statistics", "arrests")}
    language = {r["source_id"]: r["language"] for r in rows("sources")}
    checked = 0
    for ev in rows("evidence"):
        if ev["provenance"] == "external" and (ev["table"], ev["field"]) in integer and ev["table"] in records:
            value = records[ev["table"]][ev["record_id"]][ev["field"]]
            assert states_number(ev["quote"], int(value), language[ev["source_id"]]), ev
            checked += 1
    assert checked > 100
