"""A small Python client for initlab: initialized parameter tensors over HTTP.

Depends only on ``requests`` and ``numpy``; ``safetensors`` is used when installed and
``torch`` only by :func:`load_into`.

    >>> import initlab_client as il
    >>> spec = {"seed": 0, "layers": [
    ...     {"name": "fc", "type": "linear", "in_features": 784, "out_features": 10}]}
    >>> arrays = il.generate(spec)                    # {"fc.weight": ndarray, "fc.bias": ndarray}
    >>> il.load_into(model, spec)                     # a torch.nn.Module with a Linear `fc`
    >>> il.metadata(spec)["init.fc.weight"]["bound"]  # the resolved init of each tensor

The server is ``url=`` if given, else the environment variable ``INITLAB_URL``, else
``http://localhost:8080``. When the server requires API keys, set ``INITLAB_API_KEY``: it is
sent as the ``X-API-Key`` header. Any 4xx/5xx answer raises :class:`InitlabError`, whose
message is the problem details' ``detail`` (RFC 9457).
"""

from __future__ import annotations

import io
import json
import os
import re
import struct
from typing import Any, Mapping

import numpy as np
import requests

__all__ = ["InitlabError", "generate", "load_into", "metadata", "base_url", "FORMATS"]

DEFAULT_URL = "http://localhost:8080"
ENDPOINT = "/api/v1/initializations"
FORMATS = ("json", "npy", "npz", "safetensors")
# (connect, read) seconds; generous for read because a 1 GiB tensor takes a while to stream.
DEFAULT_TIMEOUT = (10, 600)

# safetensors dtype code -> NumPy dtype (little-endian, as the format stores it). BF16 has no
# NumPy dtype and is handled separately.
_ST_DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}

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

    def __init__(self, status, title, detail, errors=None, problem=None):
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


def _headers() -> dict[str, str]:
    """``X-API-Key`` from ``$INITLAB_API_KEY`` when it is set (for servers with API keys on)."""
    key = os.environ.get("INITLAB_API_KEY")
    return {"X-API-Key": key} if key else {}


def _post(spec: Mapping[str, Any], fmt: str, url: str | None, tensor: str | None, stream: bool = False,
          timeout=DEFAULT_TIMEOUT) -> requests.Response:
    if not isinstance(spec, Mapping):
        raise TypeError(f"spec must be a dict (the JSON request body), got {type(spec).__name__}")
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    params = {"format": fmt}
    if tensor is not None:
        params["tensor"] = tensor
    endpoint = base_url(url) + ENDPOINT
    try:
        response = requests.post(endpoint, json=dict(spec), params=params, headers=_headers(), stream=stream,
                                 timeout=timeout)
    except requests.ConnectionError as e:
        raise InitlabError(None, None, f"cannot reach initlab at {endpoint} ({e}); is the server running? "
                                       "Set url= or INITLAB_URL") from e
    if response.status_code >= 400:
        _raise_problem(response)
    return response


def _raise_problem(response: requests.Response):
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


# ----------------------------------------------------------------------------------------------
# Decoding


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


def _safetensors_header(buf) -> tuple[dict, int]:
    """The JSON header of a safetensors file and the offset where its data starts."""
    if len(buf) < 8:
        raise ValueError("not a safetensors file: shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", bytes(buf[:8]))
    if n > len(buf) - 8:
        raise ValueError(f"not a safetensors file: header length {n} exceeds the {len(buf) - 8} bytes left")
    header = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
    if not isinstance(header, dict):
        raise ValueError("not a safetensors file: the header is not a JSON object")
    return header, 8 + n


def _parse_safetensors(buf) -> dict[str, np.ndarray]:
    """The built-in reader: 8-byte little-endian header length, JSON header, raw little-endian data.

    BF16 becomes float32 (the 16 bits shifted into the high half of a uint32), exactly."""
    header, start = _safetensors_header(buf)
    size = len(buf) - start
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        code = info["dtype"]
        shape = [int(d) for d in info["shape"]]
        begin, end = (int(o) for o in info["data_offsets"])
        count = int(np.prod(shape, dtype=np.int64))
        itemsize = 2 if code == "BF16" else _ST_DTYPES[code].itemsize if code in _ST_DTYPES else None
        if itemsize is None:
            raise ValueError(f"tensor {name!r}: dtype {code!r} is not supported by this reader")
        if not (0 <= begin <= end <= size) or end - begin != count * itemsize:
            raise ValueError(f"tensor {name!r}: data_offsets {[begin, end]} do not fit shape {shape} of {code} "
                             f"in {size} data bytes")
        if code == "BF16":
            bits = np.frombuffer(buf, dtype="<u2", count=count, offset=start + begin)
            array = (bits.astype(np.uint32) << 16).view(np.float32)
        else:
            dtype = _ST_DTYPES[code]
            array = np.frombuffer(buf, dtype=dtype, count=count, offset=start + begin)
            array = array.astype(dtype.newbyteorder("="), copy=True)  # owned, writable, native order
        out[name] = array.reshape(shape)
    return out


