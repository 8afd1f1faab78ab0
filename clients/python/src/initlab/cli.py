"""The ``initlab`` command (also ``python3 -m initlab``).

    initlab generate SPEC.json -o model.safetensors [--format safetensors|npy|npz|json] [--tensor NAME]
    initlab download SPEC.json DIR --server URL [--server URL ...] --parallel 8 [--progress]
    initlab metadata SPEC.json

``SPEC.json`` is the request body of ``POST /api/v1/initializations`` (``-`` reads stdin). The
server is ``--url`` (``--server`` for download), else ``$INITLAB_URL``, else
``http://localhost:8080``; ``$INITLAB_API_KEY`` is sent as ``X-API-Key``. A refused request
prints the server's problem detail on stderr and exits with 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Sequence

from . import _download, _wire
from ._client import FORMATS, Client, InitlabError, _Bar, _content_length

__all__ = ["main"]

_EXTENSIONS = {".safetensors": "safetensors", ".npy": "npy", ".npz": "npz", ".json": "json"}


class _Failure(Exception):
    """A reason to exit with 1, printed on stderr."""


def _read_spec(path: str) -> Any:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise _Failure(f"cannot read the spec {path}: {e}") from e


def _format_of(path: str, given: str | None) -> str:
    if given:
        return given
    extension = os.path.splitext(path)[1].lower()
    if extension not in _EXTENSIONS:
        raise _Failure(f"cannot tell the format from {path!r}: name it *.safetensors, *.npy, *.npz or *.json, "
                       f"or pass --format")
    return _EXTENSIONS[extension]


def _stream_to_file(client: Client, spec: Any, fmt: str, tensor: str | None, path: str, progress: bool) -> int:
    """The response body, byte for byte, into ``path`` (written beside it, renamed when whole)."""
    response = client._post(spec, fmt, tensor, None)
    length = _content_length(response)
    partial = path + ".part"
    written = 0
    try:
        with open(partial, "wb") as out, _Bar(progress, length, os.path.basename(path)) as bar:
            def copy(body: _wire.Readable, _: int | None) -> int:
                chunk = memoryview(bytearray(_wire.CHUNK))
                count = 0
                while True:
                    n = body.readinto(chunk)
                    if not n:
                        return count
                    out.write(chunk[:n])
                    count += n
                    if bar.update is not None:
                        bar.update(n)

            written = client._read(response, copy)
        if length is not None and written != length:
            raise _wire.BodyError(f"the response ended after {written} of its {length} bytes (truncated body)")
        os.replace(partial, path)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    return written


def _generate(args: argparse.Namespace) -> int:
    spec = _read_spec(args.spec)
    fmt = _format_of(args.output, args.format)
    with Client(args.url) as client:
        written = _stream_to_file(client, spec, fmt, args.tensor, args.output, args.progress)
    print(f"{written:,} bytes  {args.output}", file=sys.stderr)
    return 0


def _metadata(args: argparse.Namespace) -> int:
    spec = _read_spec(args.spec)
    with Client(args.url) as client:
        meta = client.metadata(spec)
    json.dump(meta, sys.stdout, indent=2)
    print()
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="initlab", description="Initialized parameters from an initlab server.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser("generate", help="generate the tensors of SPEC.json into a file",
                                   description="Stream the tensors of SPEC.json into FILE, byte for byte as the "
                                               "server sends them.")
    generate.add_argument("spec", help="the request as JSON (the body of /initializations), '-' for stdin")
    generate.add_argument("-o", "--output", required=True, metavar="FILE", help="where the body goes")
    generate.add_argument("--format", choices=FORMATS, help="default: from FILE's extension")
    generate.add_argument("--tensor", metavar="NAME", help="only this tensor (needed for npy when there are several)")
    generate.add_argument("--url", help="the server (default $INITLAB_URL, else http://localhost:8080)")
    generate.add_argument("--progress", action="store_true", help="show a progress bar (tqdm)")
    generate.set_defaults(run=_generate)

    download = commands.add_parser("download", help="download a checkpoint with parallel Range requests",
                                   description="Download an initlab checkpoint with parallel, resumable Range "
                                               "requests over one or more servers.")
    _download.add_arguments(download)
    download.set_defaults(run=lambda args: _download.run(args, "initlab download"))

    metadata = commands.add_parser("metadata", help="print the resolved init of every tensor (JSON)",
                                   description="Print the safetensors __metadata__ of SPEC.json (seed, rng, and "
                                               "init.<tensor> decoded), reading only the header.")
    metadata.add_argument("spec", help="the request as JSON, '-' for stdin")
    metadata.add_argument("--url", help="the server (default $INITLAB_URL, else http://localhost:8080)")
    metadata.set_defaults(run=_metadata)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``initlab`` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except InitlabError as e:
        print(f"initlab {args.command}: {e}", file=sys.stderr)
    except (_Failure, _wire.BodyError, OSError, TypeError, ValueError) as e:
        print(f"initlab {args.command}: {e}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
