"""Reading curated YAML with errors that name the file.

The strict rules are constructors, so they run the same on libyaml's C parser (`yaml.CSafeLoader`,
several times faster: the scanner and parser are the cost) and on the pure-Python one, which is the
fallback where PyYAML was built without libyaml. tests/test_yamlio.py proves the two agree."""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml

from .errors import CurationError

MAX_BYTES = 64 << 20  # a curation file larger than this is a mistake, not a record
# Values once aliases are expanded: an alias bomb turns a few lines into billions of them.
MAX_VALUES = 1_000_000


class _PureStrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, refuses duplicate and unhashable keys, YAML 1.1 integers
    (017 would be the octal 15) and infinite or NaN numbers (the constructors below)."""


# The same rules on libyaml's parser, where PyYAML was built with it.
_C_BASE: type[Any] | None = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None
LOADERS: tuple[type[Any], ...] = (_PureStrictLoader,)
if _C_BASE is not None:
    LOADERS += (type("_CStrictLoader", (_C_BASE,), {"__doc__": "_PureStrictLoader's rules on the C parser."}),)
DEFAULT_LOADER = LOADERS[-1]  # the fastest available


def _no_duplicates(loader: Any, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(None, None, "a key must be text or a number", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _decimal_integer(loader: Any, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    if not re.fullmatch(r"-?(0|[1-9][0-9]*)", str(text)):
        message = f"{text!r}: write integers in decimal digits, without leading zeros, sign or separators"
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark)
    return int(str(text))


def _finite_float(loader: Any, node: yaml.ScalarNode) -> float:
    value: float = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a finite number", node.start_mark)
    return value


for _loader in LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
    _loader.add_constructor("tag:yaml.org,2002:int", _decimal_integer)
    _loader.add_constructor("tag:yaml.org,2002:float", _finite_float)
    # A date such as 2011-04-28 stays the string the curator wrote.
    _loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load_yaml(path: Path, loader: type[Any] | None = None) -> Any:
    """Parse one YAML file; a syntax error names the file and line. `loader`: one of LOADERS
    (default: the fastest available)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CurationError(path, f"is larger than {MAX_BYTES >> 20} MiB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(path, f"cannot be read as UTF-8 text: {exc}") from exc
    try:
        data = yaml.load(text, Loader=loader or DEFAULT_LOADER)
    except yaml.YAMLError as exc:
        raise CurationError(path, f"is not valid YAML: {exc}") from exc
    if "&" not in text and 2 * len(text) < MAX_VALUES:
        return data  # no anchor, so no alias, and at most two values per character: under the cap
    try:
        size = _expanded_size(data, {})
    except RecursionError:
        raise CurationError(path, "nests values too deeply, or an alias refers to itself") from None
    if size > MAX_VALUES:
        raise CurationError(path, f"expands to {size:,} values through its aliases (more than {MAX_VALUES:,})")
    return data


def _expanded_size(value: Any, seen: dict[int, int]) -> int:
    """How many values `value` holds once every alias is written out; shared values counted once each."""
    if not isinstance(value, dict | list):
        return 1
    if id(value) in seen:
        if seen[id(value)] < 0:  # still being counted: the value contains itself
            raise RecursionError
        return seen[id(value)]
    seen[id(value)] = -1
    items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
    seen[id(value)] = 1 + sum(_expanded_size(item, seen) for item in items)
    return seen[id(value)]