def _from_safetensors(buf: bytes) -> dict[str, np.ndarray]:
    header, _ = _safetensors_header(buf)
    names = [k for k in header if k != "__metadata__"]
    has_bf16 = any(header[k]["dtype"] == "BF16" for k in names)
    try:
        from safetensors.numpy import load as st_load
    except ImportError:
        st_load = None
    if st_load is None or has_bf16:  # safetensors.numpy cannot represent BF16 either
        return _parse_safetensors(buf)
    loaded = st_load(buf)
    return {k: loaded[k] for k in names}  # the server's (layer) order


def generate(spec: Mapping[str, Any], format: str = "safetensors", url: str | None = None,
             tensor: str | None = None, timeout=DEFAULT_TIMEOUT) -> dict[str, np.ndarray]:
    """Generate the tensors ``spec`` describes; returns ``{name: ndarray}`` in the server's order.

    ``spec`` is the JSON body of ``POST /api/v1/initializations`` (seed, layers, init, dtype,
    layout, ...). ``format`` is how the tensors travel: ``"safetensors"`` (default; every dtype,
    the largest limits), ``"npz"``, ``"npy"`` (one tensor: pass ``tensor=`` when the spec makes
    several) or ``"json"`` (the ``data`` arrays; at most 2^22 elements by default). ``tensor``
    asks the server for that one tensor only. All formats give the same values.

    dtypes: float32, float64 and float16 come back as np.float32, np.float64 and np.float16.
    NumPy has no bfloat16, so ``"dtype": "bfloat16"`` comes back as **float32 arrays holding
    the bfloat16 values exactly** (from JSON and from safetensors alike; npy and npz cannot
    carry bfloat16 and the server refuses them).

    Raises :class:`InitlabError` (message: the problem's ``detail``) on a 4xx/5xx answer.
    """
    response = _post(spec, format, url, tensor, timeout=timeout)
    if format == "json":
        return _from_json(response.json())
    content = response.content
    if format == "npy":
        return {_npy_name(response, tensor): np.load(io.BytesIO(content), allow_pickle=False)}
    if format == "npz":
        with np.load(io.BytesIO(content), allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    return _from_safetensors(content)


def load_into(model, spec: Mapping[str, Any], url: str | None = None, strict: bool = True,
              timeout=DEFAULT_TIMEOUT):
    """Fetch ``spec`` as safetensors and load it into the PyTorch ``model``.

    Layer names in ``spec`` must be the model's module attribute names (``"fc"`` for
    ``self.fc``, ``"block.attn"`` for ``self.block.attn``), so the tensor names are its
    ``state_dict()`` keys. Returns what ``model.load_state_dict(..., strict=True)`` returns
    (``missing_keys``, ``unexpected_keys``); with ``strict`` a mismatch raises RuntimeError.
    Values are copied into the model's own parameters (their dtype and device).
    """
    import torch  # noqa: F401  (only this function needs torch)

    layout = spec.get("layout", "pytorch") if isinstance(spec, Mapping) else "pytorch"
    if layout != "pytorch":
        raise ValueError(f"load_into needs layout 'pytorch' (state_dict names and shapes), not {layout!r}")
    content = _post(spec, "safetensors", url, None, timeout=timeout).content
    try:
        from safetensors.torch import load as st_load
    except ImportError:
        st_load = None
    if st_load is not None:
        state = st_load(content)
    else:
        state = {k: torch.from_numpy(v) for k, v in _parse_safetensors(content).items()}
    return model.load_state_dict(state, strict=strict)


def metadata(spec, url: str | None = None, timeout=DEFAULT_TIMEOUT) -> dict[str, Any]:
    """The safetensors ``__metadata__`` of ``spec``: ``seed``, ``rng``, ``dtype``, ``layout``, ... as
    the strings the file holds, and ``init.<tensor name>`` parsed from JSON into a dict (scheme,
    its parameters, ``fan_in``, ``fan_out``, ``gain``, ``std`` or ``bound``).

    ``spec`` is a request body (only the file's header is read from the stream, so this is cheap
    even for large models) or the bytes of a safetensors file already fetched.
    """
    if isinstance(spec, (bytes, bytearray, memoryview)):
        header, _ = _safetensors_header(spec)
    else:
        with _post(spec, "safetensors", url, None, stream=True, timeout=timeout) as response:
            raw = response.raw
            raw.decode_content = True
            head = _read_exactly(raw, 8)
            (n,) = struct.unpack("<Q", head)
            header, _ = _safetensors_header(head + _read_exactly(raw, n))
    out: dict[str, Any] = {}
    for key, value in header.get("__metadata__", {}).items():
        out[key] = json.loads(value) if key.startswith("init.") else value
    return out


def _read_exactly(raw, n: int) -> bytes:
    chunks, left = [], n
    while left > 0:
        chunk = raw.read(left)
        if not chunk:
            raise ValueError(f"the response ended {left} bytes before the safetensors header did")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
