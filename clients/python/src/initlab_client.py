"""The client's first name, kept so ``import initlab_client`` keeps working: it is the module
:mod:`initlab._client` itself (``generate``, ``load_into``, ``metadata``, ``InitlabError``, ...).
New code: ``import initlab``."""

import sys

from initlab import _client

sys.modules[__name__] = _client
