"""``python -m newsfold`` is the ``newsfold`` command."""

from .cli import main

main()
