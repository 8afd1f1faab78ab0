"""Parallel, resumable download of an initlab checkpoint (docs/API.md section 9) from one or more
replicas, the way huggingface_hub/hf_transfer fetch sharded safetensors.

    >>> import initlab_download as dl
    >>> spec = {"seed": 0, "model": {"architecture": "transformers/LlamaForCausalLM", "config": {}},
    ...         "max_shard_size": "5GB"}
    >>> dl.download(spec, "llama-7b", servers=["http://10.0.0.5:8080", "http://10.0.0.6:8080"],
    ...             parallel=8, progress=True)

``POST /api/v1/checkpoints`` (to the first server that answers) gives the file list; every file is
then cut into ranges of ``chunk_size`` bytes, handed round-robin to the servers and fetched by
``parallel`` threads with ``Range`` and ``If-Range`` (the file's strong ETag), each range written
in place (``os.pwrite``) into a preallocated ``NAME.part``. A range that fails (connection error,
timeout, 5xx, a wrong status, ``Content-Range``, length or ETag) continues on another server from
the byte where it stopped, at most ``retries`` times; then :class:`DownloadError` names the file
and the range. A server that refused a connection is avoided while others are up.

Resume: ``NAME.part.json`` beside each ``NAME.part`` records the file's ETag and the byte ranges
already written; a later call with the same spec fetches only what is missing (and starts the
file over if the server's ETag changed). A finished file is checked (size, every byte covered,
the same ETag from every server) and renamed to ``NAME``; ``.initlab-download.json`` in the
directory remembers the ETags of finished files, so a rerun skips them. Resume covers an
interrupted process or network, not a power loss (nothing is fsync'ed).

Only the standard library, ``requests`` and ``tqdm`` (the progress bar). Command line:
``initlab download SPEC.json DIR --server URL [--server URL ...] --parallel N`` (also
``python3 -m initlab_download ...``). The servers default to ``$INITLAB_URL``, else ``http://localhost:8080``;
``$INITLAB_API_KEY`` is sent as ``X-API-Key``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import sys
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import Any, Callable, Mapping, Sequence
from urllib.parse import urlsplit

import requests
import urllib3

__all__ = ["DownloadError", "download", "download_checkpoint", "create_checkpoint", "replica_urls"]

DEFAULT_URL = "http://localhost:8080"
ENDPOINT = "/api/v1/checkpoints"
DEFAULT_CHUNK_SIZE = 32 * 1024 * 1024
DEFAULT_RETRIES = 5
# (connect, read) seconds; read is the longest wait for the next bytes, not for the whole range.
DEFAULT_TIMEOUT = (10, 120)
# A server that refused a connection is not chosen again for this long while another is up.
DOWN_FOR = 30.0
MANIFEST = ".initlab-download.json"
_READ_SIZE = 1024 * 1024
# What a dropped or stalled connection raises, before and while the body is read (a write to the
# local file that fails, an on_bytes callback that raises: not retried, they end the download).
_NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, ConnectionError, TimeoutError)
_CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class DownloadError(Exception):
    """The checkpoint could not be created or a file could not be fetched completely."""


def _base_urls(servers: Sequence[str] | str | None) -> list[str]:
    if servers is None:
        servers = [os.environ.get("INITLAB_URL") or DEFAULT_URL]
    elif isinstance(servers, str):
        servers = [servers]
    urls = [s.rstrip("/") for s in servers]
    if not urls:
        raise ValueError("servers is empty: give at least one URL")
    return urls


def _headers(api_key: str | None = None) -> dict[str, str]:
    headers = {"Accept-Encoding": "identity"}
    key = api_key or os.environ.get("INITLAB_API_KEY")
    if key:
        headers["X-API-Key"] = key
    return headers


def replica_urls(url: str) -> list[str]:
    """Every address a host name resolves to, as one URL each: a Kubernetes headless Service
    (deploy/kubernetes, ``initlab-checkpoints``) resolves to the IPs of its ready pods, so
    ``download(..., servers=replica_urls("http://initlab-checkpoints:8080"))`` spreads the ranges
    over all replicas."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = []
    for *_, sockaddr in socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM):
        address = str(sockaddr[0])
        host = f"[{address}]" if ":" in address else address
        candidate = f"{parts.scheme}://{host}:{port}{parts.path}".rstrip("/")
        if candidate not in addresses:
            addresses.append(candidate)
    return addresses


def _problem(response: requests.Response) -> str:
    try:
        body = response.json()
        return f"{response.status_code} {body.get('title', '')}: {body.get('detail', '')}"
    except ValueError:
        return f"{response.status_code} {response.reason}: {response.text[:300]}"


