"""pandera models of the published tables: one class per table, columns in CSV order.

The vocabularies of categorical columns are read from datapackage.json, their
single published home; tests check every model against the descriptor field by
field (names, order, types, required, vocabularies), so neither can drift.
Importing this module imports pandera, so aoav_data imports it only to validate.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from .descriptor import resource

Text = Series[pd.StringDtype]
Count = Series[pd.Int64Dtype]
Real = Series[pd.Float64Dtype]
Day = Series[pandas_engine.DateTime]
Vocab = Series[pd.CategoricalDtype]
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
EDTF = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$"


def vocab(table: str, field: str, required: bool = False) -> Any:
    """A categorical column holding its whole published vocabulary."""
    try:
        (spec,) = [f for f in resource(table)["schema"]["fields"] if f["name"] == field]
        categories = pd.Index(spec["constraints"]["enum"])
    except (KeyError, ValueError):  # a damaged descriptor; validate() reports it
        return pa.Field(nullable=not required)
    return pa.Field(nullable=not required, dtype_kwargs={"categories": categories, "ordered": False})


def text(required: bool = False, **checks: Any) -> Any:
    return pa.Field(nullable=not required, **checks)


def day(required: bool = False) -> Any:
    return pa.Field(nullable=not required, dtype_kwargs={"unit": "ms"})


class _Table(pa.DataFrameModel):
    class Config:
        strict = True
        ordered = True


class Sources(_Table):
    source_id: Text = text(True, unique=True, str_matches=SLUG)
    kind: Vocab = vocab("sources", "kind", True)
    title: Text = text(True)
    author: Text = text()
    publisher: Text = text()
    published: Text = text(str_matches=EDTF)
    originally_published_in: Text = text()
    footnote: Text = text(str_matches=r"^[ivxlc]+(; [ivxlc]+)*$")
    cited_by: Text = text()
    url: Text = text(str_matches=r"^https?://[^/\s]+/\S*$")
    language: Text = text(str_matches=r"^[a-z]{2,3}$")
    checked: Text = text(str_matches=r"^\d{4}-\d{2}-\d{2}$")
    copy_of: Text = text()
    note: Text = text()
    role: Vocab = vocab("sources", "role", True)
    stored_path: Text = text()
    sha256: Text = text(str_matches=r"^[0-9a-f]{64}$")


class Claims(_Table):
    claim_id: Text = text(True, unique=True, str_matches=SLUG)
    subject: Text = text(True)
    variable: Text = text(True, str_matches=r"^[a-z]+(_[a-z]+)*$")
    value: Text = text(True)
    source_id: Text = text(True)
    excerpt: Text = text(True)
    gloss: Text = text()
    certainty: Vocab = vocab("claims", "certainty", True)
    note: Text = text()


class Attacks(_Table):
    attack_id: Text = text(True, unique=True, str_matches=SLUG)
    title: Text = text(True)
    summary: Text = text(True)
    date: Text = text(str_matches=EDTF)
    date_start: Day = day()
    date_end: Day = day()
    date_precision: Vocab = vocab("attacks", "date_precision")
    country_iso3: Vocab = vocab("attacks", "country_iso3")
    killed: Count = text(ge=0)
    killed_low: Count = text(ge=0)
    killed_high: Count = text(ge=0)
    perpetrators_killed: Count = text(ge=0)
    injured: Count = text(ge=0)
    injured_low: Count = text(ge=0)
    injured_high: Count = text(ge=0)


class Incidents(_Table):
    incident_id: Text = text(True, unique=True, str_matches=SLUG)
    attack_id: Text = text()
    title: Text = text(True)
    summary: Text = text(True)
    date: Text = text(str_matches=EDTF)
    date_start: Day = day()
    date_end: Day = day()
    date_precision: Vocab = vocab("incidents", "date_precision")
    country_iso3: Vocab = vocab("incidents", "country_iso3")
    location: Text = text()
    latitude: Real = text(ge=-90, le=90)
    longitude: Real = text(ge=-180, le=180)
    geo_precision: Vocab = vocab("incidents", "geo_precision")
    attack_type: Vocab = vocab("incidents", "attack_type")
    acled_event_type: Vocab = vocab("incidents", "acled_event_type")
    acled_sub_event_type: Vocab = vocab("incidents", "acled_sub_event_type")
    perpetrator: Text = text()
    killed: Count = text(ge=0)
    killed_low: Count = text(ge=0)
    killed_high: Count = text(ge=0)
    perpetrators_killed: Count = text(ge=0)
    injured: Count = text(ge=0)
    injured_low: Count = text(ge=0)
    injured_high: Count = text(ge=0)
    morocco_link: Text = text()


class Operations(_Table):
    operation_id: Text = text(True, unique=True, str_matches=SLUG)
    title: Text = text(True)
    summary: Text = text(True)
    operation_type: Vocab = vocab("operations", "operation_type", True)
    status: Vocab = vocab("operations", "status", True)
    date: Text = text(str_matches=EDTF)
    date_start: Day = day()
    date_end: Day = day()
    date_precision: Vocab = vocab("operations", "date_precision")
    country_iso3: Vocab = vocab("operations", "country_iso3")
    location: Text = text()
    latitude: Real = text(ge=-90, le=90)
    longitude: Real = text(ge=-180, le=180)
    geo_precision: Vocab = vocab("operations", "geo_precision")
    lead_actor: Text = text()
    partners: Text = text()
    recipients: Text = text()
    target: Text = text()
    outcome: Text = text()
    incident_id: Text = text()
    attack_id: Text = text()


class Arrests(_Table):
    arrest_id: Text = text(True, unique=True, str_matches=SLUG)
    title: Text = text(True)
    operation_id: Text = text()
    date: Text = text(str_matches=EDTF)
    date_start: Day = day()
    date_end: Day = day()
    date_precision: Vocab = vocab("arrests", "date_precision")
    country_iso3: Vocab = vocab("arrests", "country_iso3")
    location: Text = text()
    latitude: Real = text(ge=-90, le=90)
    longitude: Real = text(ge=-180, le=180)
    geo_precision: Vocab = vocab("arrests", "geo_precision")
    arrested: Count = text(ge=0)
    count_kind: Vocab = vocab("arrests", "count_kind")
    affiliation: Text = text()
    authority: Text = text()
    summary: Text = text(True)


class Statistics(_Table):
    statistic_id: Text = text(True, unique=True, str_matches=SLUG)
    indicator: Vocab = vocab("statistics", "indicator", True)
    value: Count = text(True, ge=0)
    value_low: Count = text(ge=0)
    value_high: Count = text(ge=0)
    unit: Vocab = vocab("statistics", "unit", True)
    period_start: Text = text()
    period_end: Text = text()
    geography: Text = text()
    attributed_to: Text = text()
    claimant: Text = text()
    summary: Text = text(True)
    incident_id: Text = text()
    attack_id: Text = text()
    operation_id: Text = text()
    arrest_id: Text = text()


class Actors(_Table):
    actor_id: Text = text(True, unique=True, str_matches=SLUG)
    name: Text = text(True)
    actor_type: Vocab = vocab("actors", "actor_type", True)
    country_iso3: Vocab = vocab("actors", "country_iso3")
    description: Text = text(True)


class ActorRoles(_Table):
    actor_id: Text = text(True)
    table: Vocab = vocab("actor_roles", "table", True)
    record_id: Text = text(True)
    role: Vocab = vocab("actor_roles", "role", True)


class Errata(_Table):
    erratum_id: Text = text(True, unique=True, str_matches=SLUG)
    source_id: Text = text(True)
    quote: Text = text(True)
    char_start: Count = text(True, ge=0)
    char_end: Count = text(True, ge=0)
    article_says: Text = text(True)
    corrected: Text = text(True)
    status: Vocab = vocab("errata", "status", True)
    explanation: Text = text(True)
    reference_source_id: Text = text(True)
    table: Vocab = vocab("errata", "table")
    record_id: Text = text()
    field: Text = text()


class Evidence(_Table):
    evidence_id: Text = text(True, unique=True)
    table: Vocab = vocab("evidence", "table", True)
    record_id: Text = text(True)
    field: Text = text(True)
    source_id: Text = text(True)
    cited_source_id: Text = text()
    quote: Text = text()
    char_start: Count = text(ge=0)
    char_end: Count = text(ge=0)
    claim_id: Text = text()
    provenance: Vocab = vocab("evidence", "provenance", True)
    confidence: Vocab = vocab("evidence", "confidence")
    erratum_id: Text = text()
    note: Text = text()


class Timeline(_Table):
    date_start: Day = day(True)
    date_end: Day = day(True)
    date_precision: Vocab = vocab("timeline", "date_precision", True)
    date: Text = text(True)
    kind: Vocab = vocab("timeline", "kind", True)
    record_id: Text = text(True)
    title: Text = text(True)
    country_iso3: Vocab = vocab("timeline", "country_iso3")


class RetiredIds(_Table):
    old_table: Vocab = vocab("retired_ids", "old_table", True)
    old_id: Text = text(True, str_matches=SLUG)
    new_table: Vocab = vocab("retired_ids", "new_table")
    new_ids: Text = text(str_matches=r"^[a-z0-9]+(-[a-z0-9]+)*(; [a-z0-9]+(-[a-z0-9]+)*)*$")
    version: Text = text(True, str_matches=r"^\d+\.\d+\.\d+$")
    reason: Text = text(True)


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "sources": Sources,
    "claims": Claims,
    "attacks": Attacks,
    "incidents": Incidents,
    "operations": Operations,
    "arrests": Arrests,
    "statistics": Statistics,
    "actors": Actors,
    "actor_roles": ActorRoles,
    "errata": Errata,
    "evidence": Evidence,
    "timeline": Timeline,
    "retired_ids": RetiredIds,
}
