"""`python -m newsfacts.cli`: the `newsfacts` command."""

import sys

from newsfacts.cli import main

sys.exit(main())