def create_checkpoint(spec: Mapping[str, Any], servers=None, timeout=DEFAULT_TIMEOUT, api_key: str | None = None) -> dict:
    """``POST /api/v1/checkpoints`` to the first server that answers; returns the 201 body
    (``id``, ``files``, ``index``). A 4xx is raised at once (the spec is wrong everywhere)."""
    errors = []
    for base in _base_urls(servers):
        try:
            response = requests.post(base + ENDPOINT, json=dict(spec), headers=_headers(api_key), timeout=timeout)
        except requests.RequestException as e:
            errors.append(f"{base}: {e}")
            continue
        if response.status_code == 201:
            return response.json()
        if 400 <= response.status_code < 500:
            raise DownloadError(f"POST {base}{ENDPOINT}: {_problem(response)}")
        errors.append(f"{base}: {_problem(response)}")
    raise DownloadError("no server created the checkpoint: " + "; ".join(errors))


class _Servers:
    """The server list, with the ones that refused connections set aside for a while."""

    def __init__(self, urls: list[str]):
        self.urls = urls
        self._down_until = [0.0] * len(urls)
        self._lock = threading.Lock()

    def pick(self, preferred: int) -> int:
        now = time.monotonic()
        with self._lock:
            for step in range(len(self.urls)):
                i = (preferred + step) % len(self.urls)
                if self._down_until[i] <= now:
                    return i
        return preferred % len(self.urls)  # all down: try anyway, the attempt counts

    def mark_down(self, i: int) -> None:
        with self._lock:
            self._down_until[i] = time.monotonic() + DOWN_FOR


class _RangeFailure(Exception):
    """One attempt at a range failed in a way another server may not (retried elsewhere)."""

    written: int = 0  # bytes of the range written before it failed
    connection: bool = False  # the server refused the connection (set it aside for a while)


class _Part:
    """A file being downloaded: NAME.part (preallocated, written in place) and its sidecar
    NAME.part.json (``etag``, ``size`` and the ``done`` byte ranges, half-open, merged)."""

    def __init__(self, directory: str, name: str, size: int, etag: str | None):
        self.name, self.size, self.etag = name, size, etag
        self.final = os.path.join(directory, name)
        self.path = self.final + ".part"
        self.sidecar = self.path + ".json"
        self.done: list[list[int]] = []
        self._lock = threading.Lock()
        self._seek_lock = threading.Lock()
        state = None
        if os.path.exists(self.path) and os.path.exists(self.sidecar):
            try:
                with open(self.sidecar, encoding="utf-8") as f:
                    state = json.load(f)
            except (OSError, ValueError):
                state = None
        if (
            state
            and state.get("etag") == etag
            and state.get("size") == size
            and os.path.getsize(self.path) == size
        ):
            self.done = [[int(a), int(b)] for a, b in state.get("done", [])]
            self.resumed = True
        else:  # nothing usable, or the server's bytes changed (another ETag): start over
            self.resumed = False
            for stale in (self.path, self.sidecar):
                if os.path.exists(stale):
                    os.remove(stale)
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        if not self.resumed:
            if hasattr(os, "posix_fallocate") and size > 0:
                try:
                    os.posix_fallocate(self.fd, 0, size)
                except OSError:  # a file system without fallocate: sparse is fine
                    os.ftruncate(self.fd, size)
            else:
                os.ftruncate(self.fd, size)
            self._save()

    def missing(self) -> list[tuple[int, int]]:
        gaps, at = [], 0
        for a, b in self.done:
            if a > at:
                gaps.append((at, a))
            at = max(at, b)
        if at < self.size:
            gaps.append((at, self.size))
        return gaps

    def write(self, offset: int, data: bytes | memoryview) -> None:
        view = memoryview(data)
        while view:
            if hasattr(os, "pwrite"):
                n = os.pwrite(self.fd, view, offset)
            else:  # Windows: no pwrite; the seek and the write must not interleave with another thread's
                with self._seek_lock:
                    os.lseek(self.fd, offset, os.SEEK_SET)
                    n = os.write(self.fd, view)
            view, offset = view[n:], offset + n

    def completed(self, start: int, end: int) -> None:
        with self._lock:
            merged: list[list[int]] = []
            for a, b in sorted(self.done + [[start, end]]):
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            self.done = merged
            self._save()

    def _save(self) -> None:
        tmp = self.sidecar + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump({"name": self.name, "size": self.size, "etag": self.etag, "done": self.done}, f)
        os.replace(tmp, self.sidecar)

    def finish(self) -> None:
        actual = os.fstat(self.fd).st_size
        os.close(self.fd)
        if actual != self.size:
            raise DownloadError(f"{self.name}: {actual} bytes on disk, the server announced {self.size}")
        if self.missing():
            raise DownloadError(f"{self.name}: ranges never written: {self.missing()}")
        os.replace(self.path, self.final)
        os.remove(self.sidecar)

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


