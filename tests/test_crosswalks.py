"""Crosswalks to GTD, ACLED and UCDP GED, checked against those codebooks' definitions."""

from __future__ import annotations

import pandas as pd
import pytest

import aoav_data
from aoav_data.crosswalks import to_acled, to_gtd, to_ucdp


@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    return aoav_data.incidents()


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("incident_id")


@pytest.mark.parametrize("convert", [to_gtd, to_acled, to_ucdp])
def test_every_incident_converts(incidents: pd.DataFrame, convert) -> None:  # type: ignore[no-untyped-def]
    out = convert(incidents)
    assert list(out["incident_id"]) == list(incidents["incident_id"])
    assert "object" not in {str(t) for t in out.dtypes}


def spanning(incidents: pd.DataFrame, incident: str) -> pd.DataFrame:
    """The incidents with one of them dated over two days, as a range."""
    frame = incidents.copy()
    row = frame["incident_id"] == incident
    frame.loc[row, "date"] = "2017-08-17/2017-08-18"
    frame.loc[row, "date_precision"] = "range"
    frame.loc[row, "date_end"] = pd.Timestamp("2017-08-18")
    return frame


def test_gtd_dates_use_zero_for_unknown(incidents: pd.DataFrame) -> None:
    gtd = by_id(to_gtd(incidents))
    assert tuple(gtd.loc["berlin-christmas-market-2016", ["iyear", "imonth", "iday"]]) == (2016, 12, 19)
    ranged = by_id(to_gtd(spanning(incidents, "cambrils-attack-2017"))).loc["cambrils-attack-2017"]
    assert (ranged["iday"], ranged["approxdate"]) == (18, "2017-08-17/2017-08-18")
    assert "spans days" in ranged["gtd_note"]
    month_only = incidents.assign(date="2015-11", date_precision="month")
    assert set(to_gtd(month_only)["iday"]) == {0}
    year_only = incidents.assign(date="2015", date_precision="year")
    assert set(to_gtd(year_only)["imonth"]) == {0}


def test_gtd_attack_types_and_groups(incidents: pd.DataFrame) -> None:
    gtd = by_id(to_gtd(incidents))
    assert gtd.loc["madrid-atocha-2004", "attacktype1"] == 3  # Bombing/Explosion
    assert gtd.loc["berlin-christmas-market-2016", "attacktype1"] == 8  # Unarmed Assault (vehicle)
    assert gtd.loc["paris-bataclan-2015", "attacktype1"] == 5  # Barricade hostage taking outranks armed assault
    assert gtd.loc["cambrils-attack-2017", "attacktype1"] == 2  # knives: Armed Assault outranks the car
    assert gtd.loc["marrakesh-argana-cafe-2011", "specificity"] == 1
    assert gtd.loc["madrid-santa-eugenia-2004", "related"] == "madrid-train-bombings-2004"
    assert pd.isna(gtd.loc["berlin-christmas-market-2016", "related"])
    uncoded = by_id(to_gtd(incidents.assign(attack_type=pd.NA))).loc["paris-bataclan-2015"]
    assert pd.isna(uncoded["attacktype1"]) and pd.isna(uncoded["attacktype1_txt"])  # never GTD's 9, Unknown
    assert "left empty" in uncoded["gtd_note"]


def test_death_counts_follow_each_target(incidents: pd.DataFrame) -> None:
    """Our `killed` is victims only; GTD nkill, UCDP best/low/high and ACLED fatalities count attackers too."""
    gtd, ucdp, acled = by_id(to_gtd(incidents)), by_id(to_ucdp(incidents)), by_id(to_acled(incidents))
    stade = gtd.loc["paris-stade-de-france-2015"]
    assert (stade["nkill"], stade["nkillter"]) == (4, 3)  # 1 victim and 3 suicide bombers
    assert tuple(ucdp.loc["paris-bataclan-2015", ["low", "best", "high"]]) == (93, 93, 93)
    assert acled.loc["paris-comptoir-voltaire-2015", "fatalities"] == 1  # the bomber alone
    assert tuple(ucdp.loc["berlin-christmas-market-2016", ["low", "best", "high"]]) == (12, 12, 13)


def test_acled_precision_analogues_and_no_equivalent(incidents: pd.DataFrame) -> None:
    acled = by_id(to_acled(incidents))
    assert acled.loc["berlin-christmas-market-2016", "time_precision"] == 1
    assert "analogues" in acled.loc["berlin-christmas-market-2016", "acled_note"]  # Europe before 2018
    assert pd.isna(acled.loc["marrakesh-argana-cafe-2011", "acled_note"])  # Africa, covered since 1997
    ranged = by_id(to_acled(spanning(incidents, "cambrils-attack-2017")))
    assert ranged.loc["cambrils-attack-2017", "time_precision"] == 2  # a range of days
    assert acled.loc["cambrils-attack-2017", "geo_precision"] == 1
    vague = by_id(to_acled(incidents.assign(date_precision="year", geo_precision="country")))
    row = vague.loc["berlin-christmas-market-2016"]
    assert pd.isna(row["time_precision"]) and pd.isna(row["geo_precision"])
    assert "no ACLED time_precision" in row["acled_note"] and "no ACLED geo_precision" in row["acled_note"]


def test_ucdp_precision_and_bounds(incidents: pd.DataFrame) -> None:
    ucdp = by_id(to_ucdp(incidents))
    ranged = by_id(to_ucdp(spanning(incidents, "cambrils-attack-2017")))
    assert ranged.loc["cambrils-attack-2017", "date_prec"] == 2  # within 2-6 days
    assert ucdp.loc["berlin-christmas-market-2016", "date_prec"] == 1
    assert ucdp.loc["marrakesh-argana-cafe-2011", "where_prec"] == 1
    assert ucdp.loc["madrid-calle-tellez-2004", "where_prec"] == 2  # within 25 km of a known point
