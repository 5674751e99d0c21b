"""``python -m certlab`` is the ``certlab`` command."""

from certlab.cli import run

run()
