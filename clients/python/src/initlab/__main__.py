"""``python3 -m initlab``: the ``initlab`` command (:mod:`initlab.cli`)."""

import sys

from .cli import main

sys.exit(main())
