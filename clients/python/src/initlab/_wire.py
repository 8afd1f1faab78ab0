"""Zero-copy readers for the binary formats: a response body parsed as it arrives, each tensor's
bytes read with ``readinto`` straight into the memory that the caller keeps.

    >>> header = read_safetensors(body, allocate)             # allocate(name, dtype_code, shape)
    >>> array = read_npy(body)                               # one ndarray, preallocated from the header

``body`` is anything with ``readinto`` (and ``read`` for the small headers): the
``http.client.HTTPResponse`` under a streamed ``requests`` response (see :func:`body_reader`),
a urllib3 response with ``decode_content``, an open file. Nothing is buffered in between: no
``bytes`` of the body, no second copy of a tensor. Only the headers (the safetensors JSON, the
npy dict) pass through ``bytes``.

Reads are issued in chunks of :data:`CHUNK` bytes (16 MiB; 1 MiB while a progress bar is drawn)
into memoryviews of the destination, so a 64 MiB tensor costs four ``readinto`` calls; Python
does no per-byte or per-packet work (the socket's ``recv_into`` loop runs in C).

BF16 (safetensors): NumPy has no bfloat16. A destination of 2 bytes per element receives the
raw bits (what ``torch.bfloat16`` wants); one of 4 bytes per element receives float32 values,
exact: the bits are read block by block (:data:`BF16_BLOCK` elements) into one small reusable
``uint16`` buffer and widened into the destination (``bits << 16``), so the only extra memory is
that 1 MiB block, never a second copy of the tensor.
"""

from __future__ import annotations

import http.client
import json
import struct
from typing import Any, Callable, Dict, Optional, Protocol, Tuple, Type

import numpy as np

__all__ = [
    "CHUNK",
    "BF16_BLOCK",
    "ST_DTYPES",
    "ST_ITEMSIZE",
    "Allocate",
    "BodyError",
    "numpy_allocator",
    "read_safetensors",
    "read_npy",
    "read_all",
    "read_npz",
    "read_safetensors_header",
    "decode_metadata",
    "MemoryFile",
    "body_reader",
]

CHUNK = 16 * 1024 * 1024
PROGRESS_CHUNK = 1024 * 1024  # while a progress bar is drawn: an update every MiB
BF16_BLOCK = 512 * 1024  # elements: a 1 MiB uint16 block
# The safetensors library refuses headers above 100 MB; so do we, before allocating them.
MAX_HEADER = 100 * 1000 * 1000

# safetensors dtype code -> NumPy dtype (little-endian, as the format stores it). BF16 has no
# NumPy dtype (float32 stands in for it, see the module doc); F8 codes have none either.
ST_DTYPES: Dict[str, np.dtype] = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U64": np.dtype("<u8"),
    "U32": np.dtype("<u4"),
    "U16": np.dtype("<u2"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}
# bytes per element of every code this reader can skip or hand to an allocate callback
ST_ITEMSIZE: Dict[str, int] = {
    **{code: dtype.itemsize for code, dtype in ST_DTYPES.items()},
    "BF16": 2,
    "F8_E4M3": 1,
    "F8_E5M2": 1,
}

Buffer = Any  # anything exposing a writable buffer: memoryview, bytearray, ndarray, mmap, ...
# allocate(name, dtype_code, shape) -> where that tensor's bytes go, or None to skip them
Allocate = Callable[[str, str, Tuple[int, ...]], Optional[Buffer]]
Progress = Callable[[int], None]


class Readable(Protocol):
    def readinto(self, buffer: Any) -> Optional[int]: ...

    def read(self, n: int = ...) -> bytes: ...


# What a connection that drops or stalls mid-body raises: a reset or timed-out socket (OSError),
# http.client's IncompleteRead, urllib3's ProtocolError / ReadTimeoutError.
_BROKEN: Tuple[Type[BaseException], ...] = (OSError, http.client.HTTPException)
try:
    import urllib3.exceptions

    _BROKEN += (urllib3.exceptions.HTTPError,)
except ImportError:  # pragma: no cover (requests brings urllib3)
    pass


class BodyError(ValueError):
    """The body is not what its headers announced: truncated, malformed, or longer."""


