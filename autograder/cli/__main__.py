"""``python -m autograder.cli``: the same as the ``mml`` command."""

from . import run

run()
