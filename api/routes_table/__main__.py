"""``python -m api.routes_table [--write | --check]``: print, update or check README.md's routes table."""

import sys

from api.routes_table import main

sys.exit(main())
