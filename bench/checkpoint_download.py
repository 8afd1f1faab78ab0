"""Checkpoint download throughput and the cost of a range by its position (issue #15, item 6), in one
run against one server:

1. a 1 GiB file (model.safetensors of one 16384x16384 float32 tensor) downloaded with
   initlab_download (clients/python) in 1, 2 and 4 parallel ranges (the file cut into exactly
   that many ranges, one thread each), written to disk; MiB/s, the median of --repeat rounds;
2. time to first byte (and to the last) of a 1 MiB range at the start, the middle and the end of
   the first shard of LlamaConfig's defaults (7B parameters) sharded at 11 GB, a file of
   about 10.8 GB; medians of --repeat rounds, the positions interleaved within each round.
   Goal: the end costs within 2x of the start.

Usage: INITLAB_URL=http://127.0.0.1:18085 python3 bench/checkpoint_download.py [--repeat 5]
       BENCH_ARGS="--repeat 5" bash bench/run.sh bench/checkpoint_download.py   (starts the jar)
"""

import argparse
import http.client
import os
import shutil
import statistics
import sys
import tempfile
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python", "src"))

import initlab_download as dl  # noqa: E402

ONE_GIB = {"seed": 1, "layers": [{"name": "big", "type": "tensor", "shape": [16384, 16384], "role": "weight"}]}
LARGE = {
    "seed": 0,
    "model": {"architecture": "transformers/LlamaForCausalLM", "config": {}},
    "max_shard_size": "11GB",
}
MIB = 1024 * 1024


def parallel_rate(url, checkpoint, parallel, repeat):
    size = sum(f["size"] for f in checkpoint["files"])
    rates = []
    for _ in range(repeat):
        directory = tempfile.mkdtemp(prefix="initlab-bench-")
        try:
            started = time.perf_counter()
            dl.download_checkpoint(checkpoint, directory, servers=[url], parallel=parallel, chunk_size=-(-size // parallel))
            rates.append(size / MIB / (time.perf_counter() - started))
        finally:
            shutil.rmtree(directory)
    return statistics.median(rates), min(rates), max(rates)


def timed_range(url, path, start, length):
    """(seconds to the first body byte, seconds to the last) of one Range GET, new connection."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers={"Range": f"bytes={start}-{start + length - 1}"})
        response = connection.getresponse()
        assert response.status == 206, (response.status, response.read(300))
        first = response.read(1)
        ttfb = time.perf_counter() - started
        rest = len(first) + len(response.read())
        total = time.perf_counter() - started
        assert rest == length, (rest, length)
        return ttfb, total
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = (os.environ.get("INITLAB_URL") or dl.DEFAULT_URL).rstrip("/")

    checkpoint = dl.create_checkpoint(ONE_GIB, [url])
    size = sum(f["size"] for f in checkpoint["files"])
    print(f"1) {checkpoint['files'][0]['name']}: {size:,} bytes, from {url}, written under {tempfile.gettempdir()}")
    warm = tempfile.mkdtemp(prefix="initlab-bench-")
    dl.download_checkpoint(checkpoint, warm, servers=[url], parallel=1)  # warm-up: JIT, page cache
    shutil.rmtree(warm)
    print("   parallel ranges   MiB/s (median)   min-max")
    for parallel in (1, 2, 4):
        median, low, high = parallel_rate(url, checkpoint, parallel, args.repeat)
        print(f"   {parallel:>15}   {median:>14.0f}   {low:.0f}-{high:.0f}")

    large = dl.create_checkpoint(LARGE, [url])
    shard = large["files"][0]
    path = dl._file_path(shard, large["id"])
    positions = {"start": 0, "middle": (shard["size"] // 2) // MIB * MIB, "end": shard["size"] - MIB}
    print(f"2) 1 MiB ranges of {shard['name']} ({shard['size']:,} bytes) of LlamaConfig() at max_shard_size 11GB")
    for start in positions.values():  # warm-up
        timed_range(url, path, start, MIB)
    samples = {name: [] for name in positions}
    for _ in range(args.repeat):
        for name, start in positions.items():
            samples[name].append(timed_range(url, path, start, MIB))
    print("   position   offset            first byte ms   whole 1 MiB ms   (medians)")
    medians = {}
    for name, start in positions.items():
        ttfb = statistics.median(s[0] for s in samples[name]) * 1000
        total = statistics.median(s[1] for s in samples[name]) * 1000
        medians[name] = ttfb
        print(f"   {name:<8}   {start:>15,}   {ttfb:>13.1f}   {total:>14.1f}")
    ratio = medians["end"] / medians["start"]
    print(f"   end / start (first byte): {ratio:.2f} (goal <= 2): {'met' if ratio <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
