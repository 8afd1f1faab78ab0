"""initlab: initialized parameter tensors from an initlab server, for notebooks.

    >>> import initlab
    >>> initlab.init_(model)                          # a torch.nn.Module, initialized in place
    >>> arrays = initlab.generate(spec)               # {"fc.weight": ndarray, ...}
    >>> initlab.download(spec, "llama", servers=[...], parallel=8)

The server is ``url=`` if given, else ``$INITLAB_URL``, else ``http://localhost:8080``;
``$INITLAB_API_KEY`` is sent as ``X-API-Key``. Errors are :class:`InitlabError`, whose message
is the server's problem ``detail`` (RFC 9457).
"""

from ._client import FORMATS, Client, InitlabError, base_url, default_client, generate, load_into, metadata
from ._wire import BodyError
from ._download import DownloadError, create_checkpoint, download, download_checkpoint, replica_urls
from ._report import InitReport

# init_ needs torch and initlab.keras needs Keras: each is imported on first use, so that
# `import initlab` imports neither.
_TORCH_NAMES = ("init_", "UnsupportedModuleError")


def __getattr__(name: str):
    if name in _TORCH_NAMES:
        from . import _torch

        return getattr(_torch, name)
    if name == "keras":
        import importlib

        return importlib.import_module(".keras", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_TORCH_NAMES) + ["keras"])


__all__ = [
    "FORMATS",
    "BodyError",
    "Client",
    "DownloadError",
    "InitReport",
    "InitlabError",
    "UnsupportedModuleError",
    "base_url",
    "create_checkpoint",
    "default_client",
    "download",
    "download_checkpoint",
    "generate",
    "init_",
    "load_into",
    "metadata",
    "replica_urls",
]