def _file_path(entry: Mapping[str, Any], checkpoint_id: str) -> str:
    url = entry.get("url") or f"{ENDPOINT}/{checkpoint_id}/{entry['name']}"
    parts = urlsplit(url)  # absolute or relative: only the path (and query) is kept
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _head(servers: _Servers, path: str, name: str, size: int, timeout, api_key: str | None = None) -> str | None:
    """The file's ETag (and a check of its size) from the first server that answers HEAD."""
    errors = []
    for i, base in enumerate(servers.urls):
        try:
            response = requests.head(base + path, headers=_headers(api_key), timeout=timeout, allow_redirects=True)
        except requests.ConnectionError as e:
            servers.mark_down(i)
            errors.append(f"{base}: {e}")
            continue
        except requests.RequestException as e:
            errors.append(f"{base}: {e}")
            continue
        if response.status_code != 200:
            errors.append(f"{base}: HEAD answered {response.status_code}")
            continue
        length = response.headers.get("Content-Length")
        if length is not None and int(length) != size:
            raise DownloadError(f"{name}: HEAD {base}{path} says {length} bytes, the file list says {size}")
        return response.headers.get("ETag")
    raise DownloadError(f"{name}: no server answered HEAD {path}: " + "; ".join(errors))


def _load_manifest(directory: str) -> dict:
    try:
        with open(os.path.join(directory, MANIFEST), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def _save_manifest(directory: str, manifest: dict) -> None:
    path = os.path.join(directory, MANIFEST)
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)


