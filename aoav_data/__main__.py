"""`python -m aoav_data`: the aoav-data command line."""

import sys

from .cli import main

sys.exit(main())
