#!/usr/bin/env python3
"""Writes tensor_formats.json: .npy and safetensors headers as NumPy and safetensors write
them. NpyTests and SafetensorsTests (src/test/java/dev/initlab/tensor) read it.

npy ("npy"): per dtype and shape, the header bytes (magic through the final newline) of
  numpy.lib.format.write_array_header_1_0 on the dict header_data_from_array_1_0 makes,
  which is what numpy.lib.format.write_array writes first (checked byte-equal on the
  shapes small enough to allocate; the large ones need no array). numel_fits_int64 says
  whether a tensor of the shape can exist (initlab refuses 2^63 elements or more).

  NumPy pads the dict with spare space for growing the first axis (21 characters less
  the first dimension's digits) before padding to 64 bytes with at least one space;
  initlab pads only to 64 bytes, as the format specifies. The bytes come out the same
  unless the dict is long enough for the spare space to cross a 64-byte boundary, which
  takes dimensions with more than 2^63 elements in all (the last case below).
  Each small case is also loaded back with np.load from header + data.

safetensors ("safetensors"): per case, the tensors (name, dtype, shape) in the order
  initlab writes them, the metadata in insertion order, and the header (length prefix
  through padding):
  * canonical cases -- tensor names sorted, one dtype -- hold the bytes safetensors
    itself writes (safetensors.torch.save, which sorts tensors by dtype alignment then
    name; serde_json, compact), except that safetensors orders metadata keys as a Rust
    HashMap iterates them (differently from run to run): with two or more keys the
    fixture holds them in the given order, checked here to be the same JSON, the same
    length and the same bytes from the end of the metadata on;
  * ordered cases keep initlab's order (the model's, as the spec allows: offsets need
    only cover the buffer without holes). Their header is built here the way initlab
    lays it out (metadata first, then tensors in the given order, contiguous offsets,
    compact JSON, spaces to a multiple of 8), and safetensors.numpy.load and safe_open
    must read every tensor back with its own values (distinct per tensor, so swapped
    offsets would show).

Run from this folder:  python3 tensor_formats.py     (needs numpy, torch, safetensors)
"""

import io
import json
import os
import struct
import sys

import numpy as np
import safetensors
import torch
from numpy.lib import format as npformat
from safetensors import safe_open
from safetensors.numpy import load as st_load
from safetensors.torch import save as st_save

from fixture_json import dump

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tensor_formats.json")

NPY_DTYPES = ["<f4", "<f8", "<f2"]
SMALL_SHAPES = [[], [1], [7], [0], [3, 4], [1, 1], [0, 3], [64, 3, 7, 7], [2, 3, 4, 5, 1, 1, 1, 2], [1000]]
LARGE_SHAPES = [
    [2147483647],
    [32768, 32768],
    [2147483647, 2147483647],
    [2147483647, 4, 1073741823],
    [123456789, 1, 2, 3, 4, 5, 6, 7],
    # a header past 128 bytes
    [2147483647] * 8,
    # NumPy's spare space for growing the first axis fills the 128 bytes to the newline
    # exactly, so NumPy pads with 64 more spaces (never with none): 192 bytes, where the
    # format's rule alone gives 128. Only shapes of more than 2^63 elements get there.
    [5, 1000, 1000, 1000, 1000, 1000, 1000, 100],
]

TORCH = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}
SIZE = {"F32": 4, "F64": 8, "F16": 2, "BF16": 2}


def npy_header(descr, shape):
    buf = io.BytesIO()
    npformat.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": tuple(shape)})
    return buf.getvalue()


def npy_cases():
    rows = []
    for descr in NPY_DTYPES:
        for shape in SMALL_SHAPES + LARGE_SHAPES:
            header = npy_header(descr, shape)
            if shape in SMALL_SHAPES:
                data = np.arange(int(np.prod(shape, dtype=np.int64)), dtype=np.dtype(descr)).reshape(shape)
                assert npformat.header_data_from_array_1_0(data) == {
                    "descr": descr, "fortran_order": False, "shape": tuple(shape)}
                buf = io.BytesIO()
                npformat.write_array(buf, data)
                assert buf.getvalue()[: len(header)] == header, (descr, shape)
                back = np.load(io.BytesIO(header + data.tobytes()), allow_pickle=False)
                assert back.dtype == data.dtype and back.shape == data.shape and np.array_equal(back, data)
            assert len(header) % 64 == 0 and header.endswith(b"\n")
            numel = 1
            for d in shape:
                numel *= d
            rows.append({"descr": descr, "shape": shape, "numel_fits_int64": numel < 2**63, "header": header.hex()})
    return rows


def tensor_values(i, dtype, shape):
    n = int(np.prod(shape, dtype=np.int64))
    return (torch.arange(n, dtype=torch.float64) + 100 * (i + 1)).reshape(shape).to(TORCH[dtype])


