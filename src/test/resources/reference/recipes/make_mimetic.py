#!/usr/bin/env python3
"""Writes mimetic.json: mimetic initialization of self-attention (Trockman and Kolter 2023,
"Mimetic Initialization of Self-Attention Layers", ICML, arXiv:2305.09828), written from the
paper with NumPy, not from initlab's code.

The paper (row-vector convention, X in R^{n x d}, scores X W_q W_k^T X^T, values X W_v W_proj,
W_q, W_k in R^{d x k} per head, k = d / heads, W_v, W_proj in R^{d x d}) sets

  W_q W_k^T ~ alpha1 Z1 + beta1 I      per head,
  W_v W_proj ~ alpha2 Z2 - beta2 I     (d x d, all heads together, full rank),
  Z_i ~ N(0, I/d)  (entries of variance 1/d),  defaults alpha1 = beta1 = 0.7, alpha2 = beta2 = 0.4,

and splits each target by its SVD, M = U S V^T: W_q = U_k S_k^(1/2), W_k = V_k S_k^(1/2)
(the first k singular triplets, so W_q W_k^T is M's best rank-k approximation), and
W_v = U S^(1/2), W_proj = S^(1/2) V^T (all d).

Draw order (what initlab's Mimetic documents): one Z1 per head, head 0 first, each a d x d
row-major block of standard normals divided by sqrt(d), then Z2 the same way, all from
np.random.default_rng(seed).standard_normal (initlab's NumpyPcg64Stream reproduces it).

Recorded per case: the Z's, the target products of the paper (per head U_k S_k V_k^T of
alpha1 Z1 + beta1 I, and U S V^T of alpha2 Z2 - beta2 I) and their singular values (the
Java test derives its tolerance from the gap s_k - s_(k+1)).

Run from this folder:  python3 make_mimetic.py      (needs numpy)
MimeticTests (src/test/java/dev/initlab/recipes) reads the fixture.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import dump  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "mimetic.json")

ALPHA1, BETA1, ALPHA2, BETA2 = 0.7, 0.7, 0.4, 0.4
# (d, heads, seed)
CASES = [(16, 1, 2023), (16, 2, 7), (16, 4, 42)]


def flat(a):
    return [float(v) for v in np.asarray(a).reshape(-1)]


def main():
    cases = []
    for d, heads, seed in CASES:
        k = d // heads
        rng = np.random.default_rng(seed)
        z1 = [rng.standard_normal((d, d)) / np.sqrt(d) for _ in range(heads)]
        z2 = rng.standard_normal((d, d)) / np.sqrt(d)
        qk, qk_s = [], []
        for h in range(heads):
            m1 = ALPHA1 * z1[h] + BETA1 * np.eye(d)
            u, s, vt = np.linalg.svd(m1)
            w_q = u[:, :k] * np.sqrt(s[:k])       # d x k
            w_k = vt[:k, :].T * np.sqrt(s[:k])    # d x k
            qk.append(flat(w_q @ w_k.T))
            qk_s.append(flat(s))
        m2 = ALPHA2 * z2 - BETA2 * np.eye(d)
        u, s, vt = np.linalg.svd(m2)
        w_v = u * np.sqrt(s)                      # d x d
        w_proj = np.sqrt(s)[:, None] * vt         # d x d
        cases.append({
            "d_model": d,
            "heads": heads,
            "head_dim": k,
            "seed": seed,
            "alpha1": ALPHA1,
            "beta1": BETA1,
            "alpha2": ALPHA2,
            "beta2": BETA2,
            "z1": [flat(z) for z in z1],
            "z2": flat(z2),
            "qk": qk,
            "qk_singular_values": qk_s,
            "vo": flat(w_v @ w_proj),
            "vo_singular_values": flat(s),
        })
    fixture = {
        "generator": "make_mimetic.py",
        "numpy": np.__version__,
        "rng": "np.random.default_rng(seed).standard_normal",
        "cases": cases,
    }
    with open(OUT, "w") as f:
        f.write(dump(fixture))
    print("wrote", OUT, len(cases), "cases")


if __name__ == "__main__":
    main()
