#!/usr/bin/env python3
"""Residual blocks in PyTorch, for initlab's residual propagation (API.md section 8).

Writes residual_propagation.json (run from this folder: python3 make_residual_propagation.py;
needs torch and numpy). ResidualPropagationTests (src/test/java/dev/initlab/propagation) reads it.

For each norm (none, pre_ln, post_ln) and activation (tanh, relu), a stack of 3 blocks of width
6 with 2-layer branches and alpha 0.7 is run in float64 on a batch of 4 samples:
block: x <- alpha*x + f(x), pre_ln: x <- alpha*x + f(LN(x)), post_ln: x <- LN(alpha*x + f(x)),
f = W2 phi(W1 u + b1) + b2 with torch.nn.Linear, LN = torch.nn.LayerNorm(width) at its init
(weight 1, bias 0, eps 1e-5). The fixture holds the weights ([out, in] row-major), the biases,
the input x and the output gradient g (both [width][batch], units by samples, as initlab holds
them), every block's output, and autograd's gradient of sum(g * output) with respect to the
input of the last block and of the first one.
"""
import platform

import numpy as np
import torch

import fixture_json

WIDTH, BATCH, BLOCKS, M, ALPHA = 6, 4, 3, 2, 0.7


def case(norm, activation, seed):
    rng = np.random.default_rng(seed)
    weights = [rng.uniform(-0.6, 0.6, size=(WIDTH, WIDTH)) for _ in range(BLOCKS * M)]
    biases = [rng.uniform(-0.1, 0.1, size=WIDTH) for _ in range(BLOCKS * M)]
    x = rng.standard_normal((BATCH, WIDTH))
    g = rng.standard_normal((BATCH, WIDTH))
    phi = {"tanh": torch.tanh, "relu": torch.relu}[activation]
    ln = torch.nn.LayerNorm(WIDTH, dtype=torch.float64)
    linears = []
    for w, b in zip(weights, biases):
        layer = torch.nn.Linear(WIDTH, WIDTH, dtype=torch.float64)
        with torch.no_grad():
            layer.weight.copy_(torch.from_numpy(w))
            layer.bias.copy_(torch.from_numpy(b))
        linears.append(layer)

    def branch(b, u):
        for j in range(M):
            u = linears[b * M + j](u)
            if j < M - 1:
                u = phi(u)
        return u

    def block(b, x):
        if norm == "pre_ln":
            return ALPHA * x + branch(b, ln(x))
        s = ALPHA * x + branch(b, x)
        return ln(s) if norm == "post_ln" else s

    inputs, outputs = [], []
    h = torch.tensor(x, requires_grad=True)
    for b in range(BLOCKS):
        h.retain_grad()
        inputs.append(h)
        h = block(b, h)
        outputs.append(h)
    (h * torch.from_numpy(g)).sum().backward()
    t = lambda a: np.asarray(a).T.tolist()  # [batch, width] -> [width][batch]
    return {
        "norm": norm, "activation": activation, "alpha": ALPHA, "branch_layers": M,
        "weights": [w.reshape(-1).tolist() for w in weights], "biases": [b.tolist() for b in biases],
        "x": t(x), "g": t(g),
        "outputs": [t(o.detach().numpy()) for o in outputs],
        "grad_last_input": t(inputs[-1].grad.numpy()), "grad_input": t(inputs[0].grad.numpy()),
    }


cases = [case(norm, activation, 100 + 10 * i + k) for i, norm in enumerate(["none", "pre_ln", "post_ln"])
         for k, activation in enumerate(["tanh", "relu"])]
with open("residual_propagation.json", "w") as out:
    out.write(fixture_json.dump({"generator": f"make_residual_propagation.py, torch {torch.__version__}, "
                                              f"numpy {np.__version__}, Python {platform.python_version()}",
                                 "cases": cases}))
