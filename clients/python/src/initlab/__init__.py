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

__all__ = [
    "FORMATS",
    "BodyError",
    "Client",
    "DownloadError",
    "InitlabError",
    "base_url",
    "create_checkpoint",
    "default_client",
    "download",
    "download_checkpoint",
    "generate",
    "load_into",
    "metadata",
    "replica_urls",
]


def __getattr__(name: str):
    # initlab.keras on first use, so that importing initlab never imports Keras.
    if name == "keras":
        import importlib

        return importlib.import_module(".keras", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
