"""``python -m autograder.cli``: the same as the ``mml`` command."""

import sys

from . import main

sys.exit(main())