def layout(entries, metadata):
    """The header initlab writes: metadata first, tensors in order, compact, space-padded to 8."""
    header = {"__metadata__": metadata}
    offset = 0
    for e in entries:
        end = offset + int(np.prod(e["shape"], dtype=np.int64)) * SIZE[e["dtype"]]
        header[e["name"]] = {"dtype": e["dtype"], "shape": e["shape"], "data_offsets": [offset, end]}
        offset = end
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text


def check_loads(header, entries, tensors):
    data = b"".join(tensors[e["name"]].reshape(-1).view(torch.uint8).numpy().tobytes() for e in entries)
    blob = header + data
    if all(e["dtype"] != "BF16" for e in entries):
        loaded = st_load(blob)
        assert list(sorted(loaded)) == sorted(tensors)
        for name, t in tensors.items():
            assert np.array_equal(loaded[name], t.numpy()), name
    path = os.path.join(HERE, ".tensor_formats_check.safetensors")
    try:
        with open(path, "wb") as f:
            f.write(blob)
        with safe_open(path, framework="pt") as f:
            for name, t in tensors.items():
                assert torch.equal(f.get_tensor(name), t), name
            return f.metadata()
    finally:
        os.remove(path)


def safetensors_cases():
    init = json.dumps({"scheme": "kaiming_normal", "mode": "fan_in", "gain": 1.4142135623730951})
    cases = [
        ("canonical: one float32 tensor",
         [("weight", "F32", [3, 4])], {"dtype": "float32", "seed": "1"}),
        ("canonical: float64, a 0-d tensor", [("scale", "F64", [])], {"seed": "7"}),
        ("canonical: float16, a 1-element tensor", [("b", "F16", [1])], {"seed": "2"}),
        ("canonical: bfloat16", [("emb.weight", "BF16", [5, 3])], {"dtype": "bfloat16"}),
        ("canonical: empty metadata", [("w", "F32", [2])], {}),
        ("canonical: sorted names, one dtype, a metadata value holding JSON",
         [("fc1.bias", "F32", [4]), ("fc1.weight", "F32", [4, 3]), ("fc2.weight", "F32", [2, 4])],
         {"init.fc1.weight": init, "layout": "pytorch", "rng": "pytorch", "seed": "42"}),
        ("canonical: a name and a value needing JSON escapes, non-ASCII",
         [('caf\u00e9 "q" \\ w', "F32", [2, 2])], {"note": "line\nbreak, tab\t, \u00fc"}),
        ("ordered: the model's order, not sorted",
         [("fc2.weight", "F32", [2, 4]), ("fc1.weight", "F32", [4, 3]), ("fc1.bias", "F32", [4])],
         {"seed": "42", "rng": "pytorch", "dtype": "float32", "init.fc2.weight": init}),
        ("ordered: bfloat16 in the model's order",
         [("z", "BF16", [3]), ("a", "BF16", [2, 2])], {"seed": "3", "dtype": "bfloat16"}),
    ]
    rows = []
    for why, specs, metadata in cases:
        entries = [{"name": n, "dtype": d, "shape": s} for n, d, s in specs]
        tensors = {e["name"]: tensor_values(i, e["dtype"], e["shape"]) for i, e in enumerate(entries)}
        ours = layout(entries, metadata)
        if why.startswith("canonical"):
            written = st_save(tensors, metadata=metadata)
            n = struct.unpack("<Q", written[:8])[0]
            theirs = written[: 8 + n]
            # safetensors writes what initlab would write for these, but for the order of
            # the metadata keys (a Rust HashMap's, which changes from run to run)
            if len(metadata) <= 1:
                assert theirs == ours, (why, theirs, ours)
            else:
                assert len(theirs) == len(ours), why
                assert json.loads(theirs[8:]) == json.loads(ours[8:]), why
                meta_start = 8 + len(b'{"__metadata__":')
                meta_end = meta_start + len(json.dumps(metadata, separators=(",", ":"), ensure_ascii=False).encode())
                assert theirs[:meta_start] == ours[:meta_start] and theirs[meta_end:] == ours[meta_end:], why
            header = ours
        else:
            header = ours
            n = struct.unpack("<Q", header[:8])[0]
            assert header != st_save(tensors, metadata=metadata)[: 8 + n], "not a reordering case"
        assert check_loads(header, entries, tensors) == metadata, why
        rows.append({"why": why, "entries": entries, "metadata": metadata, "header": header.hex()})
    return rows


def main():
    fixture = {
        "generated_by": "tensor_formats.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "torch": torch.__version__,
                     "safetensors": safetensors.__version__},
        "npy": npy_cases(),
        "safetensors": safetensors_cases(),
    }
    with open(OUT, "w") as f:
        f.write(dump(fixture))
    print(f"{len(fixture['npy'])} npy headers, {len(fixture['safetensors'])} safetensors headers -> {OUT}")


if __name__ == "__main__":
    main()
