#!/usr/bin/env python3
"""Writes tensor_dtypes.json: float64 values rounded to float32, float16 and bfloat16 by the
frameworks, and the stats NumPy reports for rounded tensors. DTypeTests and
TensorStatsTests (src/test/java/dev/initlab/tensor) read it.

Rounding cases ("cases"): one float64 input each, as raw bits, and
  f32, f16          the bits NumPy gives: np.float64(x).astype(np.float32 / np.float16)
                    (NumPy converts float64 straight to float16: one rounding);
  bf16              the bits of x rounded ONCE to bfloat16, to nearest, ties to even --
                    what initlab promises ("generated in float64 and rounded once");
  bf16_torch        the bits torch gives: torch.tensor(x, dtype=torch.float64)
                    .to(torch.bfloat16);
  f16_torch         the same for torch.float16;
  why               what the case probes.

No framework at hand rounds float64 to bfloat16 once: torch (and ml_dtypes) go through
float32, so a float64 value that float32 rounds onto a bfloat16 midpoint is rounded a
second time, ties to even. torch does the same from float64 to float16. The bf16 column is
therefore computed here exactly (fractions.Fraction, Python's round() on a Fraction rounds
half to even) and checked against the frameworks wherever they round once:
  * the same exact rounding reproduces NumPy's f32 and f16 bits for every case;
  * it reproduces torch's bfloat16 bits for every case's float32 value (torch rounds a
    float32 to bfloat16 once), i.e. bf16_torch == exact(f32(x));
  * and bf16_torch/f16_torch differ from the single rounding exactly on the cases
    flagged "double_rounding" (listed at the end of the run).
So the fixture records both answers and where torch's differs from initlab's promise.

Stats ("stats"): sets of float32-exact values (so torch's bfloat16 rounding of them is a
single rounding) and NumPy's mean, std (population, ddof=0), min and max of the values
after rounding to each dtype, rounded values taken from the frameworks (NumPy for
float32/float16, torch for bfloat16).

Run from this folder:  python3 tensor_dtypes.py     (needs numpy and torch)
Seeds are fixed; the output is deterministic for the versions recorded in the fixture.
"""

import math
import os
import struct
import sys
from fractions import Fraction

import numpy as np
import torch

from fixture_json import dump

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tensor_dtypes.json")

# (fraction bits, minimum normal exponent, maximum exponent)
FORMATS = {"f32": (23, -126, 127), "f16": (10, -14, 15), "bf16": (7, -126, 127)}


