"""The timeline figure (SVG and PNG), drawn from the timeline rows, byte-identical on every build.

Incidents, operations and arrests each have a labelled lane. Kinds are told apart by shape as well as
colour (the Okabe-Ito palette, which readers with a colour-vision deficiency can tell apart): a circle,
a square or a triangle marks a known day; a bar spans the month, year or range a date allows.

The canvas is bounded whatever the number of records: a lane of more than MAX_LANE_ROWS records
is drawn as one bar per year (the span its records cover, labelled with their count), so a lane
has at most one row per year of the data (a figure of every record of a thousand reports was
1210 x 594,176 px and most of the build's memory). Lanes at or below the limit, as in the real
data, are drawn record by record exactly as before."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

KINDS = ("incident", "operation", "arrest")
COLOURS = {"incident": "#D55E00", "operation": "#0072B2", "arrest": "#009E73"}  # Okabe-Ito
MARKERS = {"incident": "o", "operation": "s", "arrest": "^"}
LANES = {"incident": "Incidents", "operation": "Operations", "arrest": "Arrests"}
MIN_SPAN_DAYS = 25
MAX_LANE_ROWS = 60  # records a lane shows one by one; beyond, one row per year
# Every setting the drawing depends on, from matplotlib's defaults: no matplotlibrc of the machine counts.
STYLE: dict[str, Any] = {
    "svg.hashsalt": "aoav-data",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.linewidth": 0.8,
    "lines.antialiased": True,
    "patch.antialiased": True,
    "path.simplify": False,
    "timezone": "UTC",
    "date.epoch": "1970-01-01T00:00:00",
    "savefig.dpi": "figure",
}


def _lanes(rows: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    lanes = [(kind, [r for r in rows if r["kind"] == kind]) for kind in KINDS]
    return [(kind, members if len(members) <= MAX_LANE_ROWS else _per_year(kind, members)) for kind, members in lanes]


def _per_year(kind: str, members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per year of start: a bar over the days its records span, labelled with their count."""
    years: dict[int, list[dict[str, Any]]] = {}
    for row in members:  # in timeline order, so the years come sorted
        years.setdefault(row["date_start"].year, []).append(row)
    return [
        {
            "date_start": min(r["date_start"] for r in group),
            "date_end": max(r["date_end"] for r in group),
            "date_precision": "range",
            "date": str(year),
            "title": f"{len(group):,} {LANES[kind].lower() if len(group) > 1 else kind}",
        }
        for year, group in years.items()
    ]


def _draw(rows: list[dict[str, Any]]) -> Any:
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    lanes = _lanes(rows)
    slots = sum(len(members) + 1 for _, members in lanes)  # a row per record and a gap before each lane
    fig, ax = plt.subplots(figsize=(11, 0.28 * slots + 1.6), dpi=110)
    y = slots
    for kind, members in lanes:
        colour = COLOURS[kind]
        top = y
        y -= 1
        for row in members:
            y -= 1
            _draw_record(ax, row, y, colour, MARKERS[kind])
        ax.axhspan(y - 0.5, top - 0.6, color="#f2f2f2", zorder=0, linewidth=0)
        ax.text(0.0, top - 0.8, LANES[kind], transform=ax.get_yaxis_transform(), ha="left", va="center",
                fontsize=9, fontweight="bold", color="#1d1d1d")  # fmt: skip
    ax.set_yticks([])
    ax.xaxis.set_major_locator(mdates.YearLocator(2))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    first = min(r["date_start"] for r in rows)
    last = max(r["date_end"] for r in rows) + dt.timedelta(days=120)
    ax.set_xlim(mdates.date2num(dt.date(first.year - 1, 1, 1)), mdates.date2num(last))  # type: ignore[no-untyped-call]
    ax.set_ylim(y - 0.8, slots)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles: list[Any] = [
        Line2D([], [], color=COLOURS[k], marker=MARKERS[k], markeredgecolor="#222222", linestyle="", label=LANES[k])
        for k in KINDS
    ]
    handles.append(Patch(facecolor="#bbbbbb", edgecolor="#555555", label="month, year or range"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncol=4)
    title = "aoav-data timeline  (shape: the day is known; bar: the month, year or range the date allows)"
    if any(sum(r["kind"] == kind for r in rows) > MAX_LANE_ROWS for kind in KINDS):
        title = f"aoav-data timeline  (a lane of over {MAX_LANE_ROWS} records: a bar per year, over the days they span)"
    ax.set_title(title, loc="left", pad=22)
    fig.subplots_adjust(left=0.02, right=0.58, top=0.9, bottom=0.06)
    return fig


def _draw_record(ax: Any, row: dict[str, Any], y: int, colour: str, marker: str) -> None:
    start, end = row["date_start"], row["date_end"] + dt.timedelta(days=1)
    if row["date_precision"] == "day":
        ax.plot([start], [y], marker, color=colour, markersize=5.5, markeredgecolor="#222222", markeredgewidth=0.6)
    else:  # a month, a year or a range: the span it allows, at least visible
        width = max((end - start).days, MIN_SPAN_DAYS)
        ax.barh(y, width, left=start, height=0.55, color=colour, alpha=0.6, edgecolor="#222222", linewidth=0.6)
        end = max(end, start + dt.timedelta(days=width))
    ax.text(end + dt.timedelta(days=60), y, f"{row['date']}  {row['title']}", va="center", fontsize=7, clip_on=False)


def render(rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """docs/timeline.svg and docs/timeline.png for the given timeline rows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = {}
    with matplotlib.rc_context():
        matplotlib.rcdefaults()  # inside the context: restored on leaving it
        params: Any = matplotlib.rcParams  # typed by literal key; STYLE's keys are plain strings
        params.update(STYLE)
        fig = _draw(rows)
        for fmt, metadata in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=metadata)
            out[f"docs/timeline.{fmt}"] = buffer.getvalue()
        plt.close(fig)
    return out
