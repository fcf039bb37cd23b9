"""``python -m moderation.cli ...``: the same as the ``moderation`` console script."""

import sys

from moderation.cli import main

sys.exit(main())