def bits64(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits64(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def exact_round(x, fmt):
    """x rounded once to the binary format, to nearest, ties to even; overflow to inf."""
    if x == 0 or not math.isfinite(x):
        return x
    fraction_bits, min_exp, max_exp = FORMATS[fmt]
    a = Fraction(abs(x))
    _, e = math.frexp(abs(x))
    quantum = max(e - 1, min_exp) - fraction_bits
    r = round(a / Fraction(2) ** quantum) * Fraction(2) ** quantum
    largest = (2 - Fraction(2) ** -fraction_bits) * Fraction(2) ** max_exp
    value = math.inf if r > largest else float(r)
    return math.copysign(value, x)


def f32_bits(v):
    return int(np.array([v], dtype=np.float32).view(np.uint32)[0])


def f16_bits(v):
    return int(np.array([v], dtype=np.float16).view(np.uint16)[0])


def bf16_bits(v):
    """The bit pattern of a value that is exactly a bfloat16 (or inf/NaN)."""
    return f32_bits(np.float32(v)) >> 16


def torch_bits(x, dtype):
    t = torch.tensor([x], dtype=torch.float64).to(dtype)
    return int(t.view(torch.int16)[0].item()) & 0xFFFF


def torch_bf16_of_f32(v):
    t = torch.tensor([v], dtype=torch.float32).to(torch.bfloat16)
    return int(t.view(torch.int16)[0].item()) & 0xFFFF


def p2(k):
    return math.ldexp(1.0, k)


def next_up(x):
    return float(np.nextafter(x, math.inf))


def next_down(x):
    return float(np.nextafter(x, -math.inf))


def named_cases():
    """(value, why): ties both ways, just off ties, subnormals, overflow, specials."""
    c = []
    f32_max = (2 - p2(-23)) * p2(127)
    f16_max = 65504.0
    bf16_max = (2 - p2(-7)) * p2(127)
    for fmt, one_ulp, smallest, min_normal, largest, top in [
        ("float32", p2(-23), p2(-149), p2(-126), f32_max, p2(127)),
        ("float16", p2(-10), p2(-24), p2(-14), f16_max, p2(15)),
        ("bfloat16", p2(-7), p2(-133), p2(-126), bf16_max, p2(127)),
    ]:
        half = one_ulp / 2
        threshold = largest + top * half  # midpoint between the largest finite and 2^(emax+1)
        c += [
            (1 + half, f"{fmt}: tie above 1 (even lower neighbour): stays 1"),
            (1 + 3 * half, f"{fmt}: tie above 1 + ulp (odd lower neighbour): rounds up"),
            (-(1 + half), f"{fmt}: negative tie, even lower magnitude"),
            (-(1 + 3 * half), f"{fmt}: negative tie, odd lower magnitude"),
            (next_up(1 + half), f"{fmt}: just above a tie: up"),
            (next_down(1 + half), f"{fmt}: just below a tie: down"),
            (next_down(1 + 3 * half), f"{fmt}: just below a tie with odd lower neighbour: down"),
            (2 - half / 2, f"{fmt}: rounds up into the next binade"),
            (2 - half, f"{fmt}: tie below 2: up to 2 (even)"),
            (largest, f"{fmt}: largest finite"),
            (largest + top * half / 2, f"{fmt}: between the largest finite and the overflow threshold"),
            (threshold, f"{fmt}: overflow threshold (a tie, 2^(emax+1) is even): inf"),
            (next_down(threshold), f"{fmt}: just below the overflow threshold: largest finite"),
            (-threshold, f"{fmt}: negative overflow threshold: -inf"),
            (largest * 2, f"{fmt}: far above overflow: inf"),
            (min_normal, f"{fmt}: smallest normal"),
            (min_normal - smallest, f"{fmt}: largest subnormal"),
            (min_normal - smallest / 2, f"{fmt}: tie between the largest subnormal (odd) and the smallest normal"),
            (min_normal - 3 * smallest / 2, f"{fmt}: tie between two subnormals, even lower"),
            (smallest, f"{fmt}: smallest subnormal"),
            (smallest / 2, f"{fmt}: half the smallest subnormal (tie): 0"),
            (-smallest / 2, f"{fmt}: negative half the smallest subnormal: -0"),
            (next_up(smallest / 2), f"{fmt}: just above half the smallest subnormal"),
            (3 * smallest / 2, f"{fmt}: tie above the smallest subnormal (odd): up"),
            (5 * smallest / 2, f"{fmt}: tie between subnormals 2 (even) and 3"),
            (smallest / 4, f"{fmt}: a quarter of the smallest subnormal: 0"),
        ]
    c += [
        # float64 -> float32 lands exactly on a bfloat16 midpoint, then ties to even
        (1 + p2(-8) + p2(-52), "double_rounding bfloat16: just above a tie, float32 makes it a tie: torch goes down"),
        (1 + p2(-8) + p2(-30), "double_rounding bfloat16: above a tie by 2^-30"),
        (1 + p2(-8) + p2(-24), "double_rounding bfloat16: above a tie by half a float32 ulp"),
        (1 + 3 * p2(-8) - p2(-40), "double_rounding bfloat16: just below a tie, odd lower: torch goes up"),
        (1 + p2(-8) + p2(-23), "bfloat16: above a tie by a whole float32 ulp: both up"),
        (next_down(bf16_max + p2(127) * p2(-8)), "double_rounding bfloat16: just below overflow: torch gives inf"),
        (p2(-134) + p2(-160), "double_rounding bfloat16: just above half the smallest subnormal: torch gives 0"),
        (1 + p2(-11) + p2(-40), "double_rounding float16 in torch (NumPy rounds once)"),
        (1 + 3 * p2(-11) - p2(-40), "double_rounding float16 in torch, odd lower (NumPy rounds once)"),
        (1 + p2(-24) + p2(-52), "float32: just above a tie"),
        # plain values
        (0.1, "0.1"), (-1 / 3, "-1/3"), (math.pi, "pi"), (math.e * 1e4, "e * 1e4"), (1e-10, "1e-10"),
        (-6.5e-5, "float16 normal/subnormal region"), (3e38, "near float32 max"), (1e300, "1e300"),
        (-1e-300, "-1e-300: -0"), (5e-324, "smallest float64 subnormal"),
        (0.0, "zero"), (-0.0, "negative zero"),
        (math.inf, "inf"), (-math.inf, "-inf"),
        (math.nan, "NaN"), (-math.nan, "NaN with the sign bit"),
    ]
    return c


def random_cases(rng):
    c = []
    # what initializers draw: normals across scales
    for v in rng.standard_normal(200) * 10.0 ** rng.uniform(-8, 6, 200):
        c.append((float(v), "random: normal times a random scale"))
    # any bit pattern with an exponent from below the bfloat16 subnormals to past overflow
    for _ in range(200):
        e = int(rng.integers(-150, 131))
        m = int(rng.integers(0, 2**52))
        sign = int(rng.integers(0, 2))
        c.append((from_bits64((sign << 63) | ((e + 1023) << 52) | m), "random: bit pattern"))
    # near bfloat16 and float16 midpoints, a few float64 ulps to a few float32 ulps off
    for _ in range(150):
        hi = int(rng.integers(0x0080, 0x7F7F))
        mid = np.array([(hi << 16) | 0x8000], dtype=np.uint32).view(np.float32)[0]
        off = int(rng.integers(-(2**30), 2**30))
        c.append((from_bits64(bits64(float(mid)) + off), "random: near a bfloat16 midpoint"))
    for _ in range(150):
        h = int(rng.integers(0x0001, 0x7BFF))
        lo = float(np.array([h], dtype=np.uint16).view(np.float16)[0])
        hi = float(np.array([h + 1], dtype=np.uint16).view(np.float16)[0])
        off = int(rng.integers(-(2**32), 2**32))
        c.append((from_bits64(bits64((lo + hi) / 2) + off), "random: near a float16 midpoint"))
    return c


def case_row(x, why):
    f32 = f32_bits(np.float64(x))
    f16 = f16_bits(np.float64(x))
    bf16 = bf16_bits(exact_round(x, "bf16"))
    f16_torch = torch_bits(x, torch.float16)
    bf16_torch = torch_bits(x, torch.bfloat16)
    if math.isnan(x):
        assert np.isnan(np.array([f32], dtype=np.uint32).view(np.float32)[0])
    else:
        # the exact rounding is NumPy's where NumPy rounds once
        assert f32 == f32_bits(exact_round(x, "f32")), (why, x)
        assert f16 == f16_bits(exact_round(x, "f16")), (why, x)
        # torch rounds a float32 to bfloat16 once, and that is the exact rounding
        x32 = float(np.float32(x))
        assert torch_bf16_of_f32(np.float32(x)) == bf16_bits(exact_round(x32, "bf16")), (why, x)
        # and from float64 torch goes through float32
        assert bf16_torch == bf16_bits(exact_round(x32, "bf16")), (why, x)
        assert f16_torch == f16_bits(exact_round(x32, "f16")), (why, x)
    # (NaN: torch drops the sign of a NaN it makes bfloat16; no rounding involved)
    differs = not math.isnan(x) and (bf16 != bf16_torch or f16 != f16_torch)
    if why.startswith("double_rounding"):
        assert differs, (why, x)
    elif differs:
        why = "double_rounding (found) " + why
    return {
        "x": f"{bits64(x):016x}",
        "f32": f"{f32:08x}",
        "f16": f"{f16:04x}",
        "bf16": f"{bf16:04x}",
        "f16_torch": f"{f16_torch:04x}",
        "bf16_torch": f"{bf16_torch:04x}",
        "why": why,
    }


def stats_sets(rng):
    def f32_exact(a):
        return np.asarray(a, dtype=np.float32).astype(np.float64)

    return [
        ("normal(0, 0.05)", f32_exact(rng.normal(0, 0.05, 1000))),
        ("uniform(-3, 3)", f32_exact(rng.uniform(-3, 3, 1000))),
        # float16 subnormals and underflow to zero
        ("normal(0, 1e-6)", f32_exact(rng.normal(0, 1e-6, 1000))),
        # a large mean: a one-pass E[x^2] - E[x]^2 cancels to noise here
        ("1000 + normal(0, 0.01)", f32_exact(1000 + rng.normal(0, 0.01, 1000))),
        ("all equal", f32_exact(np.full(100, 0.3))),
        ("one value", f32_exact([-2.5])),
    ]


def stats_row(label, values):
    rounded = {
        "float64": values,
        "float32": values.astype(np.float32).astype(np.float64),
        "float16": values.astype(np.float16).astype(np.float64),
        "bfloat16": torch.tensor(values.astype(np.float32)).to(torch.bfloat16).to(torch.float64).numpy(),
    }
    expected = {}
    for dtype, r in rounded.items():
        assert np.all(np.isfinite(r))
        if dtype == "bfloat16":
            assert all(exact_round(float(v), "bf16") == float(w) for v, w in zip(values, r))
        expected[dtype] = {
            "mean": float(np.mean(r)),
            "std": float(np.std(r)),
            "min": float(np.min(r)),
            "max": float(np.max(r)),
        }
    return {"label": label, "values": [f"{bits64(float(v)):016x}" for v in values], "expected": expected}


def main():
    np.seterr(over="ignore", under="ignore", invalid="ignore")
    rng = np.random.default_rng(20261205)
    rows = [case_row(x, why) for x, why in named_cases() + random_cases(rng)]
    stats = [stats_row(label, values) for label, values in stats_sets(rng)]
    fixture = {
        "generated_by": "tensor_dtypes.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "torch": torch.__version__},
        "cases": rows,
        "stats": stats,
    }
    with open(OUT, "w") as f:
        f.write(dump(fixture))
    double = [r for r in rows if r["why"].startswith("double_rounding")]
    print(f"{len(rows)} rounding cases, {len(double)} where torch's float64 -> float16/bfloat16 "
          f"(through float32) differs from rounding once; {len(stats)} stats sets -> {OUT}")


if __name__ == "__main__":
    main()