def _readinto_exactly(raw: Readable, view: memoryview, what: str, progress: Optional[Progress]) -> None:
    """Fill ``view`` (bytes) from ``raw`` or raise :class:`BodyError` naming ``what``."""
    total = len(view)
    done = 0
    step = CHUNK if progress is None else PROGRESS_CHUNK
    while done < total:
        try:
            n = raw.readinto(view[done : min(done + step, total)])
        except _BROKEN as e:
            raise BodyError(f"the response broke off in {what} after {done} of {total} bytes: "
                            f"{type(e).__name__}: {e}") from e
        if not n:
            raise BodyError(f"the response ended in {what} after {done} of {total} bytes (truncated body)")
        done += n
        if progress is not None:
            progress(n)


def _read_exactly(raw: Readable, n: int, what: str, progress: Optional[Progress] = None) -> bytes:
    buffer = bytearray(n)
    _readinto_exactly(raw, memoryview(buffer), what, progress)
    return bytes(buffer)


def _skip(raw: Readable, n: int, what: str, progress: Optional[Progress]) -> None:
    scratch = memoryview(bytearray(min(n, CHUNK)))
    while n > 0:
        step = min(n, len(scratch))
        _readinto_exactly(raw, scratch[:step], what, progress)
        n -= step


def _expect_end(raw: Readable) -> None:
    """The body must end here. Reading to its end also lets the connection be reused (a
    chunked body's last chunk is consumed)."""
    try:
        extra = raw.readinto(memoryview(bytearray(1)))
    except _BROKEN as e:
        raise BodyError(f"the response broke off at its end: {type(e).__name__}: {e}") from e
    if extra:
        raise BodyError("the response has bytes after the last tensor its header announced")


def _byte_view(destination: Buffer) -> memoryview:
    view = memoryview(destination)
    if view.readonly:
        raise ValueError("allocate returned a read-only buffer")
    if not view.c_contiguous:
        raise ValueError("allocate returned a buffer that is not C-contiguous")
    return view.cast("B") if view.format != "B" or view.ndim != 1 else view


def decode_metadata(metadata: Dict[str, str]) -> Dict[str, Any]:
    """A safetensors ``__metadata__`` with its ``init.*`` values (JSON text) decoded."""
    return {k: json.loads(v) if k.startswith("init.") else v for k, v in metadata.items()}


