"""The `aoav-data` command line."""

from __future__ import annotations

import argparse
import os
import sys

TYPE_CHECKING = False  # typing itself is not imported: the command line starts faster
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import NoReturn


def _list(args: argparse.Namespace) -> int:
    from .descriptor import resource, tables

    for name in tables():
        res = resource(name)
        print(f"{name:<12} {res['title']}: {res['description']}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from .loaders import load

    frame = load(args.table)
    if args.limit is not None:
        frame = frame.head(args.limit)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d"))
    elif args.format == "json":
        sys.stdout.write(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=1) + "\n")
    else:
        print(frame.to_string(index=False, max_colwidth=args.width, na_rep=""))
    return 0


def _timeline(args: argparse.Namespace) -> int:
    from .loaders import load

    frame = load("timeline")
    columns = ["date", "date_precision", "kind", "country_iso3", "title", "record_id"]
    rows = [
        [str(v) if v == v and v is not None else "" for v in row]
        for row in frame[columns].astype(object).itertuples(index=False)
    ]
    rows = [[cell if len(cell) <= args.width else cell[: args.width - 1] + "…" for cell in row] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    for row in [columns, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validation import validate

    report = validate()
    print(report)
    return 0 if report.ok else 1


def _cite(args: argparse.Namespace) -> int:
    from .citation import cite

    sys.stdout.write(cite(args.style))
    return 0


def _export(args: argparse.Namespace) -> int:
    from .writers import export

    for file in export(args.folder, args.format):
        print(file)
    return 0


def _release(args: argparse.Namespace) -> int:
    from .writers import release

    for file in release(args.folder):
        print(file)
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument gets one line, not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _site(args: argparse.Namespace) -> int:
    from .site import build_site

    print(build_site(args.folder))
    return 0


# The writers' formats (aoav_data.writers.FORMATS), listed here so that --help imports no writer.
EXPORT_FORMATS = ["parquet", "csv", "json", "dta", "sqlite", "xlsx", "geojson", "zip"]


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aoav-data", description="Counter-terrorism events curated from AOAV reporting.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("list", help="list the tables").set_defaults(run=_list)
    show = sub.add_parser("show", help="print one table")
    show.add_argument("table", help="table name (see `aoav-data list`)")
    show.add_argument("--format", choices=["table", "csv", "json"], default="table")
    show.add_argument("--limit", type=int, help="print only the first N rows")
    show.add_argument("--width", type=int, default=50, help="widest column in table format")
    show.set_defaults(run=_show)
    timeline = sub.add_parser("timeline", help="print the timeline of dated records")
    timeline.add_argument("--width", type=int, default=60, help="widest column")
    timeline.set_defaults(run=_timeline)
    sub.add_parser("validate", help="check hashes, schemas, keys and evidence offsets").set_defaults(run=_validate)
    cite = sub.add_parser("cite", help="how to cite the dataset and its source")
    cite.add_argument("--style", choices=["apa", "bibtex"], default="apa")
    cite.set_defaults(run=_cite)
    export = sub.add_parser("export", help="write every table to a folder")
    export.add_argument("folder")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="parquet")
    export.set_defaults(run=_export)
    release = sub.add_parser("release", help="write every format of this version, and SHA256SUMS, to a folder")
    release.add_argument("folder")
    release.set_defaults(run=_release)
    site = sub.add_parser("site", help="write the dataset site (article, tables, timeline, card) to a folder")
    site.add_argument("folder")
    site.set_defaults(run=_site)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .errors import DataError

    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit, so the flush at exit is quiet
        return 0
    except (DataError, KeyError, ValueError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"aoav-data: error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