class _Progress:
    def __init__(self, total: int, enabled: bool, callback: Callable[[int], None] | None):
        self.callback = callback
        self.bar = None
        self.enabled = enabled
        self.total, self.count, self._last = total, 0, 0.0
        self._lock = threading.Lock()
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self.bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc="download")

    def skip(self, n: int) -> None:  # bytes already on disk (resumed)
        with self._lock:
            self.count += n
            if self.bar is not None:
                self.bar.update(n)

    def add(self, n: int) -> None:
        if self.callback is not None:
            self.callback(n)
        with self._lock:
            self.count += n
            if self.bar is not None:
                self.bar.update(n)
            elif self.enabled and time.monotonic() - self._last >= 1.0:
                self._last = time.monotonic()
                print(f"\r{self.count / 2**20:,.0f} / {self.total / 2**20:,.0f} MiB", end="", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled:
            print(f"\r{self.count / 2**20:,.0f} / {self.total / 2**20:,.0f} MiB", file=sys.stderr)


def _fetch_range(
    session: requests.Session, base: str, path: str, part: _Part, start: int, end: int, timeout, progress, stop,
    api_key: str | None = None,
) -> int:
    """GET bytes [start, end) into part; returns how many bytes were written (all of them, or
    raises _RangeFailure after writing some: the caller continues from there)."""
    headers = _headers(api_key)
    headers["Range"] = f"bytes={start}-{end - 1}"
    if part.etag and not part.etag.startswith("W/"):
        headers["If-Range"] = part.etag  # only a strong validator may be used with If-Range
    where = f"{base}{path} bytes={start}-{end - 1}"
    written = 0
    try:
        with session.get(base + path, headers=headers, stream=True, timeout=timeout) as response:
            if response.status_code != 206:
                # 200 means the server ignored the Range or its bytes are not our ETag's.
                raise _RangeFailure(
                    f"{where}: status {response.status_code} (ETag {response.headers.get('ETag')}), want 206"
                )
            content_range = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if not content_range or tuple(map(int, content_range.groups())) != (start, end - 1, part.size):
                raise _RangeFailure(
                    f"{where}: Content-Range {response.headers.get('Content-Range')!r}, "
                    f"want 'bytes {start}-{end - 1}/{part.size}'"
                )
            if response.headers.get("Content-Length") not in (None, str(end - start)):
                raise _RangeFailure(f"{where}: Content-Length {response.headers['Content-Length']}, want {end - start}")
            if part.etag is not None and response.headers.get("ETag") != part.etag:
                raise _RangeFailure(f"{where}: ETag {response.headers.get('ETag')}, the other servers gave {part.etag}")
            raw = response.raw
            while written < end - start:
                if stop.is_set():
                    return written
                data = raw.read(min(_READ_SIZE, end - start - written), decode_content=False)
                if not data:
                    raise _RangeFailure(f"{where}: connection closed after {written} of {end - start} bytes")
                part.write(start + written, data)
                written += len(data)
                progress.add(len(data))
            return written
    except _RangeFailure as e:
        e.written = written
        raise
    except _NETWORK_ERRORS as e:
        failure = _RangeFailure(f"{where}: {type(e).__name__}: {e}")
        failure.written = written
        failure.connection = isinstance(e, requests.ConnectionError) and written == 0
        raise failure from e


def download_checkpoint(
    checkpoint: Mapping[str, Any],
    directory: str,
    *,
    servers: Sequence[str] | str | None = None,
    parallel: int = 4,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    retries: int = DEFAULT_RETRIES,
    progress: bool = False,
    timeout=DEFAULT_TIMEOUT,
    on_bytes: Callable[[int], None] | None = None,
    api_key: str | None = None,
) -> dict:
    """Fetch the files of an already created checkpoint (the body of ``POST /api/v1/checkpoints``)
    into ``directory``; see :func:`download`."""
    if parallel < 1:
        raise ValueError(f"parallel must be >= 1, got {parallel}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    if retries < 1:
        raise ValueError(f"retries must be >= 1, got {retries}")
    pool_servers = _Servers(_base_urls(servers))
    os.makedirs(directory, exist_ok=True)
    manifest = _load_manifest(directory)
    files = list(checkpoint["files"])
    total = sum(int(f["size"]) for f in files)
    meter = _Progress(total, progress, on_bytes)
    stop = threading.Event()
    local = threading.local()
    sessions: list[requests.Session] = []
    parts: list[_Part] = []
    tasks: list[tuple[_Part, str, int, int, int]] = []  # (part, path, start, end, preferred server)
    result_files = []
    failed_attempts = []  # one message per attempt that failed and was retried or gave up
    try:
        for entry in files:
            name, size = entry["name"], int(entry["size"])
            if os.path.basename(name) != name or name in ("", ".", ".."):
                raise DownloadError(f"the server named a file {name!r}, which is not a plain file name")
            path = _file_path(entry, checkpoint["id"])
            etag = _head(pool_servers, path, name, size, timeout, api_key)
            final = os.path.join(directory, name)
            result_files.append({"name": name, "size": size, "etag": etag, "path": final})
            known = manifest.get(name)
            if (
                etag is not None
                and known == {"etag": etag, "size": size}
                and os.path.isfile(final)
                and os.path.getsize(final) == size
            ):
                meter.skip(size)
                continue
            part = _Part(directory, name, size, etag)
            parts.append(part)
            meter.skip(size - sum(b - a for a, b in part.missing()))
            for gap_start, gap_end in part.missing():
                for start in range(gap_start, gap_end, chunk_size):
                    tasks.append((part, path, start, min(start + chunk_size, gap_end), len(tasks)))

        def session() -> requests.Session:
            if not hasattr(local, "session"):
                local.session = requests.Session()
                sessions.append(local.session)
            return local.session

        def run(task):
            part, path, start, end, preferred = task
            failures = []
            for attempt in range(retries):
                if stop.is_set():
                    return
                i = pool_servers.pick(preferred + attempt)
                try:
                    start += _fetch_range(
                        session(), pool_servers.urls[i], path, part, start, end, timeout, meter, stop, api_key
                    )
                    if start >= end:
                        part.completed(task[2], end)
                        return
                    return  # stopped
                except _RangeFailure as e:
                    start += getattr(e, "written", 0)
                    failures.append(str(e))
                    failed_attempts.append(str(e))
                    if getattr(e, "connection", False):
                        pool_servers.mark_down(i)
                    if attempt + 1 < retries:
                        time.sleep(min(0.1 * 2**attempt, 2.0))
            if start > task[2]:
                part.completed(task[2], start)
            raise DownloadError(
                f"{part.name}: bytes {start}-{end - 1} failed {retries} times: " + " | ".join(failures)
            )

        with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="initlab-download") as pool:
            futures = [pool.submit(run, t) for t in tasks]
            try:
                wait(futures, return_when=FIRST_EXCEPTION)
                for future in futures:
                    error = future.exception() if future.done() else None
                    if error is not None:
                        raise error
            except BaseException:
                stop.set()
                for future in futures:
                    future.cancel()
                raise
        for part in parts:
            part.finish()
            manifest[part.name] = {"etag": part.etag, "size": part.size}
            _save_manifest(directory, manifest)
    finally:
        stop.set()
        for part in parts:
            part.close()
        for open_session in sessions:
            open_session.close()
        meter.close()
    return {
        "id": checkpoint["id"],
        "index": checkpoint.get("index"),
        "files": result_files,
        "failed_attempts": failed_attempts,
    }


def download(
    spec: Mapping[str, Any],
    directory: str,
    *,
    servers: Sequence[str] | str | None = None,
    parallel: int = 4,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    retries: int = DEFAULT_RETRIES,
    progress: bool = False,
    timeout=DEFAULT_TIMEOUT,
    on_bytes: Callable[[int], None] | None = None,
    api_key: str | None = None,
) -> dict:
    """Create the checkpoint of ``spec`` (the body of ``/initializations``, plus an optional
    ``max_shard_size``) and fetch its files into ``directory`` with ``parallel`` threads, in
    ranges of ``chunk_size`` bytes spread round-robin over ``servers`` (one URL or a list; the
    default is ``$INITLAB_URL``). Each range is tried at most ``retries`` times, on a different
    server each time when there are several. ``on_bytes(n)`` is called (in worker threads) for
    every n bytes received. Returns ``{"id", "index", "files": [{"name", "size", "etag",
    "path"}], "failed_attempts": [message, ...]}`` (the range attempts that failed and were
    retried); raises :class:`DownloadError` (partial files stay for a resume). ``api_key`` is sent
    as ``X-API-Key`` (default: ``$INITLAB_API_KEY`` when set)."""
    checkpoint = create_checkpoint(spec, servers, timeout, api_key)
    return download_checkpoint(
        checkpoint,
        directory,
        servers=servers,
        parallel=parallel,
        chunk_size=chunk_size,
        retries=retries,
        progress=progress,
        timeout=timeout,
        on_bytes=on_bytes,
        api_key=api_key,
    )


_UNITS = {"": 1, "b": 1, "k": 1024, "kib": 1024, "m": 1024**2, "mib": 1024**2, "g": 1024**3, "gib": 1024**3}


def _size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", text)
    if not match or match.group(2).lower() not in _UNITS:
        raise argparse.ArgumentTypeError(f"{text!r}: want bytes, or a number with KiB, MiB or GiB")
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command line's arguments (``python3 -m initlab_download`` and ``initlab download``)."""
    parser.add_argument("spec", help="the request as JSON (the body of /initializations), '-' for stdin")
    parser.add_argument("directory", help="where the files go (created if missing)")
    parser.add_argument(
        "--server", action="append", dest="servers", metavar="URL", help="a replica (repeat; default $INITLAB_URL)"
    )
    parser.add_argument(
        "--resolve", action="store_true", help="expand each server's host name to all its addresses (headless Service)"
    )
    parser.add_argument("--parallel", type=int, default=4, help="concurrent range requests (default 4)")
    parser.add_argument("--chunk-size", type=_size, default=DEFAULT_CHUNK_SIZE, help="bytes per range (default 32MiB)")
    parser.add_argument("--retries", type=int, default=DEFAULT_RETRIES, help="attempts per range (default 5)")
    parser.add_argument("--max-shard-size", help='shard size, Hugging Face units (e.g. "1GB"); sets the spec\'s')
    parser.add_argument("--progress", action="store_true", help="show a progress bar (tqdm)")


def run(args: argparse.Namespace, prog: str = "initlab_download") -> int:
    """Run the parsed command line; 0, or 1 with the reason on stderr."""
    try:
        with sys.stdin if args.spec == "-" else open(args.spec, encoding="utf-8") as f:
            spec = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{prog}: cannot read the spec {args.spec}: {e}", file=sys.stderr)
        return 1
    if args.max_shard_size:
        spec["max_shard_size"] = args.max_shard_size
    servers = args.servers
    if servers and args.resolve:
        servers = [url for server in servers for url in replica_urls(server)]
    started = time.monotonic()
    try:
        result = download(
            spec,
            args.directory,
            servers=servers,
            parallel=args.parallel,
            chunk_size=args.chunk_size,
            retries=args.retries,
            progress=args.progress,
        )
    except (DownloadError, ValueError) as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    total = sum(f["size"] for f in result["files"])
    for f in result["files"]:
        print(f"{f['size']:>14,}  {f['path']}")
    failed = result["failed_attempts"]
    if failed:
        print(f"{len(failed)} range attempts failed and were retried, the first: {failed[0]}")
    print(f"{len(result['files'])} files, {total:,} bytes in {elapsed:.1f} s ({total / 2**20 / max(elapsed, 1e-9):,.0f} MiB/s)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m initlab_download",
        description="Download an initlab checkpoint with parallel Range requests over one or more servers.",
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))

if __name__ == "__main__":
    sys.exit(main())
