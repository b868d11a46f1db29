"""Property tests: partial dates and their bounds; any text surviving records -> CSV -> DataFrame -> CSV."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aoav_data.csvfile import to_csv_bytes
from aoav_data.loaders import frame_from_bytes
from aoav_data.rules import edtf_bounds

# No time limit per example: on a loaded machine a pandas read can pass Hypothesis's 200 ms, and a
# property test must fail for its property alone.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
PRECISIONS = st.sampled_from(["day", "month", "year"])


def written(day: dt.date, precision: str) -> str:
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]


def expected_bounds(day: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """Worked out without the calendar module: the first of the next period, less one day."""
    if precision == "day":
        return day, day
    if precision == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return dt.date(day.year, day.month, 1), following - dt.timedelta(days=1)


@given(DAYS, PRECISIONS)
def test_a_partial_date_is_bounded_by_the_period_it_names(day: dt.date, precision: str) -> None:
    bounds = edtf_bounds(written(day, precision))
    assert (bounds.start, bounds.end) == expected_bounds(day, precision)
    assert bounds.precision == precision
    assert bounds.start <= day <= bounds.end


@given(DAYS, PRECISIONS, DAYS, PRECISIONS)
def test_an_interval_runs_from_the_start_of_one_to_the_end_of_the_other(
    a: dt.date, pa: str, b: dt.date, pb: str
) -> None:
    first, last = (a, pa), (b, pb)  # in either order: a reversed interval is refused
    text = f"{written(*first)}/{written(*last)}"
    start, end = expected_bounds(*first)[0], expected_bounds(*last)[1]
    if end < start:
        with pytest.raises(ValueError, match="ends before it starts"):
            edtf_bounds(text)
        return
    assert edtf_bounds(text) == (start, end, "range")


@given(st.integers(1900, 2100), st.integers(13, 99))
def test_a_month_that_does_not_exist_is_refused(year: int, month: int) -> None:
    with pytest.raises(ValueError, match="no month"):
        edtf_bounds(f"{year}-{month:02d}")


@given(DAYS, st.integers(29, 31))
def test_a_day_past_the_end_of_its_month_is_refused(day: dt.date, number: int) -> None:
    last = expected_bounds(day, "month")[1].day
    text = f"{day.isoformat()[:7]}-{number:02d}"
    if number > last:
        with pytest.raises(ValueError, match="no day"):
            edtf_bounds(text)
    else:
        assert edtf_bounds(text).start.day == number


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1
) | st.sampled_from(
    ["Aït Boulahcen", "Morocco’s “best partner”", "a,b", 'say "no"', "line\nbreak", "no\u00a0break", "\r\n"]
)
FIELDS = [{"name": "id", "type": "integer"}, {"name": "text", "type": "string"}, {"name": "note", "type": "string"}]


@given(st.lists(st.tuples(TEXT, st.none() | TEXT), min_size=1, max_size=5))
def test_any_text_survives_the_round_trip(values: list[tuple[str, str | None]]) -> None:
    rows = [{"id": i, "text": text, "note": note} for i, (text, note) in enumerate(values)]
    data = to_csv_bytes(rows, [f["name"] for f in FIELDS])
    frame = frame_from_bytes(data, FIELDS, "roundtrip.csv")
    back = [{k: None if pd.isna(v) else v for k, v in row.items()} for row in frame.to_dict("records")]
    assert back == rows
    assert to_csv_bytes(back, [f["name"] for f in FIELDS]) == data


def test_a_table_longer_than_a_chunk_is_written_whole_and_quoted_where_needed() -> None:
    import csv
    import io

    from aoav_data.csvfile import CHUNK_ROWS

    rows = [{"id": i, "text": f"row {i}", "note": None} for i in range(2 * CHUNK_ROWS + 3)]
    rows[CHUNK_ROWS + 1]["text"] = 'a "quoted", comma\r'  # only a cell of the second chunk needs quotes
    data = to_csv_bytes(rows, ["id", "text", "note"])
    back = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert back[0] == ["id", "text", "note"]
    assert back[1:] == [[str(r["id"]), r["text"], ""] for r in rows]
    assert data.count(b'"') == 6 and data.endswith(b"\n") and b"\n\n" not in data
