"""PyTorch's side of OrthogonalBenchmark: torch.nn.init.orthogonal_ on a float32 n x n tensor.

Run it right before or after the JMH benchmark (docs/PERFORMANCE.md), on the same machine, at
PyTorch's default thread count. Prints each round's wall and process CPU time and the median.

    python3 bench/orthogonal_torch.py            # 1024 x 7 rounds, 4096 x 3 rounds
    python3 bench/orthogonal_torch.py 1024:20    # side:rounds
"""

import statistics
import sys
import time

import torch


def main(args):
    sizes = [tuple(int(x) for x in a.split(":")) for a in args] or [(1024, 7), (4096, 3)]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for side, rounds in sizes:
        t = torch.empty(side, side)
        torch.nn.init.orthogonal_(t)  # warm-up
        walls = []
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            torch.nn.init.orthogonal_(t)
            walls.append(time.perf_counter() - wall)
            print(f"{side}: {1000 * walls[-1]:.0f} ms wall, {1000 * (time.process_time() - cpu):.0f} ms process CPU")
        print(f"{side}: median {1000 * statistics.median(walls):.0f} ms over {rounds} rounds")


if __name__ == "__main__":
    main(sys.argv[1:])
