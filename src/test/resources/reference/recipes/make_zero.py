#!/usr/bin/env python3
"""Writes zero.json: ZerO initialization (Zhao, Schaefer and Anandkumar 2022, "ZerO
Initialization: Initializing Neural Networks with only Zeros and Ones", TMLR,
arXiv:2110.12661), written from the paper, not from initlab's code.

Algorithm 1, for a weight W in R^{P x Q} (P = out rows, Q = in columns):
  P = Q: W = I                      (identity)
  P < Q: W = I*                     (partial identity, Definition 1: ones at [i, i])
  P > Q: W = c I* H_m I*,  m = ceil(log2 P),  c = 2^(-(m-1)/2)
where H_m is the Hadamard matrix of size 2^m (Definition 2, Sylvester's construction,
which scipy.linalg.hadamard builds) and I* H_m I* is its top-left P x Q block.
Algorithm 2 (convolution, kernel k): K[:, :, n, n] = that matrix for c_out x c_in,
n = floor(k / 2), zero elsewhere; for 1-D and 3-D kernels the same at the centre of every
spatial axis.

The authors' example notebook (github.com/jiaweizzhao/ZerO-initialization,
example_mnist.ipynb, ZerO_Init_on_matrix) computes
eye(m, p) @ hadamard(p) / 2**(clog_m / 2) @ eye(p, n), i.e. c = 2^(-m/2): the
"notebook" variant, written here too (it differs from the paper exactly in the tall case,
by a factor sqrt(2)).

c is checked to be the correctly rounded value of 2^(-e/2) (exact rational arithmetic on
its square), so the Java side, which builds c from an exact power of two and sqrt(1/2),
must match bit for bit.

Run from this folder:  python3 make_zero.py      (needs numpy and scipy)
ZerOTests (src/test/java/dev/initlab/init) reads the fixture.
"""

import math
import os
import sys
from fractions import Fraction

import numpy as np
import scipy
from scipy.linalg import hadamard

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import dump  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "zero.json")

# (label, PyTorch weight shape [out, in, *k])
SHAPES = [
    ("square 4x4", [4, 4]),
    ("wide 3x5", [3, 5]),
    ("tall 8x4", [8, 4]),
    ("tall 6x3", [6, 3]),
    ("tall 10x4", [10, 4]),
    ("tall 5x2", [5, 2]),
    ("tall 2x1", [2, 1]),
    ("square 16x16", [16, 16]),
    ("tall 33x7", [33, 7]),
    ("conv2d 3x3 tall [6, 3, 3, 3]", [6, 3, 3, 3]),
    ("conv2d 3x3 wide [2, 4, 3, 3]", [2, 4, 3, 3]),
    ("conv1d [5, 5, 3]", [5, 5, 3]),
    ("conv1d tall [12, 5, 5]", [12, 5, 5]),
    ("conv3d tall [4, 2, 3, 3, 3]", [4, 2, 3, 3, 3]),
]

C_EXPONENT = {"paper": lambda m: -(m - 1) / 2, "notebook": lambda m: -m / 2}


def correctly_rounded(c, e2):
    """Asserts that float c is the double nearest to 2^(e2/2) (e2 an integer), comparing
    squares exactly: c is nearest iff the midpoints to its neighbours bracket the value."""
    target = Fraction(2) ** e2  # c^2 should approximate this
    lo = (Fraction(c) + Fraction(np.nextafter(c, 0.0))) / 2
    hi = (Fraction(c) + Fraction(np.nextafter(c, math.inf))) / 2
    assert lo * lo < target < hi * hi, (c, e2)


def zero_matrix(p, q, variant):
    if p == q:
        return np.eye(p), None, None
    if p < q:
        w = np.zeros((p, q))
        w[np.arange(p), np.arange(p)] = 1.0
        return w, None, None
    m = int(math.ceil(math.log2(p)))
    assert 2 ** (m - 1) < p <= 2 ** m
    c = 2.0 ** C_EXPONENT[variant](m)
    correctly_rounded(c, -(m - 1) if variant == "paper" else -m)
    h = hadamard(2 ** m).astype(np.float64)
    i_left = np.eye(p, 2 ** m)   # I*: P x 2^m
    i_right = np.eye(2 ** m, q)  # I*: 2^m x Q
    w = c * (i_left @ h @ i_right)
    return w, m, c


def zero_weight(shape, variant):
    p, q = shape[0], shape[1]
    w2, m, c = zero_matrix(p, q, variant)
    if len(shape) == 2:
        return w2, m, c
    w = np.zeros(shape)
    centre = tuple(k // 2 for k in shape[2:])
    w[(slice(None), slice(None)) + centre] = w2
    return w, m, c


def main():
    cases = []
    for label, shape in SHAPES:
        for variant in ("paper", "notebook"):
            w, m, c = zero_weight(shape, variant)
            cases.append({
                "label": label,
                "shape": shape,
                "variant": variant,
                "m": m,
                "c": c,
                "values": [float(v) for v in w.reshape(-1)],
            })
    fixture = {
        "generator": "make_zero.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": cases,
    }
    with open(OUT, "w") as f:
        f.write(dump(fixture))
    print("wrote", OUT, len(cases), "cases")


if __name__ == "__main__":
    main()
