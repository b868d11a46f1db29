"""Print a pip constraints file pinning each runtime dependency (and those of the extras named on
the command line) to its declared lower bound, read from pyproject.toml, so that the bounds CI
tests are the bounds the package declares. A dependency without a lower bound is an error."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

LOWER = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:>=|==|~=)\s*([^,;\s]+)")


def main(extras: list[str]) -> int:
    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in extras:
        requirements += project["optional-dependencies"][extra]
    for requirement in requirements:
        found = LOWER.match(requirement)
        if found is None:
            print(f"min_constraints: {requirement!r} has no lower bound (>=)", file=sys.stderr)
            return 1
        print(f"{found.group(1)}=={found.group(2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
