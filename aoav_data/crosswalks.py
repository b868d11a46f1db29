"""Crosswalks from our incidents to the codes of GTD, ACLED and UCDP GED.

Each function takes the incidents table (as `aoav_data.incidents()` returns it)
and gives one row per incident, keyed by `incident_id`, in the other dataset's
column names. Where our data has no equivalent for a code, the cell is empty
(<NA>) and the `*_note` column says why, rather than guessing; an uncoded
value is exported empty, never as the target's "Unknown".

Deaths are counted as each target counts them: our `killed` is victims only,
`perpetrators_killed` the attackers who died in the incident. GTD's `nkill`
includes attackers (`nkillter` gives them apart); UCDP's best, low and high and
ACLED's `fatalities` count all deaths.
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
# First year ACLED covers, for the countries in the data: Africa from 1997, Europe from 2018. An
# event outside that coverage is coded by ACLED's definitions, but only as an analogue.
ACLED_FIRST_YEAR = {"MAR": 1997, "ESP": 2018, "FRA": 2018, "BEL": 2018, "DEU": 2018, "ITA": 2018}
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


def all_deaths(incidents: pd.DataFrame, victims: str = "killed") -> pd.Series:
    """Victims (at best, low or high) plus attackers killed: the deaths GTD, UCDP and ACLED count."""
    return (incidents[victims] + incidents["perpetrators_killed"]).astype("Int64")


def to_gtd(incidents: pd.DataFrame) -> pd.DataFrame:
    """GTD: iyear, imonth, iday (0 where unknown), approxdate, specificity, attacktype1 and its text."""
    precision, start = incidents["date_precision"].astype("string"), incidents["date_start"]
    dated = precision.notna()
    attack = incidents["attack_type"].astype("string")
    out = pd.DataFrame({
        "incident_id": incidents["incident_id"],
        "iyear": start.dt.year.astype("Int64").where(dated),
        "imonth": start.dt.month.astype("Int64").where(precision != "year", 0).where(dated),
        "iday": start.dt.day.astype("Int64").where(precision.isin(["day", "range"]), 0).where(dated),
        "approxdate": incidents["date"].where(precision.isin(["range", "month", "year"])),
        "specificity": _codes(incidents["geo_precision"], GTD_SPECIFICITY),
        "attacktype1": attack.map(GTD_ATTACK_TYPE).astype("Int64"),
        "attacktype1_txt": attack,
        "nkill": all_deaths(incidents),
        "nkillter": incidents["perpetrators_killed"],
        "nwound": incidents["injured"],
        "related": incidents["attack_id"],
        "gtd_note": _notes(
            (precision == "range", "the date spans days: GTD codes the first, approxdate keeps the span"),
            (incidents["attack_type"].isna(), "no reference describes the method: attacktype1 left empty"),
            (incidents["injured"].isna(), "no reference gives the injured at this site: see the attack's total"),
        ),
    })  # fmt: skip
    return out.astype({"approxdate": "string", "related": "string", "gtd_note": "string"})


def to_acled(incidents: pd.DataFrame) -> pd.DataFrame:
    """ACLED: event_date, event_type, sub_event_type, time_precision, geo_precision, fatalities."""
    precision = incidents["date_precision"].astype("string")
    geo = incidents["geo_precision"].astype("string")
    first = incidents["country_iso3"].astype("string").map(ACLED_FIRST_YEAR).astype("Int64")
    analogue = (incidents["date_start"].dt.year < first).fillna(True)
    out = pd.DataFrame({
        "incident_id": incidents["incident_id"],
        "event_date": incidents["date_start"],
        "event_type": incidents["acled_event_type"].astype("string"),
        "sub_event_type": incidents["acled_sub_event_type"].astype("string"),
        "time_precision": _codes(precision, ACLED_TIME_PRECISION),
        "geo_precision": _codes(geo, ACLED_GEO_PRECISION),
        "fatalities": all_deaths(incidents),
        "acled_note": _notes(
            (precision == "year", "a date known only to the year has no ACLED time_precision"),
            (geo == "country", "a place known only to the country has no ACLED geo_precision"),
            (incidents["acled_event_type"].isna(), "no reference describes the method: no event type"),
            (analogue, "ACLED did not cover this country in this year: the types are analogues"),
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
        "best": all_deaths(incidents),
        "low": all_deaths(incidents, "killed_low"),
        "high": all_deaths(incidents, "killed_high"),
        "ucdp_note": _notes((incidents["geo_precision"].isna(), "no place precision: no where_prec")),
    })  # fmt: skip
    return out