def read_safetensors_header(raw: Readable, progress: Optional[Progress] = None) -> Dict[str, Any]:
    """Only the JSON header (the first 8 + n bytes), as the file holds it (metadata strings)."""
    (n,) = struct.unpack("<Q", _read_exactly(raw, 8, "the safetensors header length", progress))
    if n > MAX_HEADER:
        raise BodyError(f"not a safetensors body: header length {n} is above {MAX_HEADER}")
    try:
        header = json.loads(_read_exactly(raw, n, "the safetensors header", progress).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise BodyError(f"not a safetensors body: the header is not JSON ({e})") from e
    if not isinstance(header, dict):
        raise BodyError("not a safetensors body: the header is not a JSON object")
    return header


def read_safetensors(
    raw: Readable,
    allocate: Optional[Allocate] = None,
    *,
    progress: Optional[Progress] = None,
) -> Dict[str, Any]:
    """Parse a safetensors body from ``raw``; each tensor's bytes go where ``allocate`` says.

    ``allocate(name, dtype_code, shape)`` is called once per tensor, in file-offset order, and
    returns a writable contiguous buffer of the tensor's size (``count * itemsize`` bytes, raw
    little-endian as stored; for ``"BF16"`` also ``4 * count`` bytes, which receive float32
    values) or None to skip the tensor's bytes. ``allocate=None`` skips every tensor (only the
    header is wanted, but the body is still read to its end). ``progress(n)`` is called with the
    number of bytes of every read.

    Returns the header: ``{name: {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}`` with
    the ``init.*`` metadata values JSON-decoded into dicts. Raises :class:`BodyError` when the
    body is truncated, malformed, has holes that overlap, or runs past the last tensor.
    """
    header = read_safetensors_header(raw, progress)
    entries = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            code = info["dtype"]
            shape = tuple(int(d) for d in info["shape"])
            begin, end = (int(o) for o in info["data_offsets"])
        except (KeyError, TypeError, ValueError) as e:
            raise BodyError(f"not a safetensors body: tensor {name!r} has a malformed entry {info!r}") from e
        if code not in ST_ITEMSIZE:
            raise BodyError(f"tensor {name!r}: dtype {code!r} is not one this reader knows "
                            f"({', '.join(ST_ITEMSIZE)})")
        count = int(np.prod(shape, dtype=np.int64))
        if any(d < 0 for d in shape) or not 0 <= begin <= end or end - begin != count * ST_ITEMSIZE[code]:
            raise BodyError(f"tensor {name!r}: data_offsets {[begin, end]} do not fit shape {list(shape)} of {code}")
        entries.append((begin, end, name, code, shape, count))
    entries.sort()
    at = 0
    for begin, end, name, code, shape, count in entries:
        if begin < at:
            raise BodyError(f"tensor {name!r}: data_offsets {[begin, end]} overlap the previous tensor")
        if begin > at:
            _skip(raw, begin - at, f"the gap before tensor {name!r}", progress)
        destination = allocate(name, code, shape) if allocate is not None else None
        what = f"tensor {name!r}"
        if destination is None:
            _skip(raw, end - begin, what, progress)
        else:
            view = _byte_view(destination)
            if code == "BF16" and len(view) == 4 * count:
                _read_bf16_widened(raw, view, count, what, progress)
            elif len(view) == end - begin:
                _readinto_exactly(raw, view, what, progress)
            else:
                raise ValueError(f"allocate gave {len(view)} bytes for {what} ({code} {list(shape)}: "
                                 f"{end - begin} bytes)")
        at = end
    _expect_end(raw)
    if "__metadata__" in header:
        header["__metadata__"] = decode_metadata(header["__metadata__"])
    return header


def _read_bf16_widened(raw: Readable, view: memoryview, count: int, what: str,
                       progress: Optional[Progress]) -> None:
    out = np.frombuffer(view, dtype=np.uint32, count=count)
    block = np.empty(min(count, BF16_BLOCK), dtype="<u2")
    block_bytes = block.data.cast("B")
    for start in range(0, count, len(block)):
        n = min(len(block), count - start)
        _readinto_exactly(raw, block_bytes[: 2 * n], what, progress)
        target = out[start : start + n]
        target[...] = block[:n]  # uint16 -> uint32, in the destination
        target <<= 16


def numpy_allocator() -> Tuple[Allocate, Dict[str, np.ndarray]]:
    """An ``allocate`` that makes NumPy arrays (native byte order, writable, owning their memory)
    and the dict it puts them in; BF16 becomes float32 holding the bfloat16 values exactly."""
    arrays: Dict[str, np.ndarray] = {}

    def allocate(name: str, code: str, shape: Tuple[int, ...]) -> np.ndarray:
        if code == "BF16":
            dtype = np.dtype(np.float32)
        elif code in ST_DTYPES:
            dtype = ST_DTYPES[code]  # little-endian: native here, correct values everywhere
        else:
            raise BodyError(f"tensor {name!r}: NumPy has no dtype for {code}")
        array = np.empty(shape, dtype=dtype)
        arrays[name] = array
        return array

    return allocate, arrays


def _npy_header(raw: Readable, progress: Optional[Progress]) -> Tuple[Tuple[int, ...], bool, np.dtype]:
    magic = _read_exactly(raw, 8, "the npy magic", progress)
    if magic[:6] != b"\x93NUMPY":
        raise BodyError(f"not an npy body: it starts with {magic[:6]!r}")
    major = magic[6]
    if major == 1:
        (n,) = struct.unpack("<H", _read_exactly(raw, 2, "the npy header length", progress))
    elif major in (2, 3):
        (n,) = struct.unpack("<I", _read_exactly(raw, 4, "the npy header length", progress))
    else:
        raise BodyError(f"npy format version {major}.{magic[7]} is not supported")
    if n > MAX_HEADER:
        raise BodyError(f"npy header length {n} is above {MAX_HEADER}")
    text = _read_exactly(raw, n, "the npy header", progress).decode("utf-8" if major == 3 else "latin1")
    import ast

    try:
        fields = ast.literal_eval(text)
        shape = tuple(int(d) for d in fields["shape"])
        fortran = bool(fields["fortran_order"])
        dtype = np.lib.format.descr_to_dtype(fields["descr"])
    except (ValueError, SyntaxError, KeyError, TypeError) as e:
        raise BodyError(f"not an npy body: header {text.strip()!r} ({e})") from e
    if dtype.hasobject:
        raise BodyError("the npy body holds Python objects; refusing to unpickle")
    return shape, fortran, dtype


def read_npy(raw: Readable, *, progress: Optional[Progress] = None) -> np.ndarray:
    """One ``.npy`` body read into an array preallocated from its header (``np.empty`` then
    ``readinto``). The result is writable and its memory is the one buffer the body was read
    into (a view of it with the file's dtype and shape); a Fortran-ordered file gives an
    F-contiguous array. Raises :class:`BodyError` when truncated or longer than announced."""
    shape, fortran, dtype = _npy_header(raw, progress)
    count = int(np.prod(shape, dtype=np.int64))
    flat = np.empty(count * dtype.itemsize, dtype=np.uint8)
    _readinto_exactly(raw, flat.data, f"the npy data ({dtype} {list(shape)})", progress)
    _expect_end(raw)
    return flat.view(dtype).reshape(shape, order="F" if fortran else "C")


class MemoryFile:
    """A read-only, seekable file over a buffer without copying it (``io.BytesIO`` copies any
    buffer that is not ``bytes``); enough for ``zipfile`` and ``np.load``."""

    def __init__(self, buffer: Buffer):
        self._view = memoryview(buffer).cast("B")
        self._at = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._view) if n is None or n < 0 else min(len(self._view), self._at + n)
        data = self._view[self._at : end].tobytes()
        self._at = max(self._at, end)
        return data

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        n = min(len(target), len(self._view) - self._at)
        target[:n] = self._view[self._at : self._at + n]
        self._at += n
        return n

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._at, len(self._view))[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        pass

    def __enter__(self) -> "MemoryFile":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass


def read_all(raw: Readable, length: Optional[int], *, progress: Optional[Progress] = None) -> memoryview:
    """The whole body in one buffer: preallocated from ``length`` (the Content-Length) and read
    with ``readinto``, else grown chunk by chunk. For npz (a zip archive, read by ``np.load``
    from this buffer through :class:`MemoryFile`)."""
    if length is not None:
        buffer = np.empty(length, dtype=np.uint8)
        _readinto_exactly(raw, buffer.data, "the body", progress)
        _expect_end(raw)
        return buffer.data
    grown = bytearray()
    chunk = memoryview(bytearray(CHUNK))
    while True:
        n = raw.readinto(chunk)
        if not n:
            return memoryview(grown)
        grown += chunk[:n]
        if progress is not None:
            progress(n)


def read_npz(raw: Readable, length: Optional[int], *, progress: Optional[Progress] = None) -> Dict[str, np.ndarray]:
    """An ``.npz`` body: the whole archive in one preallocated buffer (:func:`read_all`), then
    ``np.load`` from it. Zip members are extracted by ``zipfile``, so each array is one more
    copy: npz is not zero-copy; safetensors and npy are."""
    body = read_all(raw, length, progress=progress)
    with np.load(MemoryFile(body), allow_pickle=False) as archive:
        return {name: archive[name] for name in archive.files}


def body_reader(response: Any) -> Readable:
    """What to ``readinto`` from for a streamed ``requests`` response: the ``http.client``
    response under urllib3 when the body is not content-encoded (its ``readinto`` fills the
    caller's buffer from the socket; urllib3's own ``readinto`` reads into ``bytes`` first and
    copies), else urllib3's response with ``decode_content`` (gzip/deflate are decoded, at the
    cost of that copy)."""
    raw = response.raw
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    fp = getattr(raw, "_fp", None)
    if encoding in ("", "identity") and fp is not None and hasattr(fp, "readinto"):
        return fp
    raw.decode_content = True
    return raw
