"""The course's planar experiment (400-point flower, 2-4-1 tanh/sigmoid, full-batch gradient
descent, learning rate 1.2, 10000 iterations) timed in initlab against the same network and
iterations in NumPy (the course's vectorised implementation), in one run on the same machine.

Usage: INITLAB_URL=http://127.0.0.1:18085 python3 bench/planar_vs_numpy.py [--repeat 3] [--server-warmup N]

--server-warmup N first sends N one-iteration experiments, so that the JIT has compiled the
server's request path (HTTP, JSON, validation) as on a server that has been serving for a
while; without it the client wall time includes that warm-up.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
import requests

ITERATIONS = 10000


def planar_dataset():
    np.random.seed(1)
    m, n, a = 400, 200, 4
    x = np.zeros((m, 2))
    y = np.zeros((m, 1), dtype="uint8")
    for j in range(2):
        ix = range(n * j, n * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, n) + np.random.randn(n) * 0.2
        r = a * np.sin(4 * t) + np.random.randn(n) * 0.2
        x[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[ix] = j
    return x.T, y.T


def numpy_train(x, y, hidden=4, iterations=ITERATIONS, lr=1.2):
    np.random.seed(2)
    w1 = np.random.randn(hidden, 2) * 0.01
    b1 = np.zeros((hidden, 1))
    w2 = np.random.randn(1, hidden) * 0.01
    b2 = np.zeros((1, 1))
    m = x.shape[1]
    cost = None
    for i in range(iterations + 1):
        z1 = w1 @ x + b1
        a1 = np.tanh(z1)
        z2 = w2 @ a1 + b2
        a2 = 1 / (1 + np.exp(-z2))
        if i % 1000 == 0:
            cost = float(np.mean(np.maximum(z2, 0) - z2 * y + np.log1p(np.exp(-np.abs(z2)))))
        if i == iterations:
            break
        dz2 = a2 - y
        dw2 = dz2 @ a1.T / m
        db2 = dz2.sum(axis=1, keepdims=True) / m
        dz1 = (w2.T @ dz2) * (1 - a1 ** 2)
        dw1 = dz1 @ x.T / m
        db1 = dz1.sum(axis=1, keepdims=True) / m
        w1 -= lr * dw1
        b1 -= lr * db1
        w2 -= lr * dw2
        b2 -= lr * db2
    return cost


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server-warmup", type=int, default=0,
                        help="one-iteration experiments sent before measuring")
    args = parser.parse_args()
    url = os.environ.get("INITLAB_URL", "http://127.0.0.1:18085").rstrip("/")
    x, y = planar_dataset()
    spec = {"seed": 1, "rng": "numpy_legacy",
            "dataset": {"name": "planar_flower", "n_samples": 400},
            "model": {"hidden_layers": [4], "activation": "tanh", "output": "sigmoid"},
            "training": {"optimizer": "gd", "learning_rate": 1.2, "iterations": ITERATIONS, "record_every": 1000},
            "policies": [{"label": "small random", "seed": 2,
                          "init": {"weight": {"scheme": "normal", "std": 0.01}, "bias": {"scheme": "zeros"}}}]}
    session = requests.Session()
    if args.server_warmup > 0:
        short = json.loads(json.dumps(spec))
        short["training"].update(iterations=1, record_every=1)
        for _ in range(args.server_warmup):
            session.post(url + "/api/v1/experiments", json=short, headers={"Prefer": "wait=60"}).raise_for_status()
    numpy_times, wall_times, server_times = [], [], []
    for _ in range(args.repeat + 1):  # the first round warms up both sides
        t0 = time.perf_counter()
        cost_np = numpy_train(x, y)
        numpy_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        r = session.post(url + "/api/v1/experiments", json=spec, headers={"Prefer": "wait=120"})
        wall_times.append(time.perf_counter() - t0)
        r.raise_for_status()
        body = r.json()
        assert body["status"] == "succeeded", body["status"]
        server_times.append(body["duration_ms"] / 1000)
        cost_il = body["results"][0]["final"]["loss"]
    numpy_s = statistics.median(numpy_times[1:])
    wall_s = statistics.median(wall_times[1:])
    server_s = statistics.median(server_times[1:])
    print(f"final cost: numpy {cost_np:.6f}, initlab {cost_il:.6f}")
    print("| what | median s | NumPy / this |")
    print("|---|---|---|")
    print(f"| NumPy, course implementation | {numpy_s:.3f} | 1.0 |")
    print(f"| initlab, training time (duration_ms) | {server_s:.3f} | {numpy_s / server_s:.1f} |")
    print(f"| initlab, client wall time (POST, Prefer: wait) | {wall_s:.3f} | {numpy_s / wall_s:.1f} |")
    print(json.dumps({"numpy_s": numpy_s, "initlab_training_s": server_s, "initlab_wall_s": wall_s,
                      "rounds": {"numpy_s": [round(t, 4) for t in numpy_times],
                                 "initlab_training_s": server_times,
                                 "initlab_wall_s": [round(t, 4) for t in wall_times]}}))


if __name__ == "__main__":
    main()
