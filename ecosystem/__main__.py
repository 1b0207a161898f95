"""Entry point for `python -m ecosystem`."""

import sys

from .cli import main

sys.exit(main())
