"""`python -m app.cli …`: the `reelroom` command without the console script."""

import sys

from app.cli import main

sys.exit(main())
