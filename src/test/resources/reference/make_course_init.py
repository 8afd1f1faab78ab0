"""What the deeplearning.ai notebooks' initializers draw, from NumPy itself.

Writes course_init.json (run from this folder: python3 make_course_init.py):
- course1_seed2: Course 1 week 3 `initialize_parameters(2, 4, 1)`: np.random.seed(2);
  W1 = randn(4, 2) * 0.01; b1 = zeros; W2 = randn(1, 4) * 0.01; b2 = zeros.
- course2_he_seed3: Course 2 "Initialization" `initialize_parameters_he([2, 10, 5, 1])`:
  np.random.seed(3); W_l = randn(n_l, n_{l-1}) * sqrt(2 / n_{l-1}); b_l = zeros.
- course2_random_seed3: `initialize_parameters_random([2, 10, 5, 1])`: np.random.seed(3); W_l = randn * 10.
- pcg64_seed5: default_rng(5): W1 = rng.standard_normal((3, 2)) * 0.5, W2 = rng.uniform(-1, 1, (2, 3)).
Values are float64 written with repr (round-trip exact).
"""
import json

import numpy as np


def he(seed, dims, scale=None):
    np.random.seed(seed)
    out = {}
    for l in range(1, len(dims)):
        factor = np.sqrt(2.0 / dims[l - 1]) if scale is None else scale
        out[f"W{l}"] = (np.random.randn(dims[l], dims[l - 1]) * factor).tolist()
    return out


def main():
    np.random.seed(2)
    course1 = {"W1": (np.random.randn(4, 2) * 0.01).tolist(), "W2": (np.random.randn(1, 4) * 0.01).tolist()}
    rng = np.random.default_rng(5)
    pcg = {"W1": (rng.standard_normal((3, 2)) * 0.5).tolist(), "W2": rng.uniform(-1, 1, (2, 3)).tolist()}
    data = {
        "numpy_version": np.__version__,
        "course1_seed2": course1,
        "course2_he_seed3": he(3, [2, 10, 5, 1]),
        "course2_random_seed3": he(3, [2, 10, 5, 1], scale=10.0),
        "pcg64_seed5": pcg,
    }
    with open("course_init.json", "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
