"""``python -m warmup_theory`` is the ``warmup-theory`` console script."""

import sys

from warmup_theory.cli import main

sys.exit(main())
