"""``python -m meis.rules``: the rules command line without Django."""

import sys

from meis.rules.cli import main

sys.exit(main())
