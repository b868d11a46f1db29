"""Reading curated YAML with errors that name the file.

Two ways to read, the same rules. The reference loaders are PyYAML's own constructors with the strict
rules below added, on libyaml's C parser (`yaml.CSafeLoader`) and on the pure-Python one, the fallback
where PyYAML was built without libyaml. The lean loaders, the default, let the same parser compose the
node tree and turn it into plain data in one tight pass (`_build`): PyYAML's generic constructor costs
more than the parsing. Whatever the lean pass is not sure of (an explicit tag, a merge key, a duplicate
or complex key, a number the rules refuse, a value that contains itself, deep nesting) it leaves to the
reference loader, which reads the document again: so both give the same data and the same errors.
tests/test_yamlio.py proves the four agree."""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from . import collector
from .errors import CurationError

MAX_BYTES = 64 << 20  # a curation file larger than this is a mistake, not a record
# Values once aliases are expanded: an alias bomb turns a few lines into billions of them.
MAX_VALUES = 1_000_000


class _PureStrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, refuses duplicate and unhashable keys, YAML 1.1 integers
    (017 would be the octal 15) and infinite or NaN numbers (the constructors below)."""


# The same rules on libyaml's parser, where PyYAML was built with it.
_C_BASE: type[Any] | None = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None
REFERENCE_LOADERS: tuple[type[Any], ...] = (_PureStrictLoader,)
if _C_BASE is not None:
    REFERENCE_LOADERS += (
        type("_CStrictLoader", (_C_BASE,), {"__doc__": "_PureStrictLoader's rules on the C parser."}),
    )


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


for _loader in REFERENCE_LOADERS:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
    _loader.add_constructor("tag:yaml.org,2002:int", _decimal_integer)
    _loader.add_constructor("tag:yaml.org,2002:float", _finite_float)
    # A date such as 2011-04-28 stays the string the curator wrote.
    _loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _Defer(Exception):
    """The lean pass met something it leaves to the reference loader."""


class _LeanComposer:
    """Composes only; `_build` makes the data. Mixed into a PyYAML loader of the same parser as
    `reference`, which reads whatever the lean pass defers."""

    reference: type[Any]

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Called for every node without an explicit tag (which stays a str). The reference resolver
        # runs its regular expressions on every scalar; here a scalar's tag is only whether it is plain
        # (True) or quoted (False), and `_plain` resolves plain text once per distinct text.
        return implicit[0] if kind is ScalarNode else True

    # No path resolvers here: these two run for every node and need do nothing.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


# Every loader load_yaml takes: the reference ones, then the lean one on each parser.
LOADERS: tuple[type[Any], ...] = REFERENCE_LOADERS + tuple(
    type(ref.__name__.replace("Strict", "Lean"), (_LeanComposer, ref), {"reference": ref}) for ref in REFERENCE_LOADERS
)
DEFAULT_LOADER = LOADERS[-1]  # lean on the fastest parser available

# The scalar constructors, run on a reference loader: only the results of these tags are plain data.
_SCALARS: Any = _PureStrictLoader("")
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int", "float", "timestamp"))
_PLAIN: dict[str, Any] = {}  # plain scalar text -> its value, shared by every document: values are immutable
_PLAIN_LIMIT = 1 << 16  # entries before the memo starts again, to bound its memory
_MAX_DEPTH = 100  # deeper nesting is left to the reference loader, which copes with what it copes with
_MISSING = object()  # what a memo holds for a node it has not seen, or a collection still being built


def _plain(text: str) -> Any:
    """The value of an untagged plain scalar as the reference loader makes it; _Defer where that fails."""
    tag = _SCALARS.resolve(ScalarNode, text, (True, False))
    if tag not in _SCALAR_TAGS:  # a merge key `<<` or value key `=`: the reference loader's to refuse
        raise _Defer
    try:
        value = _SCALARS.yaml_constructors[tag](_SCALARS, ScalarNode(tag, text))
    except yaml.constructor.ConstructorError:
        raise _Defer from None
    if len(_PLAIN) >= _PLAIN_LIMIT:
        _PLAIN.clear()
    _PLAIN[text] = value
    return value


def _build(node: Node, made: dict[Node, Any], depth: int) -> Any:
    """The plain data of `node`; `made`: the collections built so far, so an alias gives the same object.
    The hot path of every read: one call per node, scalars inline."""
    tag: Any = node.tag  # True, False or an explicit tag: see _LeanComposer.resolve
    if node.__class__ is ScalarNode:
        if tag is True:
            value = _PLAIN.get(node.value, _MISSING)
            return _plain(node.value) if value is _MISSING else value
        if tag is False:
            return node.value
        raise _Defer  # an explicit tag
    if tag is not True or depth > _MAX_DEPTH:  # an explicit tag (!!omap, !!set...) or deep nesting
        raise _Defer
    value = made.get(node, _MISSING)
    if value is not _MISSING:
        return value
    if node in made:  # an alias to a collection still being built: it contains itself
        raise _Defer
    made[node] = _MISSING
    depth += 1
    if node.__class__ is SequenceNode:
        value = [_build(item, made, depth) for item in node.value]
    else:
        try:
            value = {_build(key, made, depth): _build(item, made, depth) for key, item in node.value}
        except TypeError:  # a list or map as a key
            raise _Defer from None
        if len(value) < len(node.value):  # a key came twice (1 and true are one key too)
            raise _Defer
    made[node] = value
    return value


def _load(text: str, loader: type[Any]) -> Any:
    # Reading allocates a node, then a value, for every scalar, none of them in a reference cycle: the
    # cyclic garbage collector, triggered by the allocations, would only walk them (and every record
    # already read) again and again, a fifth of the time. It runs again, as before, once the file is read.
    with collector.paused():
        return _parse(text, loader)


def _parse(text: str, loader: type[Any]) -> Any:
    reference = getattr(loader, "reference", None)  # only the lean loaders have one
    if reference is None:
        return yaml.load(text, Loader=loader)
    composer = loader(text)
    try:
        node = composer.get_single_node()
    finally:
        composer.dispose()
    try:
        return None if node is None else _build(node, {}, 0)
    except _Defer:
        return yaml.load(text, Loader=reference)


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
        data = _load(text, loader or DEFAULT_LOADER)
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
