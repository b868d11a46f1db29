"""Build and validate the dataset: `python scripts/build.py [--check]`."""

import sys

from aoav_build.build import main

if __name__ == "__main__":
    sys.exit(main())
