"""The build: sources + curated records -> checked tables -> csv/ and datapackage.json."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from aoav_data import jsonld, phases
from aoav_data.csvfile import to_csv_bytes
from aoav_data.phases import phase

from . import collector
from . import descriptor as dp
from .assemble import Gathered, check, gather
from .background import Background
from .cache import FOLDER, Memo, RecordCache
from .citation import citation_cff
from .codebook import codebook
from .coverage import Index, coverage
from .datasheet import datasheet
from .errors import CurationError
from .figure import render
from .publish import Artifacts, commit, differences, discard, locked, recover, stage
from .releases import CHANGELOG, artifacts_package, check_retired, load_releases, release_checks, retired_rows
from .schema import Schema, load_schema
from .sources import Corpus, load_corpus
from .typing_module import MODULE as MODELS
from .typing_module import models_module
from .yamlio import load_yaml

DESCRIPTOR = "datapackage.json"
CROISSANT = "croissant.json"  # beside datapackage.json, so that its relative contentUrls resolve
# From this many stored sources on, the coverage audit runs in a second process beside the checks.
BACKGROUND_SOURCES = 64
MANAGED = ["csv"]  # folders whose every file the build owns (docs/ also holds hand-written pages)


def project_version(root: Path) -> str:
    with (root / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def produce(root: Path, use_cache: bool = False) -> Artifacts:
    """Every published file's bytes, after every check but validate() on the staged package. With
    `use_cache`, curated files unchanged since the last build are not read and checked again (cache.py)."""
    with phase("schema and stored sources"):
        schema = load_schema(root / "curation" / "schema.yaml")
        corpus = load_corpus(root / "sources")
        cache = RecordCache(root, schema, corpus.documents, corpus.claims) if use_cache else None
    gathered = gather(root, schema, corpus, cache)
    texts = {sid: doc.text for sid, doc in corpus.documents.items()}
    with phase("coverage audit"):
        # Beside the checks of the rows (in a second process, when there are many sources to audit)
        memo = Memo(root, "coverage") if use_cache else None
        spans = Index({name: gathered.tables.get(name, []) for name in schema.tables})  # a table may have no rows
        audit = Background(coverage, (spans, texts, root, memo), separate=len(texts) >= BACKGROUND_SOURCES)
    try:
        return _produce(root, schema, corpus, gathered, audit)
    finally:
        audit.cancel()


def _produce(root: Path, schema: Schema, corpus: Corpus, gathered: Gathered, audit: Background[Any]) -> Artifacts:
    primary = [d.meta for d in corpus.documents.values() if d.meta.get("role") == "primary"]
    tables, data = check(gathered, schema)
    with phase("release history and retired ids"):
        releases = load_releases(root, project_version(root))
        tables["retired_ids"] = retired_rows(releases)
        check_retired(tables["retired_ids"], tables, _id_columns(schema))
    with phase("cell rules and CSV"):
        # The curated tables' bytes are those their cell rules ran on; the derived ones are written here.
        data = {name: data.get(name) or to_csv_bytes(tables[name], t.field_names) for name, t in schema.tables.items()}
    package = _dated(load_yaml(root / "curation" / "package.yaml"), releases[0].date)
    with phase("coverage audit"):
        package = {**package, "coverage": audit.result()}
    with phase("descriptor, docs and citation"):
        descriptor = dp.build_descriptor(schema, package, project_version(root), data, primary)
        artifacts: Artifacts = {dp.csv_path(name): data[name] for name in schema.tables}
        artifacts[DESCRIPTOR] = dp.dump(descriptor)
        artifacts[MODELS] = models_module(descriptor)
        method = (root / "curation" / "method.md").read_text(encoding="utf-8")
        artifacts["docs/codebook.md"] = codebook(descriptor, method)
        artifacts["CITATION.cff"] = citation_cff(package, project_version(root), primary)
    with phase("timeline figure"), collector.resumed():  # matplotlib makes cycles: see collector.py
        artifacts.update(render(tables["timeline"]))
    with phase("descriptor, docs and citation"):
        artifacts[CROISSANT] = jsonld.dump(jsonld.croissant(descriptor, artifacts.__getitem__))
        answers = load_yaml(root / "curation" / "datasheet.yaml")
        # A row of two or more columns is one record of its CSV, even when every cell is empty (",,").
        counts = {name: len(tables[name]) for name, table in schema.tables.items() if len(table.fields) > 1}
        artifacts["docs/datasheet.md"] = datasheet(descriptor, artifacts.__getitem__, method, answers, releases, counts)
    with phase("release history and retired ids"):
        history = release_checks(root, releases, tables["retired_ids"], artifacts_package(artifacts, DESCRIPTOR))
    if history is not None:
        artifacts[CHANGELOG] = history
    return artifacts


def _id_columns(schema: Schema) -> dict[str, str]:
    """Each table with a one-column key, and that column: the tables whose ids can be retired."""
    return {name: t.primary_key[0] for name, t in schema.tables.items() if len(t.primary_key) == 1}


def _dated(package: dict[str, Any], date: str) -> dict[str, Any]:
    """The package metadata with `created`, the release date, after the description (as before)."""
    head = {k: v for k, v in package.items() if k in ("name", "title", "description")}
    return {**head, "created": f"{date}T00:00:00Z", **{k: v for k, v in package.items() if k not in head}}


def validate_staged(root: Path, staging: Path) -> None:
    """aoav_data.validate() itself, on exactly the staged bytes (with the stored sources beside
    them), and no other check of the package as a whole: one rule engine, so the build publishes
    nothing validate() rejects and refuses no package it accepts. (frictionless, the independent
    check users have, runs in the tests.)"""
    from aoav_data.validation import published_at, validate

    new = staging / "new"
    shutil.copytree(root / "sources", new / "sources", symlinks=True)
    with published_at(str(new)):
        report = validate()
    if report.problems:
        first, more = report.problems[0], len(report.problems) - 1
        file = Path(first.file).relative_to(new).as_posix() if Path(first.file).is_relative_to(new) else first.file
        message = first.message + (f" (and {more} more problems)" if more else "")
        raise CurationError(file, message, first.record, first.field)


def build(root: Path, check: bool = False, use_cache: bool = True) -> list[str]:
    """Build and validate; publish unless `check`. Returns the drift found (check mode)."""
    with locked(root), collector.paused():  # the rows held make no cycles: see collector.py
        try:
            return _build(root, check, use_cache)
        except OSError as exc:  # read-only, full disk, size limit: one line, nothing half-written
            raise CurationError(exc.filename or root, f"cannot be written: {exc.strerror or exc}") from None


def _build(root: Path, check: bool, use_cache: bool) -> list[str]:
    for name in recover(root):
        print(f"rolled back the files of an interrupted build ({name})", file=sys.stderr)
    artifacts = produce(root, use_cache)
    with phase("stage and publish"):
        staging = stage(root, artifacts)
    try:
        with phase("validate() on the staged files"):
            validate_staged(root, staging)
        if check:
            return differences(root, artifacts, MANAGED)
    except BaseException:
        discard(staging)
        raise
    finally:
        if check:
            discard(staging)
    with phase("stage and publish"):
        commit(root, staging, artifacts, MANAGED, last=DESCRIPTOR)
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ from a fresh build")
    parser.add_argument("--no-site", action="store_true", help="do not write site/ (`aoav-data site DIR` writes it)")
    parser.add_argument("--timings", action="store_true", help="print the time each step of the build took")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"read and check every file, ignoring {FOLDER}/ (and leaving it as it is)",
    )
    args = parser.parse_args(argv)
    try:
        drift = build(args.root, check=args.check, use_cache=not args.no_cache)
    except CurationError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.timings:
            print(phases.report())
    if drift:
        print("drift: the published files differ from what the records produce:", file=sys.stderr)
        print("\n".join(f"  {d}" for d in drift), file=sys.stderr)
        print("run `python scripts/build.py` and commit the result", file=sys.stderr)
        return 1
    if args.check:
        print("checked: published files match the records")
        return 0
    print("built: csv/, datapackage.json, croissant.json, CITATION.cff, CHANGELOG.md and docs/")
    return 0 if args.no_site else write_site(args.root)


def write_site(root: Path) -> int:
    """The dataset site, from what was just published, into site/ (not committed)."""
    env = {**os.environ, "AOAV_DATA_DIR": str(root)}
    command = [sys.executable, "-m", "aoav_data.cli", "site", str(root / "site")]
    return subprocess.run(command, env=env, check=False).returncode
