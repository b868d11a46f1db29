"""Reading curated YAML with errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import CurationError


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text and refuses duplicate keys."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
# A date such as 2011-04-28 stays the string the curator wrote.
_StrictLoader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]
)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error names the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CurationError(path, f"cannot be read as UTF-8 text: {exc}") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise CurationError(path, f"is not valid YAML: {exc}") from exc
