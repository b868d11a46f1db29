"""How to cite the dataset (at its version) and each article it was curated from."""

from __future__ import annotations

import re

from .descriptor import metadata

TYPE_CHECKING = False  # typing itself is not imported: the command line starts faster
if TYPE_CHECKING:
    from typing import Any

STYLES = ("bibtex", "apa")


def _name_parts(name: str) -> tuple[str, str]:
    given, _, family = name.rpartition(" ")
    return family, given


def _key(*parts: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", "_".join(parts).lower()).strip("_")


def released(meta: dict[str, Any]) -> str:
    """The day this version was released (YYYY-MM-DD), from the descriptor's `created`."""
    return str(meta["created"])[:10]


def _bibtex_dataset(meta: dict[str, Any]) -> str:
    creator = meta["contributors"][0]["title"]
    return (
        f"@misc{{{_key('aoav_data', meta['version'])},\n"
        f"  author = {{{{{creator}}}}},\n"
        f"  title = {{{{{meta['title']}}}}},\n"
        f"  year = {{{meta['created'][:4]}}},\n"
        f"  date = {{{released(meta)}}},\n"
        f"  version = {{{meta['version']}}},\n"
        f"  note = {{Data set, version {meta['version']}, released {released(meta)}}}\n}}\n"
    )


def _bibtex_source(src: dict[str, Any]) -> str:
    family, given = _name_parts(src.get("author", ""))
    first_word = src["title"].split()[0]
    lines = [
        f"  author = {{{family}, {given}}}",
        f"  title = {{{{{src['title']}}}}}",
        f"  year = {{{src.get('published', '')[:4]}}}",
        f"  organization = {{{src.get('publisher', '')}}}",
        f"  url = {{{src['path']}}}",
    ]
    if src.get("originally_published_in"):
        lines.append(f"  note = {{Originally published on {src['originally_published_in']}}}")
    return f"@online{{{_key(family, src.get('published', '')[:4], first_word)},\n" + ",\n".join(lines) + "\n}\n"


def _apa_dataset(meta: dict[str, Any]) -> str:
    creator = meta["contributors"][0]["title"]
    version = f"Version {meta['version']}, released {released(meta)}"
    return f"{creator}. ({meta['created'][:4]}). {meta['title']} ({version}) [Data set].\n"


def _apa_source(src: dict[str, Any]) -> str:
    family, given = _name_parts(src.get("author", ""))
    author = f"{family}, {given[:1]}." if given else family
    note = f" (Originally published on {src['originally_published_in']})" if src.get("originally_published_in") else ""
    year = src.get("published", "n.d.")[:4]
    return f"{author} ({year}). {src['title']}{note}. {src.get('publisher', '')}. {src['path']}\n"


def cite(style: str = "apa") -> str:
    """The dataset's citation, then each source article's, in `bibtex` or `apa` style."""
    return citation_of(metadata(), style)


def citation_of(meta: dict[str, Any], style: str = "apa") -> str:
    """The citations of the package `meta` describes (a descriptor as a dict)."""
    if style not in STYLES:
        raise ValueError(f"unknown citation style {style!r}; choose one of {', '.join(STYLES)}")
    dataset, source = (_bibtex_dataset, _bibtex_source) if style == "bibtex" else (_apa_dataset, _apa_source)
    return "\n".join([dataset(meta), *(source(s) for s in meta["sources"])])
