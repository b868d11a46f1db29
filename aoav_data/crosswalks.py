"""Crosswalks from our incidents to the codes of GTD, ACLED and UCDP GED.

Each function takes the incidents table (as `aoav_data.incidents()` returns it)
and gives one row per incident, keyed by `incident_id`, in the other dataset's
column names. Where our data has no equivalent for a code, the cell is empty
(<NA>) and the `*_note` column says why, rather than guessing.
"""

from __future__ import annotations

import pandas as pd

# GTD codebook, attacktype1.
GTD_ATTACK_TYPE = {
    "Assassination": 1, "Armed Assault": 2, "Bombing/Explosion": 3, "Hijacking": 4,
    "Hostage Taking (Barricade Incident)": 5, "Hostage Taking (Kidnapping)": 6,
    "Facility/Infrastructure Attack": 7, "Unarmed Assault": 8, "Unknown": 9,
}  # fmt: skip
# GTD specificity: 1 the event's city or site has coordinates; 3 coordinates are of a region
# the event lay in; 5 only the country is known.
GTD_SPECIFICITY = {"exact": 1, "city": 1, "region": 3, "country": 5}
# ACLED time_precision: 1 the day; 2 a range of days or a week; 3 a month. A year has no code.
ACLED_TIME_PRECISION = {"day": 1, "range": 2, "month": 3}
# ACLED geo_precision: 1 the town; 2 a part of a region near a town; 3 the region. A country has no code.
ACLED_GEO_PRECISION = {"exact": 1, "city": 1, "region": 2}
# UCDP GED where_prec: 1 exact place; 2 within 25 km of a known point; 3 second-order
# administrative division; 6 the country.
UCDP_WHERE_PREC = {"exact": 1, "city": 2, "region": 3, "country": 6}


def _notes(*parts: tuple[pd.Series, str]) -> pd.Series:
    """Per row, the messages whose condition holds, joined; empty where none does."""
    index = parts[0][0].index
    joined = pd.Series("", index=index, dtype="string")
    for condition, message in parts:
        joined = joined.where(~condition.fillna(False).astype(bool), joined + "; " + message)
    joined = joined.str.removeprefix("; ")
    return joined.where(joined != "")


def _codes(column: pd.Series, mapping: dict[str, int]) -> pd.Series:
    return column.astype("string").map(mapping).astype("Int64")


def to_gtd(incidents: pd.DataFrame) -> pd.DataFrame:
    """GTD: iyear, imonth, iday (0 where unknown), approxdate, specificity, attacktype1 and its text."""
    precision, start = incidents["date_precision"].astype("string"), incidents["date_start"]
    dated = precision.notna()
    attack = incidents["attack_type"].astype("string").fillna("Unknown")
    out = pd.DataFrame({
        "incident_id": incidents["incident_id"],
        "iyear": start.dt.year.astype("Int64").where(dated),
        "imonth": start.dt.month.astype("Int64").where(precision != "year", 0).where(dated),
        "iday": start.dt.day.astype("Int64").where(precision.isin(["day", "range"]), 0).where(dated),
        "approxdate": incidents["date"].where(precision.isin(["range", "month", "year"])),
        "specificity": _codes(incidents["geo_precision"], GTD_SPECIFICITY),
        "attacktype1": attack.map(GTD_ATTACK_TYPE).astype("Int64"),
        "attacktype1_txt": attack,
        "nkill": incidents["killed"],
        "nwound": incidents["injured"],
        "gtd_note": _notes(
            (precision == "range", "the date spans days: GTD codes the first, approxdate keeps the span"),
            (incidents["attack_type"].isna(), "no source describes the method: attacktype1 9 (Unknown)"),
        ),
    })  # fmt: skip
    return out.astype({"approxdate": "string", "gtd_note": "string"})


def to_acled(incidents: pd.DataFrame) -> pd.DataFrame:
    """ACLED: event_date, event_type, sub_event_type, time_precision, geo_precision, fatalities."""
    precision = incidents["date_precision"].astype("string")
    geo = incidents["geo_precision"].astype("string")
    out = pd.DataFrame({
        "incident_id": incidents["incident_id"],
        "event_date": incidents["date_start"],
        "event_type": incidents["acled_event_type"].astype("string"),
        "sub_event_type": incidents["acled_sub_event_type"].astype("string"),
        "time_precision": _codes(precision, ACLED_TIME_PRECISION),
        "geo_precision": _codes(geo, ACLED_GEO_PRECISION),
        "fatalities": incidents["killed"],
        "acled_note": _notes(
            (precision == "year", "a date known only to the year has no ACLED time_precision"),
            (geo == "country", "a place known only to the country has no ACLED geo_precision"),
            (incidents["acled_event_type"].isna(), "no source describes the method: no event type"),
        ),
    })  # fmt: skip
    return out


def to_ucdp(incidents: pd.DataFrame) -> pd.DataFrame:
    """UCDP GED: date_start, date_end, date_prec, where_prec, best, low, high (deaths)."""
    precision = incidents["date_precision"].astype("string")
    days = (incidents["date_end"] - incidents["date_start"]).dt.days + 1
    by_length = pd.Series(5, index=incidents.index).mask(days <= 31, 4).mask(days <= 7, 3).mask(days <= 6, 2)
    date_prec = precision.map({"day": 1, "month": 4, "year": 5}).astype("Int64")
    out = pd.DataFrame({
        "incident_id": incidents["incident_id"],
        "date_start": incidents["date_start"],
        "date_end": incidents["date_end"],
        "date_prec": date_prec.where(precision != "range", by_length.astype("Int64")),
        "where_prec": _codes(incidents["geo_precision"], UCDP_WHERE_PREC),
        "best": incidents["killed"],
        "low": incidents["killed_low"].fillna(incidents["killed"]),
        "high": incidents["killed_high"].fillna(incidents["killed"]),
        "ucdp_note": _notes((incidents["geo_precision"].isna(), "no place precision: no where_prec")),
    })  # fmt: skip
    return out
