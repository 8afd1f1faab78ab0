"""Client wall time of fetching a 4096x4096 float32 kaiming_normal tensor from initlab (request ->
np.load) against generating it locally with NumPy and PyTorch, in one run on the same machine.

Usage: INITLAB_URL=http://127.0.0.1:18080 python3 bench/e2e_vs_local.py [--repeat 15]
(bench/run_e2e.sh starts the packaged server and calls this.)
"""
import argparse
import io
import json
import math
import os
import statistics
import time

import numpy as np
import requests

SIDE = 4096
STD = math.sqrt(2.0) / math.sqrt(SIDE)  # kaiming_normal, fan_in 4096, gain sqrt(2)


def timed(fn, repeat):
    fn()  # warm-up (connection, JIT, page cache)
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples), min(samples), max(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    url = os.environ.get("INITLAB_URL", "http://127.0.0.1:18080").rstrip("/")
    session = requests.Session()
    spec = {"seed": 1, "dtype": "float32", "init": {"weight": {"scheme": "kaiming_normal"}},
            "layers": [{"name": "w", "type": "tensor", "shape": [SIDE, SIDE]}]}

    def fetch():
        r = session.post(url + "/api/v1/initializations?format=npy", json=spec)
        r.raise_for_status()
        a = np.load(io.BytesIO(r.content))
        assert a.shape == (SIDE, SIDE) and a.dtype == np.float32
        return a

    a = fetch()
    assert abs(float(a.std()) - STD) / STD < 0.01, a.std()

    rng = np.random.default_rng()

    def numpy_local():
        return rng.standard_normal((SIDE, SIDE), dtype=np.float32) * np.float32(STD)

    results = {"initlab_fetch_npy": timed(fetch, args.repeat),
               "numpy_default_rng": timed(numpy_local, args.repeat)}
    try:
        import torch

        def torch_local():
            w = torch.empty(SIDE, SIDE)
            torch.nn.init.kaiming_normal_(w)
            return w

        results["torch_kaiming_normal_(%d threads)" % torch.get_num_threads()] = timed(torch_local, args.repeat)
        torch.set_num_threads(1)
        results["torch_kaiming_normal_(1 thread)"] = timed(torch_local, args.repeat)
    except ImportError:
        pass

    base = results["numpy_default_rng"][0]
    print("| what | median s | min s | max s | / numpy |")
    print("|---|---|---|---|---|")
    for name, (med, lo, hi) in results.items():
        print(f"| {name} | {med:.4f} | {lo:.4f} | {hi:.4f} | {med / base:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({k: {"median": v[0], "min": v[1], "max": v[2]} for k, v in results.items()}, f, indent=2)


if __name__ == "__main__":
    main()
