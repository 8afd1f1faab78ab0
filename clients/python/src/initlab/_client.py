"""The HTTP client of initlab: initialized parameter tensors over HTTP, read without copies.

Depends on ``requests``, ``numpy`` and ``tqdm`` (progress bars); ``torch`` only for
:func:`load_into`.

    >>> import initlab
    >>> spec = {"seed": 0, "layers": [
    ...     {"name": "fc", "type": "linear", "in_features": 784, "out_features": 10}]}
    >>> arrays = initlab.generate(spec)                    # {"fc.weight": ndarray, "fc.bias": ndarray}
    >>> initlab.load_into(model, spec)                     # a torch.nn.Module with a Linear `fc`
    >>> initlab.metadata(spec)["init.fc.weight"]["bound"]  # the resolved init of each tensor
    >>> with initlab.Client("http://gpu-box:8080", api_key="...") as client:   # one connection
    ...     a = client.generate(spec, format="npy", tensor="fc.weight", progress=True)

The server is ``url=`` if given, else the environment variable ``INITLAB_URL``, else
``http://localhost:8080``. When the server requires API keys, pass ``api_key=`` or set
``INITLAB_API_KEY``: it is sent as the ``X-API-Key`` header. Any 4xx/5xx answer raises
:class:`InitlabError`, whose message is the problem details' ``detail`` (RFC 9457).

Zero-copy: safetensors and npy bodies are read from the socket (``readinto``) straight into
the arrays returned, preallocated from the body's own header (see :mod:`initlab._wire`): no
``bytes`` of the body, no second copy. npz is a zip archive: its body is read into one buffer
of ``Content-Length`` bytes, then ``np.load`` extracts each member (one more copy per array).
JSON is parsed by ``requests`` (``response.json()``).

This module is also importable under its first name, ``initlab_client``.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any, Callable, Mapping, Sequence, Tuple, Union

import numpy as np
import requests

from . import _wire

__all__ = ["Client", "InitlabError", "default_client", "generate", "load_into", "metadata", "base_url", "FORMATS"]

DEFAULT_URL = "http://localhost:8080"
ENDPOINT = "/api/v1/initializations"
FORMATS = ("json", "npy", "npz", "safetensors")
# (connect, read) seconds; read is the longest wait for the next bytes of a body.
DEFAULT_TIMEOUT = (10, 600)

Timeout = Union[float, Tuple[float, float], None]
Spec = Mapping[str, Any]

# The dtype of the arrays generate() returns from JSON, by the response's dtype name.
_JSON_DTYPES = {
    "float64": np.float64,
    "float32": np.float32,
    "float16": np.float16,
    "bfloat16": np.float32,  # NumPy has no bfloat16; every bfloat16 value is exact in float32
}


class InitlabError(Exception):
    """The server answered 4xx/5xx (or could not be reached).

    ``str(error)`` is ``"<status> <title>: <detail>"``. Attributes: ``status`` (int, or None when
    the server was not reached), ``title``, ``detail``, ``errors`` (the per-field list of an
    invalid request, possibly empty) and ``problem`` (the whole problem-details dict, or None
    when the body was not problem details).
    """

    def __init__(self, status: int | None, title: str | None, detail: str, errors: Sequence[Any] | None = None,
                 problem: dict | None = None):
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = list(errors or [])
        self.problem = problem
        head = " ".join(str(p) for p in (status, title) if p)
        super().__init__(f"{head}: {detail}" if head else detail)


def base_url(url: str | None = None) -> str:
    """The server's base URL: ``url``, else ``$INITLAB_URL``, else ``http://localhost:8080``."""
    chosen = url or os.environ.get("INITLAB_URL") or DEFAULT_URL
    chosen = chosen.rstrip("/")
    # Tolerate the full endpoint too.
    if chosen.endswith(ENDPOINT):
        chosen = chosen[: -len(ENDPOINT)]
    return chosen


def _raise_problem(response: requests.Response) -> None:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ("detail" in body or "title" in body):
        detail = body.get("detail") or body.get("title") or "(no detail)"
        raise InitlabError(status, body.get("title"), detail, body.get("errors"), body)
    text = (response.text or "").strip()[:500] or "(empty body)"
    raise InitlabError(status, response.reason, text)


def _from_json(body: dict) -> dict[str, np.ndarray]:
    default_dtype = body.get("dtype", "float32")
    out = {}
    for t in body.get("tensors", []):
        if "data" not in t:
            raise ValueError(f"tensor {t.get('name')!r} came without data: put \"data\" in the spec's "
                             f"\"include\" (or leave \"include\" out), or ask for a binary format")
        dtype_name = t.get("dtype", default_dtype)
        if dtype_name not in _JSON_DTYPES:
            raise ValueError(f"tensor {t['name']!r} has dtype {dtype_name!r}, which this client does not know")
        array = np.array(t["data"], dtype=_JSON_DTYPES[dtype_name])
        out[t["name"]] = array.reshape(t["shape"])
    return out


