"""Coverage audit of every stored source: `python scripts/coverage.py [--all]`; exit 1 below the thresholds."""

import sys

from aoav_build.coverage_cli import main

if __name__ == "__main__":
    sys.exit(main())
