"""External references and their claims: each claim states one value of one variable in the
reference's own words, and external evidence may use a claim only for that variable and value.

Also the confidence rule: per record and field, from the claims that support it.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aoav_data.rules import edtf_bounds

from .evidence import Where
from .records import id_field
from .schema import Field

if TYPE_CHECKING:
    from .curation_rules import Index

Rows = list[dict[str, Any]]
# A full page address: a scheme, a host and a path; a bare domain is not a reference.
FULL_URL = re.compile(r"https?://[^/\s]+/\S+")
DIGITS = re.compile(r"\d+")  # a claim's value that is a count
CLAIM = operator.itemgetter("claim_id")  # an evidence row's claim: set on external evidence only
EXTERNAL_REQUIRED = ("url", "language", "checked")
# Evidence for an actor's role must describe that role: the column that carries it.
ROLE_FIELDS = {
    "perpetrator": "perpetrator", "suspect": "perpetrator", "lead_agency": "lead_actor",
    "partner": "partners", "recipient": "recipients", "claimant": "claimant",
}  # fmt: skip
DMS = re.compile(
    r"(\d{1,3})\s*[°º]\s*(\d{1,2})\s*[′']\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*[″\"]\s*)?"
    r"(N|S|E|W|O|nord|sud|est|ouest|Nord|Süd|Ost|West)\b"
)
# Hemisphere words; "O" is east in German (Ost) but west in Spanish, Italian and Portuguese (oeste).
SOUTH_OR_WEST = {"S", "W", "sud", "ouest", "Süd", "West"}
COORDINATE_TOLERANCE = 0.0015  # degrees, about 150 m: the precision of a stated DMS second or 3 decimals


def check_claims(tables: dict[str, Rows], idx: Index) -> None:
    """References are full pages, claims state their values, and evidence uses claims for their own variable."""
    schema = idx.schema
    sources = {row["source_id"]: row for row in tables["sources"]}
    for row in sources.values():
        _check_reference(row, idx.at("sources", row["source_id"], "sources"))
    for claim in tables["claims"]:
        _check_claim(claim, sources, idx.at("claims", claim["claim_id"], "claims"))
    claims = {c["claim_id"]: c for c in tables["claims"]}
    # The records external evidence is about (not the million rows of evidence itself)
    named = {ev["table"] for ev in filter(CLAIM, tables["evidence"])} & set(schema.tables)
    rows = {(name, row[id_field(schema.tables[name])]): row for name in named for row in tables.get(name, [])}
    # Evidence names a column of its table: aoav_data.rules checked that before (cell_rules.check_cells).
    specs = {(name, f.name): f for name, spec in schema.tables.items() for f in spec.fields}
    for ev in filter(CLAIM, tables["evidence"]):
        record = (ev["table"], ev["record_id"])
        # Where the record was written is looked up only for a claim that fails.
        place = functools.partial(idx.at, *record, "evidence")
        _check_use(ev, claims[ev["claim_id"]], rows[record], specs[(ev["table"], ev["field"])], place)
    _check_roles(tables, idx)


def _check_reference(row: dict[str, Any], where: Where) -> None:
    if row["role"] != "external":
        return
    for column in EXTERNAL_REQUIRED:
        if row[column] is None:
            raise where.error("is required for an external reference", column)
    if not FULL_URL.fullmatch(row["url"]):
        raise where.error(f"{row['url']!r} is not the full address of a page (scheme, host and path)", "url")


def _check_claim(claim: dict[str, Any], sources: dict[str, dict[str, Any]], where: Where) -> None:
    source = sources.get(claim["source_id"])
    if source is None or source["role"] != "external":
        raise where.error(f"{claim['source_id']!r} is not an external reference of the sources table", "source_id")
    value, excerpt = claim["value"], claim["excerpt"]
    if DIGITS.fullmatch(value) and not states_number(excerpt, int(value), source["language"]):
        raise where.error(f"the excerpt does not state the number {value} (in digits or words)", "excerpt")
    if claim["variable"] == "coordinates":
        lat, lon = _coordinates(value, where)
        if not states_coordinates(excerpt, lat, lon, source["language"]):
            raise where.error(f"the excerpt does not state the coordinates {value}", "excerpt")
    if source["language"] != "en" and claim["gloss"] is None:
        raise where.error(f"the excerpt is in {source['language']!r}: give an English gloss", "gloss")


def states_number(text: str, number: int, language: str = "en") -> bool:
    """Whether `text` gives `number` in digits (with any thousands separator) or in words."""
    digits = str(number)
    groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)][::-1]
    pattern = r"[,.\s\u00a0\u202f]?".join(map(re.escape, groups))
    if re.search(rf"(?<![\d.,]){pattern}(?![\d]|[.,]\d)", text):
        return True
    return any(word in text.lower() for word in _number_words(number, language))


def _number_words(number: int, language: str) -> set[str]:
    from num2words import num2words

    words = set()
    for lang in {language, "en"}:
        try:
            words.add(str(num2words(number, lang=lang)).lower())
        except (NotImplementedError, OverflowError):
            continue
    return words


def _coordinates(value: str, where: Where) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise where.error(f"{value!r} is not 'latitude,longitude' in decimal degrees", "value") from None
    return lat, lon


def states_coordinates(text: str, lat: float, lon: float, language: str = "en") -> bool:
    """Whether `text` gives the point in decimal degrees or in degrees, minutes and seconds."""
    found: list[float] = []
    for d, m, s, hemi in DMS.findall(text):
        degrees = int(d) + int(m) / 60 + float((s or "0").replace(",", ".")) / 3600
        west = hemi in SOUTH_OR_WEST or (hemi == "O" and language != "de")
        found.append(-degrees if west else degrees)
    for number, hemi in re.findall(r"(-?\d{1,3}[.,]\d+)\s*°?\s*([NSEW]?)", text):
        degrees = float(number.replace(",", "."))
        found.append(-degrees if hemi in ("S", "W") else degrees)
    return all(any(abs(f - want) <= COORDINATE_TOLERANCE for f in found) for want in (lat, lon))


def _check_use(
    ev: dict[str, Any], claim: dict[str, Any], row: dict[str, Any], spec: Field, place: Callable[[], Where]
) -> None:
    """A claim supports a field only if it is about that field's variable and gives the recorded value.
    `place` gives where the record was written (looked up only to report a problem)."""
    field = ev["field"]
    if claim["variable"] not in spec.claim_variables:
        raise place().error(
            f"claim {claim['claim_id']!r} is about {claim['variable']!r}, not a variable of this field "
            f"({', '.join(spec.claim_variables)})",
            field,
        )
    recorded, value = row.get(field), claim["value"]
    if recorded is None:
        return
    count = spec.type == "integer" and DIGITS.fullmatch(value) is not None
    if spec.type == "integer" and not count and ev["provenance"] != "inferred":
        raise place().error(
            f"claim {claim['claim_id']!r} gives no count ({value!r}): mark the evidence inferred and say how", field
        )
    if count and int(value) != recorded:
        raise place().error(f"is {recorded}, but claim {claim['claim_id']!r} gives {value}", field)
    if field == "date" and not _within(value, row) and ev["provenance"] != "inferred":
        raise place().error(f"is {recorded}, but claim {claim['claim_id']!r} gives the date {value}", field)
    if field in ("latitude", "longitude"):
        lat, lon = _coordinates(value, place())
        if abs((lat if field == "latitude" else lon) - recorded) > COORDINATE_TOLERANCE:
            raise place().error(f"is {recorded}, but claim {claim['claim_id']!r} gives {value}", field)


def _within(value: str, row: dict[str, Any]) -> bool:
    try:
        bounds = edtf_bounds(value)
    except ValueError:
        return False
    return bool(row["date_start"] <= bounds.start and bounds.end <= row["date_end"])


def _check_roles(tables: dict[str, Rows], idx: Index) -> None:
    """An actor's role in a record must rest on evidence for the column that describes the role."""
    covered = idx.covered
    for link in tables["actor_roles"]:
        field = ROLE_FIELDS.get(link["role"])
        columns = idx.schema.tables[link["table"]].field_names
        if field in columns and (link["table"], link["record_id"], field) not in covered:
            raise idx.at(link["table"], link["record_id"], "actor_roles").error(
                f"gives {link['actor_id']!r} the role {link['role']!r}, but no evidence describes it", field
            )


def rate_confidence(tables: dict[str, Rows]) -> None:
    """The written rule: high = two or more independent references (a copy counts as its original),
    none hedged; medium = one; low = any hedged claim. Article evidence has no rating."""
    claims = {c["claim_id"]: c for c in tables["claims"]}
    original = {s["source_id"]: s["copy_of"] or s["source_id"] for s in tables["sources"]}
    groups: dict[tuple[str, str, str], Rows] = defaultdict(list)
    for ev in filter(CLAIM, tables["evidence"]):  # only external evidence: a filter in C, not a loop here
        groups[(ev["table"], ev["record_id"], ev["field"])].append(ev)
    for rows in groups.values():
        used = [claims[ev["claim_id"]] for ev in rows]
        # .get: a claim naming an unknown source is reported by the key checks after this
        independent = {original.get(c["source_id"], c["source_id"]) for c in used}
        hedged = any(c["certainty"] == "hedged" for c in used)
        rating = "low" if hedged else "high" if len(independent) >= 2 else "medium"
        for ev in rows:
            ev["confidence"] = rating
