"""The downloader's first name, kept so ``import initlab_download`` and ``python3 -m
initlab_download`` keep working: it is the module :mod:`initlab._download` itself. New code:
``initlab.download`` and the ``initlab download`` command."""

import sys

from initlab import _download

if __name__ == "__main__":
    sys.exit(_download.main())
sys.modules[__name__] = _download
