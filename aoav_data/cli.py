"""The `aoav-data` command line."""

from __future__ import annotations

import argparse
import os
import sys

from . import phases  # early: its clock starts here, so `--timings` counts the imports after it

TYPE_CHECKING = False  # typing itself is not imported: the command line starts faster
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, NoReturn


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
        from .csvfile import to_csv_bytes

        rows = [{str(k): _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]
        _write_utf8(to_csv_bytes(rows, list(frame.columns)).decode("utf-8"))
    elif args.format == "json":
        from .writers import json_records

        _write_utf8(json_records(frame) + "\n")
    else:
        print(_safe(frame.to_string(index=False, max_colwidth=args.width, na_rep="")))
    return 0


def _plain(value: Any) -> Any:
    """A cell as the CSV writer takes it: None for missing, a date for a day."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or value != value:
        return None
    return value.date() if isinstance(value, pd.Timestamp) else value


def _safe(text: str) -> str:
    """Text for a terminal: control characters (escape sequences) shown escaped, never run."""
    return "".join(c if c.isprintable() or c in "\t\n" else repr(c)[1:-1] for c in text)


def _write_utf8(text: str) -> None:
    """Data for files and pipes is UTF-8 whatever the console's code page (Windows: cp1252)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


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
        print(_safe("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validation import validate

    report = validate()
    print(_safe(str(report)))
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


def _diff(args: argparse.Namespace) -> int:
    from ._paths import published_root
    from .diff import FORMATS, diff, open_package

    new = open_package(args.new) if args.new else open_package(published_root())
    _write_utf8(FORMATS[args.format](diff(open_package(args.old), new)))
    return 0


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument gets one line, not the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _site(args: argparse.Namespace) -> int:
    from .site import build_site

    try:
        print(build_site(args.folder))
    finally:
        if args.timings:
            print(phases.report("site"))
    return 0


# The writers' formats (aoav_data.writers.FORMATS), listed here so that --help imports no writer.
EXPORT_FORMATS = ["parquet", "csv", "json", "dta", "sqlite", "xlsx", "geojson", "zip"]


def _count(text: str) -> int:
    """A whole number of rows, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of rows (0 or more)")
    return int(text)


def _width(text: str) -> int:
    """A column width, 1 or more characters."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a width (1 or more characters)")
    return int(text)


class _Version(argparse.Action):
    """--version: the dataset's version, read from datapackage.json only when asked."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the dataset's version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from .descriptor import version
        from .errors import DataError

        try:
            print(f"aoav-data {version()}")
        except DataError as exc:
            parser.exit(1, f"aoav-data: error: {exc}\n")
        parser.exit(0)


def _command(sub: Any, name: str, about: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does (the same line `aoav-data --help` lists)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=about, description=about[0].upper() + about[1:] + ".")
    parser.set_defaults(run=run)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aoav-data", description="Counter-terrorism events curated from AOAV reporting.")
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _command(sub, "list", "list the tables, with what each row is", _list)
    show = _command(sub, "show", "print one table, as a readable table, CSV or JSON", _show)
    show.add_argument("table", help="table name (see `aoav-data list`)")
    show.add_argument("--format", choices=["table", "csv", "json"], default="table")
    show.add_argument("--limit", type=_count, help="print only the first N rows")
    show.add_argument("--width", type=_width, default=50, help="widest column in table format")
    timeline = _command(sub, "timeline", "print the timeline of dated incidents, operations and arrests", _timeline)
    timeline.add_argument("--width", type=_width, default=60, help="widest column")
    _command(sub, "validate", "check hashes, schemas, keys and evidence offsets; exit 1 on a problem", _validate)
    cite = _command(sub, "cite", "print how to cite the dataset and its source", _cite)
    cite.add_argument("--style", choices=["apa", "bibtex"], default="apa")
    export = _command(sub, "export", "write every table to a folder in one format", _export)
    export.add_argument("folder")
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default="parquet",
        help="parquet, csv, json and dta give a file per table; sqlite, xlsx, geojson and zip one file",
    )
    release = _command(
        sub,
        "release",
        "write every format of this version (zip, SQLite, Excel, Parquet, GeoJSON, Stata) and SHA256SUMS",
        _release,
    )
    release.add_argument("folder")
    diff = _command(sub, "diff", "list the records, values and columns that changed between two versions", _diff)
    diff.add_argument("old", help="a folder holding datapackage.json, a release zip, or a git revision (here)")
    diff.add_argument("new", nargs="?", help="the same; default: the installed package")
    diff.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    site = _command(
        sub, "site", "write the dataset site (article, tables, map, timeline, downloads, card) to a folder", _site
    )
    site.add_argument("folder")
    site.add_argument("--timings", action="store_true", help="print the time and peak memory each step took")
    return parser


def _problem(exc: BaseException) -> str | None:
    """One line for an error the user can act on (bad input, damaged data, the environment)."""
    from .errors import DataError

    if isinstance(exc, KeyError):
        return str(exc.args[0]) if exc.args else "not found"
    if isinstance(exc, ImportError):
        missing = f"{exc.name} is not installed" if exc.name and str(exc).startswith("No module") else str(exc)
        hint = "" if "pip install" in missing else " (reinstall: pip install --force-reinstall aoav-data)"
        return missing + hint
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, DataError | ValueError | OSError):
        return str(exc)
    return None


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a console that cannot show a character gets a '?'
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit, so the flush at exit is quiet
        return 0
    except KeyboardInterrupt:
        print("aoav-data: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        message = _problem(exc)
        if message is None:
            raise
        print(f"aoav-data: error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