def _npy_name(response: requests.Response, tensor: str | None) -> str:
    if tensor is not None:
        return tensor
    # The server names the file after the tensor ("/" of Keras names becomes "_").
    disposition = response.headers.get("Content-Disposition", "")
    match = re.search(r'filename="?([^";]+)"?', disposition)
    if match and match.group(1).endswith(".npy"):
        return match.group(1)[: -len(".npy")]
    return "array"


def _content_length(response: requests.Response) -> int | None:
    value = response.headers.get("Content-Length")
    return int(value) if value is not None and value.isdigit() else None


class _Bar:
    """A tqdm bar over a body's bytes (total from Content-Length), or nothing."""

    def __init__(self, enabled: bool, total: int | None, desc: str):
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=desc)

    @property
    def update(self) -> Callable[[int], Any] | None:
        return self.bar.update if self.bar is not None else None

    def __enter__(self) -> "_Bar":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.close()


class Client:
    """A connection to one initlab server: one ``requests.Session`` (keep-alive, reused across
    calls), the API key, a default timeout and whether to draw progress bars.

    ``url``: the server (else ``$INITLAB_URL``, else ``http://localhost:8080``). ``api_key``:
    sent as ``X-API-Key`` (else ``$INITLAB_API_KEY`` at each request, when set). ``timeout``:
    ``(connect, read)`` seconds for requests' ``timeout``. ``progress``: the default of the
    methods' ``progress`` (a tqdm bar of the body's bytes). A Client may be used as a context
    manager (closes the session). One Client per thread: a Session is not meant to be shared
    between threads.
    """

    def __init__(self, url: str | None = None, api_key: str | None = None, *, timeout: Timeout = DEFAULT_TIMEOUT,
                 progress: bool = False):
        self.url = base_url(url)
        self.api_key = api_key
        self.timeout = timeout
        self.progress = progress
        self.session = requests.Session()

    def __repr__(self) -> str:
        return f"Client({self.url!r})"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------

    def _headers(self, binary: bool) -> dict[str, str]:
        headers = {}
        if binary:  # the body is read as it arrives, byte for byte: no gzip
            headers["Accept-Encoding"] = "identity"
        key = self.api_key or os.environ.get("INITLAB_API_KEY")
        if key:
            headers["X-API-Key"] = key
        return headers

    def _post(self, spec: Spec, fmt: str, tensor: str | None, timeout: Timeout) -> requests.Response:
        """POST the spec; a streamed response whose body is not read yet (4xx/5xx raised)."""
        if not isinstance(spec, Mapping):
            raise TypeError(f"spec must be a dict (the JSON request body), got {type(spec).__name__}")
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        params = {"format": fmt}
        if tensor is not None:
            params["tensor"] = tensor
        endpoint = self.url + ENDPOINT
        try:
            response = self.session.post(endpoint, json=dict(spec), params=params,
                                         headers=self._headers(fmt != "json"), stream=True,
                                         timeout=self.timeout if timeout is None else timeout)
        except requests.ConnectionError as e:
            raise InitlabError(None, None, f"cannot reach initlab at {endpoint} ({e}); is the server running? "
                                           "Set url= or INITLAB_URL") from e
        if response.status_code >= 400:
            with response:
                _raise_problem(response)
        return response

    def _read(self, response: requests.Response, read: Callable[[_wire.Readable, int | None], Any]) -> Any:
        """``read(body, content_length)`` over the response's body, which must read it to its end;
        then the connection goes back to the pool (closed instead when reading failed)."""
        try:
            result = read(_wire.body_reader(response), _content_length(response))
        except BaseException:
            response.close()
            raise
        response.raw.release_conn()
        return result

    # ------------------------------------------------------------------------------------------

    def generate(self, spec: Spec, format: str = "safetensors", tensor: str | None = None, *,
                 timeout: Timeout = None, progress: bool | None = None) -> dict[str, np.ndarray]:
        """Generate the tensors ``spec`` describes; returns ``{name: ndarray}`` in the server's order.

        ``spec`` is the JSON body of ``POST /api/v1/initializations`` (seed, layers, init, dtype,
        layout, ...). ``format`` is how the tensors travel: ``"safetensors"`` (default; every
        dtype, the largest limits), ``"npz"``, ``"npy"`` (one tensor: pass ``tensor=`` when the
        spec makes several) or ``"json"`` (the ``data`` arrays; at most 2^22 elements by
        default). ``tensor`` asks the server for that one tensor only. All formats give the same
        values. safetensors and npy are read straight into the returned arrays (zero-copy);
        npz, a zip archive, is read into one buffer first (preallocated from Content-Length
        when the server sends one; it streams npz chunked, so the buffer grows as it arrives),
        then unzipped by ``np.load``: one more copy per array.

        dtypes: float32, float64 and float16 come back as np.float32, np.float64 and np.float16.
        NumPy has no bfloat16, so ``"dtype": "bfloat16"`` comes back as **float32 arrays holding
        the bfloat16 values exactly** (from JSON and from safetensors alike; npy and npz cannot
        carry bfloat16 and the server refuses them).

        ``progress``: a tqdm bar of the body's bytes (default: the Client's ``progress``).
        Raises :class:`InitlabError` (message: the problem's ``detail``) on a 4xx/5xx answer,
        :class:`initlab.BodyError` when the body breaks off or is malformed.
        """
        response = self._post(spec, format, tensor, timeout)
        if format == "json":
            with response:
                return _from_json(response.json())
        show = self.progress if progress is None else progress
        with _Bar(show, _content_length(response), format) as bar:
            if format == "npy":
                array = self._read(response, lambda body, _: _wire.read_npy(body, progress=bar.update))
                return {_npy_name(response, tensor): array}
            if format == "npz":
                return self._read(response, lambda body, length: _wire.read_npz(body, length, progress=bar.update))
            allocate, arrays = _wire.numpy_allocator()
            header = self._read(response, lambda body, _: _wire.read_safetensors(body, allocate,
                                                                                 progress=bar.update))
        return {name: arrays[name] for name in header if name in arrays}  # the server's (layer) order

    def fetch_safetensors(self, spec: Spec, allocate: _wire.Allocate | None = None, *, tensor: str | None = None,
                          timeout: Timeout = None, progress: bool | None = None
                          ) -> tuple[dict[str, np.ndarray] | None, dict[str, Any]]:
        """The low-level fetch under :meth:`generate` and ``init_``: ``spec`` as safetensors, each
        tensor's bytes read from the socket into the buffer ``allocate(name, dtype_code, shape)``
        returns (None skips that tensor). Returns ``(None, header)``; with ``allocate=None``,
        NumPy arrays are allocated and returned: ``(arrays, header)``.

        ``allocate`` is called in file-offset order and must return a writable contiguous buffer
        of ``count * itemsize`` bytes (e.g. ``torch.empty(shape, dtype=...).numpy()``; for
        ``"BF16"`` either 2 bytes per element, raw bits, e.g. ``t.view(torch.int16).numpy()`` of a
        ``torch.bfloat16`` tensor, or 4 bytes per element, float32 values). ``header`` is the
        safetensors header (``dtype``, ``shape``, ``data_offsets`` per tensor) with
        ``__metadata__``, its ``init.*`` values JSON-decoded."""
        arrays = None
        if allocate is None:
            allocate, arrays = _wire.numpy_allocator()
        response = self._post(spec, "safetensors", tensor, timeout)
        show = self.progress if progress is None else progress
        with _Bar(show, _content_length(response), "safetensors") as bar:
            header = self._read(response, lambda body, _: _wire.read_safetensors(body, allocate, progress=bar.update))
        if arrays is not None:
            arrays = {name: arrays[name] for name in header if name in arrays}
        return arrays, header

    def load_into(self, model: Any, spec: Spec, strict: bool = True, *, timeout: Timeout = None,
                  progress: bool | None = None) -> Any:
        """Fetch ``spec`` as safetensors and load it into the PyTorch ``model``.

        Layer names in ``spec`` must be the model's module attribute names (``"fc"`` for
        ``self.fc``, ``"block.attn"`` for ``self.block.attn``), so the tensor names are its
        ``state_dict()`` keys. Returns what ``model.load_state_dict(..., strict=strict)``
        returns (``missing_keys``, ``unexpected_keys``); with ``strict`` a mismatch raises
        RuntimeError. The body is read straight into CPU torch tensors (bfloat16 stays
        bfloat16), then copied into the model's own parameters (their dtype and device).
        """
        import torch

        layout = spec.get("layout", "pytorch") if isinstance(spec, Mapping) else "pytorch"
        if layout != "pytorch":
            raise ValueError(f"load_into needs layout 'pytorch' (state_dict names and shapes), not {layout!r}")
        state: dict[str, Any] = {}

        def allocate(name: str, code: str, shape: tuple[int, ...]) -> Any:
            if code == "BF16":
                state[name] = torch.empty(shape, dtype=torch.bfloat16)
                return state[name].view(torch.int16).numpy()
            if code not in _wire.ST_DTYPES:
                raise _wire.BodyError(f"tensor {name!r}: load_into cannot hold {code}")
            state[name] = torch.from_numpy(np.empty(shape, dtype=_wire.ST_DTYPES[code]))
            return state[name].numpy()

        self.fetch_safetensors(spec, allocate, timeout=timeout, progress=progress)
        return model.load_state_dict(state, strict=strict)

    def metadata(self, spec: Spec | bytes | bytearray | memoryview, *, timeout: Timeout = None) -> dict[str, Any]:
        """The safetensors ``__metadata__`` of ``spec``: ``seed``, ``rng``, ``dtype``, ``layout``,
        ... as the strings the file holds, and ``init.<tensor name>`` parsed from JSON into a
        dict (scheme, its parameters, ``fan_in``, ``fan_out``, ``gain``, ``std`` or ``bound``).

        ``spec`` is a request body (only the file's header is read from the stream, then the
        connection is dropped, so this is cheap even for large models) or the bytes of a
        safetensors file already fetched.
        """
        if isinstance(spec, (bytes, bytearray, memoryview)):
            header = _wire.read_safetensors_header(_wire.MemoryFile(spec))
        else:
            response = self._post(spec, "safetensors", None, timeout)
            with response:  # closing drops the rest of the body (and this connection)
                header = _wire.read_safetensors_header(_wire.body_reader(response))
        return _wire.decode_metadata(header.get("__metadata__", {}))

    def download(self, spec: Spec, directory: str, *, servers: Sequence[str] | str | None = None,
                 parallel: int = 4, progress: bool | None = None, **options: Any) -> dict:
        """A checkpoint of ``spec`` into ``directory`` with parallel, resumable Range requests
        spread over ``servers`` (default: this Client's server): :func:`initlab.download`, with
        this Client's API key and progress default. ``options``: ``chunk_size``, ``retries``,
        ``timeout``, ``on_bytes``."""
        from ._download import download

        return download(spec, directory, servers=servers if servers is not None else [self.url], parallel=parallel,
                        progress=self.progress if progress is None else progress, api_key=self.api_key, **options)


