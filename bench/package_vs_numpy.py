"""The initlab package fetching a 4096x4096 float32 kaiming_normal tensor (64 MiB), usable as an
ndarray, against generating it locally with NumPy (and PyTorch), in one run, round by round.

Usage: bash bench/run.sh bench/package_vs_numpy.py          (starts the packaged server)
       INITLAB_URL=http://127.0.0.1:8080 PYTHONPATH=clients/python/src python3 bench/package_vs_numpy.py --repeat 15

Each round times every case once, in the same order, so that load from elsewhere on the machine
hits all of them alike; round 0 is a warm-up (connections, JIT, page cache) and is not counted.
Printed: the median, min and max wall time of each case, its ratio to (a), and the median CPU
time this process (for curl: the child) spent in it (user + system, from getrusage): on a
shared machine the wall times of the fetches move with the server's share of the cores, the
client's CPU time does not.

(a)  NumPy: np.random.default_rng(seed).standard_normal((4096, 4096), dtype=np.float32), the
     issue's baseline ("NumPy default_rng().standard_normal locally ~165 ms"): unit normals,
     not scaled. (a') is the same times the kaiming std, a kaiming_normal tensor as NumPy
     would make it (what bench/e2e_vs_local.py timed before this script replaced it).
(b)  initlab.Client.generate(spec, format="npy"): the package's zero-copy path, keep-alive.
(c)  the same with format="safetensors".
(d)  curl -s -o /dev/null of the npy (a new process and connection each time; no parsing).
(e)  torch.nn.init.kaiming_normal_ on a torch.empty(4096, 4096), all threads and 1 thread
     (when torch is importable).
(f)  raw HTTP: the same POST written on a plain socket, the body received with recv_into into
     one preallocated buffer: the fastest any Python client can take these bytes from this
     server, so (b) - (f) is what the package itself costs.
(g)  loopback: 64 MiB sent by a Python thread from memory and received the same way: what the
     network path costs here, without the server.
(h)  the old client path: requests.post(...).content then np.load (two copies).
"""
import argparse
import io
import json
import math
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

import numpy as np
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "clients", "python", "src"))  # this checkout's package first
import initlab  # noqa: E402

SIDE = 4096
STD = math.sqrt(2.0) / math.sqrt(SIDE)  # kaiming_normal, fan_in 4096, gain sqrt(2)
SIZE = SIDE * SIDE * 4
ENDPOINT = "/api/v1/initializations"


def spec():
    return {"seed": 1, "dtype": "float32", "init": {"weight": {"scheme": "kaiming_normal"}},
            "layers": [{"name": "w", "type": "tensor", "shape": [SIDE, SIDE]}]}


def check(array):
    assert array.shape == (SIDE, SIDE) and array.dtype == np.float32, (array.shape, array.dtype)
    return array


