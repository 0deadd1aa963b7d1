import sys

from numerics.cli import main

sys.exit(main())
