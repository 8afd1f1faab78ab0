"""PyTorch's side of OrthogonalBenchmark: torch.nn.init.orthogonal_ on a float32 n x n tensor.

Run it right before or after the JMH benchmark (docs/PERFORMANCE.md), on the same machine, at
PyTorch's default thread count; both take the same shapes (1024 and 4096), so the two can be run
in one go:

    ./mvnw -B -P bench -DskipTests exec:exec -Djmh.args="OrthogonalBenchmark -f 1 -wi 1 -i 3" \
        && python3 bench/orthogonal_torch.py

Prints each round's wall and process CPU time, the median, and the orthogonality of the last
result, max |Q^T Q - I| (Q^T Q in float64, of the float32 values), to compare with initlab's
float32 path (HouseholderQrTests bounds it by 64 * 2^-24).

    python3 bench/orthogonal_torch.py            # 1024 x 7 rounds, 4096 x 3 rounds
    python3 bench/orthogonal_torch.py 1024:20    # side:rounds
"""

import statistics
import sys
import time

import torch


def orthogonality_error(q):
    q = q.to(torch.float64)
    gram = q.T @ q
    return (gram - torch.eye(q.shape[1], dtype=torch.float64)).abs().max().item()


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
        print(f"{side}: median {1000 * statistics.median(walls):.0f} ms over {rounds} rounds, "
              f"max |Q^T Q - I| = {orthogonality_error(t):.2e}")


if __name__ == "__main__":
    main(sys.argv[1:])
