"""``python -m qualstat.cli``: the same as the ``qualstat`` command."""

from qualstat.cli import main

raise SystemExit(main())
