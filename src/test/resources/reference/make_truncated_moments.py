"""Mean and standard deviation of N(0, 1) truncated to [a, b], to 50 digits (mpmath).

The reference for ExpectedMomentsTests.truncatedMomentsMatchMpmath: the intervals of the
truncated_normal rows of IidCases (standardized), Keras's (-2, 2), and far tails where
the textbook closed form 1 + (a phi(a) - b phi(b)) / Z - m^2 cancels. Writes
truncated_moments.json beside this script:

    python3 make_truncated_moments.py
"""
import json
import pathlib

import mpmath as mp

mp.mp.dps = 50

INTERVALS = [
    (-2, 2), (-0.75, 1.75), (3, 5), (-6, -3), (-0.1, 0.15), (8, 9), (-12, -10),
    (-9, -8), (-40, -37), (37, 40), (-0.001, 0.001), (-1e-6, 1e-6),
]


def moments(a, b):
    a, b = mp.mpf(a), mp.mpf(b)
    z = mp.ncdf(b) - mp.ncdf(a) if a <= 0 else mp.ncdf(-a) - mp.ncdf(-b)
    pa, pb = mp.npdf(a), mp.npdf(b)
    m = (pa - pb) / z
    v = 1 + (a * pa - b * pb) / z - m * m
    return m, mp.sqrt(v)


rows = []
for a, b in INTERVALS:
    m, s = moments(a, b)
    rows.append({"a": a, "b": b, "mean": mp.nstr(m, 25), "std": mp.nstr(s, 25)})
out = pathlib.Path(__file__).with_name("truncated_moments.json")
out.write_text(json.dumps({"generator": "mpmath " + mp.__version__ + ", 50 digits", "cases": rows}, indent=1) + "\n")
