"""The timeline figure (SVG and PNG), drawn from the timeline rows, byte-identical on every build."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

COLOURS = {"incident": "#b2182b", "operation": "#2166ac", "arrest": "#1b7837"}
MIN_SPAN_DAYS = 25
LABELS = {"incident": "Incident", "operation": "Operation", "arrest": "Arrest"}
# Every setting the figure depends on, on top of matplotlib's own defaults: a matplotlibrc in the
# working directory or the user's configuration must not change the published bytes.
STYLE: dict[str, Any] = {
    "svg.hashsalt": "aoav-data", "font.family": "DejaVu Sans", "font.size": 8, "timezone": "UTC",
    "date.epoch": "1970-01-01T00:00:00", "savefig.dpi": "figure", "svg.fonttype": "path",
}  # fmt: skip


def _draw(rows: list[dict[str, Any]]) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    fig, ax = plt.subplots(figsize=(11, 0.3 * len(rows) + 1.6), dpi=110)
    for y, row in enumerate(reversed(rows)):
        start, end = row["date_start"], row["date_end"] + dt.timedelta(days=1)
        colour = COLOURS[row["kind"]]
        if row["date_precision"] == "day":
            ax.plot([start], [y], "o", color=colour, markersize=5)
        else:  # a month, a year or a range: the span it allows, at least visible
            width = max((end - start).days, MIN_SPAN_DAYS)
            ax.barh(y, width, left=start, height=0.55, color=colour, alpha=0.5, edgecolor=colour)
            end = max(end, start + dt.timedelta(days=width))
        label = f"{row['date']}  {row['title']}"
        ax.text(end + dt.timedelta(days=60), y, label, va="center", fontsize=7, clip_on=False)
    ax.set_yticks([])
    ax.xaxis.set_major_locator(mdates.YearLocator(2))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    first = min(r["date_start"] for r in rows)
    last = max(r["date_end"] for r in rows) + dt.timedelta(days=120)
    ax.set_xlim(mdates.date2num(dt.date(first.year - 1, 1, 1)), mdates.date2num(last))  # type: ignore[no-untyped-call]
    ax.set_ylim(-0.8, len(rows) - 0.2)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    handles = [Line2D([], [], color=c, marker="s", linestyle="", label=LABELS[k]) for k, c in COLOURS.items()]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, ncol=3)
    ax.set_title(
        "aoav-data timeline  (dot: the day is known; bar: the month, year or range the date allows)",
        loc="left", pad=22,
    )  # fmt: skip
    fig.subplots_adjust(left=0.02, right=0.58, top=0.9, bottom=0.06)
    return fig


def render(rows: list[dict[str, Any]]) -> dict[str, bytes]:
    """docs/timeline.svg and docs/timeline.png for the given timeline rows."""
    import matplotlib
    import matplotlib.pyplot as plt

    out = {}
    with matplotlib.rc_context():  # the caller's settings come back afterwards
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(STYLE)  # type: ignore[arg-type]
        fig = _draw(rows)
        for fmt, metadata in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, metadata=metadata)
            out[f"docs/timeline.{fmt}"] = buffer.getvalue()
        plt.close(fig)
    return out
