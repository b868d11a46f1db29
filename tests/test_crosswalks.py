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


def test_gtd_dates_use_zero_for_unknown(incidents: pd.DataFrame) -> None:
    gtd = by_id(to_gtd(incidents))
    assert tuple(gtd.loc["berlin-christmas-market-2016", ["iyear", "imonth", "iday"]]) == (2016, 12, 19)
    catalonia = gtd.loc["barcelona-cambrils-attacks-2017"]
    assert (catalonia["iday"], catalonia["approxdate"]) == (17, "2017-08-17/2017-08-18")
    assert "spans days" in catalonia["gtd_note"]
    month_only = incidents.assign(date="2015-11", date_precision="month")
    assert set(to_gtd(month_only)["iday"]) == {0}
    year_only = incidents.assign(date="2015", date_precision="year")
    assert set(to_gtd(year_only)["imonth"]) == {0}


def test_gtd_attack_types(incidents: pd.DataFrame) -> None:
    gtd = by_id(to_gtd(incidents))
    assert gtd.loc["madrid-train-bombings-2004", "attacktype1"] == 3  # Bombing/Explosion
    assert gtd.loc["berlin-christmas-market-2016", "attacktype1"] == 8  # Unarmed Assault (vehicle)
    paris = gtd.loc["paris-attacks-2015"]
    assert paris["attacktype1"] == 9 and "no source describes the method" in paris["gtd_note"]
    assert gtd.loc["marrakesh-argana-cafe-2011", "specificity"] == 1
    assert gtd.loc["barcelona-cambrils-attacks-2017", "specificity"] == 3


def test_acled_precision_and_no_equivalent(incidents: pd.DataFrame) -> None:
    acled = by_id(to_acled(incidents))
    assert acled.loc["berlin-christmas-market-2016", "time_precision"] == 1
    assert acled.loc["barcelona-cambrils-attacks-2017", "time_precision"] == 2  # a range of days
    assert acled.loc["barcelona-cambrils-attacks-2017", "geo_precision"] == 2
    vague = by_id(to_acled(incidents.assign(date_precision="year", geo_precision="country")))
    row = vague.loc["berlin-christmas-market-2016"]
    assert pd.isna(row["time_precision"]) and pd.isna(row["geo_precision"])
    assert "no ACLED time_precision" in row["acled_note"] and "no ACLED geo_precision" in row["acled_note"]


def test_ucdp_precision_and_bounds(incidents: pd.DataFrame) -> None:
    ucdp = by_id(to_ucdp(incidents))
    assert ucdp.loc["barcelona-cambrils-attacks-2017", "date_prec"] == 2  # within 2-6 days
    assert ucdp.loc["berlin-christmas-market-2016", "date_prec"] == 1
    assert ucdp.loc["marrakesh-argana-cafe-2011", "where_prec"] == 1
    assert ucdp.loc["paris-attacks-2015", "where_prec"] == 2  # within 25 km of a known point
    berlin = ucdp.loc["berlin-christmas-market-2016"]
    assert (berlin["low"], berlin["best"], berlin["high"]) == (12, 12, 13)