def raw_http(url, body):
    """POST on a plain socket; the body into one np.empty buffer with recv_into."""
    parts = urlsplit(url)

    def fetch():
        with socket.create_connection((parts.hostname, parts.port or 80)) as sock:
            sock.sendall(
                f"POST {ENDPOINT}?format=npy HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
                f"Accept-Encoding: identity\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                + body)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = sock.recv(65536)
                assert chunk, "the server closed before its headers ended"
                head += chunk
            header, rest = head.split(b"\r\n\r\n", 1)
            assert header.startswith(b"HTTP/1.1 200"), header[:200]
            length = next(int(line.split(b":", 1)[1]) for line in header.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            buffer = np.empty(length, dtype=np.uint8)
            view = memoryview(buffer)
            view[:len(rest)] = rest
            got = len(rest)
            while got < length:
                n = sock.recv_into(view[got:])
                assert n, f"the body ended after {got} of {length} bytes"
                got += n
            return buffer

    return fetch


class Loopback:
    """A thread that sends SIZE bytes from memory to each connection."""

    def __init__(self):
        self.payload = np.random.default_rng(0).integers(0, 255, SIZE, dtype=np.uint8).tobytes()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            conn, _ = self.listener.accept()
            with conn:
                conn.sendall(self.payload)

    def fetch(self):
        buffer = np.empty(SIZE, dtype=np.uint8)
        view = memoryview(buffer)
        with socket.create_connection(("127.0.0.1", self.port)) as sock:
            got = 0
            while got < SIZE:
                n = sock.recv_into(view[got:])
                assert n
                got += n
        return buffer


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="counted rounds (default 15), after one warm-up")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    url = initlab.base_url()
    client = initlab.Client(url)
    body = json.dumps(spec()).encode()
    rng = np.random.default_rng(1)

    first = client.generate(spec(), "npy")["w"]
    assert abs(float(first.std()) - STD) / STD < 0.01, first.std()
    assert np.array_equal(client.generate(spec(), "safetensors")["w"], first)

    cases = {
        "(a) NumPy standard_normal float32": lambda: check(rng.standard_normal((SIDE, SIDE), dtype=np.float32)),
        "(a') NumPy standard_normal float32 * std": lambda: check(
            rng.standard_normal((SIDE, SIDE), dtype=np.float32) * np.float32(STD)),
        "(b) initlab.generate npy": lambda: check(client.generate(spec(), "npy")["w"]),
        "(c) initlab.generate safetensors": lambda: check(client.generate(spec(), "safetensors")["w"]),
    }
    curl = shutil.which("curl")
    if curl:
        command = [curl, "-s", "-f", "-o", "/dev/null", "-H", "Content-Type: application/json", "--data-binary",
                   body.decode(), f"{url}{ENDPOINT}?format=npy"]
        cases["(d) curl -o /dev/null npy"] = lambda: subprocess.run(command, check=True)
    try:
        import torch

        threads = torch.get_num_threads()

        def torch_kaiming(n):
            def run():
                before = torch.get_num_threads()
                torch.set_num_threads(n)
                try:
                    w = torch.empty(SIDE, SIDE)
                    torch.nn.init.kaiming_normal_(w)
                    return w
                finally:
                    torch.set_num_threads(before)
            return run

        cases[f"(e) torch kaiming_normal_ ({threads} threads)"] = torch_kaiming(threads)
        if threads != 1:
            cases["(e) torch kaiming_normal_ (1 thread)"] = torch_kaiming(1)
    except ImportError:
        print("(torch is not importable: no (e))")
    raw = raw_http(url, body)
    assert raw().nbytes > SIZE
    cases["(f) raw HTTP socket, recv_into"] = raw
    loopback = Loopback()
    cases["(g) loopback 64 MiB, no server"] = loopback.fetch

    def old_client():
        r = requests.post(url + ENDPOINT, params={"format": "npy"}, json=spec())
        r.raise_for_status()
        return check(np.load(io.BytesIO(r.content)))

    cases["(h) requests .content + np.load"] = old_client

    samples = {name: [] for name in cases}
    cpu = {name: [] for name in cases}
    for round_ in range(args.repeat + 1):
        times = {}
        for name, fn in cases.items():
            who = resource.RUSAGE_CHILDREN if name.startswith("(d)") else resource.RUSAGE_SELF
            r0 = resource.getrusage(who)
            t0 = time.perf_counter()
            result = fn()
            times[name] = time.perf_counter() - t0
            r1 = resource.getrusage(who)
            del result
            if round_ > 0:
                samples[name].append(times[name])
                cpu[name].append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        print(json.dumps({"round": round_, **{k: round(v, 4) for k, v in times.items()}}), flush=True)

    base = statistics.median(samples["(a) NumPy standard_normal float32"])
    print(f"\n{args.repeat} rounds; bytes per fetch: npy {SIZE + 128:,}; loadavg {os.getloadavg()[0]:.1f}")
    print("| case | median s | min s | max s | / (a) | MB/s (64 MiB) | client CPU s |")
    print("|---|---|---|---|---|---|---|")
    results = {}
    for name, values in samples.items():
        median = statistics.median(values)
        cpu_median = statistics.median(cpu[name])
        results[name] = {"median": median, "min": min(values), "max": max(values), "ratio_to_a": median / base,
                         "cpu_median": cpu_median}
        print(f"| {name} | {median:.4f} | {min(values):.4f} | {max(values):.4f} | {median / base:.2f} "
              f"| {SIZE / median / 1e6:,.0f} | {cpu_median:.3f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