# ----------------------------------------------------------------------------------------------
# The module-level functions: a default Client per server URL (and per thread)

_defaults = threading.local()


def default_client(url: str | None = None) -> Client:
    """The Client the module functions use for ``url`` (else ``$INITLAB_URL``, else
    ``http://localhost:8080``): one per server URL and thread, made on first use and kept, so
    successive calls share its connection."""
    chosen = base_url(url)
    clients = getattr(_defaults, "clients", None)
    if clients is None:
        clients = _defaults.clients = {}
    if chosen not in clients:
        clients[chosen] = Client(chosen)
    return clients[chosen]


def generate(spec: Spec, format: str = "safetensors", url: str | None = None, tensor: str | None = None,
             timeout: Timeout = DEFAULT_TIMEOUT, *, progress: bool = False) -> dict[str, np.ndarray]:
    """:meth:`Client.generate` on the default Client of ``url`` (else ``$INITLAB_URL``, else
    ``http://localhost:8080``): ``{name: ndarray}``, read without copies for safetensors and npy."""
    return default_client(url).generate(spec, format, tensor, timeout=timeout, progress=progress)


def load_into(model: Any, spec: Spec, url: str | None = None, strict: bool = True,
              timeout: Timeout = DEFAULT_TIMEOUT) -> Any:
    """:meth:`Client.load_into` on the default Client of ``url``: ``spec`` as safetensors into
    the PyTorch ``model`` (``load_state_dict``'s result)."""
    return default_client(url).load_into(model, spec, strict, timeout=timeout)


def metadata(spec: Spec | bytes | bytearray | memoryview, url: str | None = None,
             timeout: Timeout = DEFAULT_TIMEOUT) -> dict[str, Any]:
    """:meth:`Client.metadata` on the default Client of ``url``: the ``__metadata__`` of
    ``spec``'s safetensors (or of safetensors bytes), ``init.*`` decoded."""
    return default_client(url).metadata(spec, timeout=timeout)


def _parse_safetensors(buf: bytes | bytearray | memoryview) -> dict[str, np.ndarray]:
    """Safetensors bytes already in memory as ``{name: ndarray}`` (writable arrays of their own;
    BF16 as float32), by the same reader as the socket path."""
    allocate, arrays = _wire.numpy_allocator()
    header = _wire.read_safetensors(_wire.MemoryFile(buf), allocate)
    return {name: arrays[name] for name in header if name in arrays}
