#!/usr/bin/env python3
"""Writes numpy_streams.json (test vectors) and initlab's copy of NumPy's ziggurat tables.

Two NumPy streams are recorded, as NumPy itself draws them:
  legacy  np.random.seed(s) then the RandomState functions (MT19937, polar normals);
  pcg64   np.random.default_rng(s), i.e. Generator(PCG64(SeedSequence(s))).

Before anything is written, every recorded value is recomputed by a small simulator in
this file that works from the bit generator's raw outputs only (random_raw), with the
algorithms NumpyLegacyStream and NumpyPcg64Stream implement; the script asserts that the
simulator and NumPy agree bit for bit. So the fixture holds NumPy's numbers, and the
simulator documents (and checks) how they are made.

The float64 ziggurat tables (ki_double, wi_double, fi_double) are read out of the compiled
numpy.random._generator extension of the installed NumPy, located by their defining
properties (see find_ziggurat_tables), then checked by the simulator against
Generator.standard_normal over a long run that goes through every layer, the wedges and
the tail. They are written to src/main/resources/dev/initlab/rng/numpy-ziggurat-double.txt,
which NumpyPcg64Stream loads.

libm: NumPy calls the platform's log, log1p and exp. Where glibc's log is not correctly
rounded (glibc 2.36 misses in about 1 call in 1200, by < 0.51 ulp), a legacy normal pair
computed from that log may differ from initlab's (which uses a correctly rounded log) by
an ulp or two; the fixture lists those values ("libm_log_differs") so the Java test can
require every other value to be bit-exact.

Run from this folder:  python3 make_numpy_streams.py      (needs numpy only)
The output is deterministic for a given NumPy version and libm (both recorded).
NumpyStreamsTests (src/test/java/dev/initlab/rng) reads the fixture.
"""

import decimal
import hashlib
import json
import math
import os
import platform
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "numpy_streams.json")
TABLES_REL = "src/main/resources/dev/initlab/rng/numpy-ziggurat-double.txt"
TABLES = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", TABLES_REL))

LEGACY_SEEDS = [0, 1, 2, 3, 42, 2**31 + 5, 2**32 - 1]
PCG64_SEEDS = [0, 1, 42, 2**40 + 3, 2**63 - 1]
# Upper bounds n of randint(0, n) / integers(0, n): 1 draws nothing, 2**31 - 1 is the
# largest int, 1000003 rejects often under the mask.
INT_BOUNDS = [10, 1, 2, 1000003, 2**31 - 1]
NORMALS_PER_SEED = 1000
LONG_RUN = 1_000_000
LONG_RUN_SEED = 42

# The ziggurat's tail start and its inverse (numpy/random/src/distributions/
# ziggurat_constants.h: ziggurat_nor_r, ziggurat_nor_inv_r).
ZIG_R = 3.6541528853610087963519472518
ZIG_INV_R = 0.27366123732975827203338247596
TWO52 = 2.0**52


# --- reading the tables out of NumPy's compiled extension -------------------------------

def find_ziggurat_tables():
    """ki_double, wi_double and fi_double as compiled into numpy.random._generator.

    Each table is identified by what it must be, not by where it is:
      wi: 256 doubles whose last is r / 2**52 exactly (the base layer's width), increasing
          from index 1;
      fi: 256 doubles starting at exactly 1.0 (the density at 0), strictly decreasing to
          exp(-r**2 / 2);
      ki: 256 uint64 with ki[1] == 0 and ki[i] == round(2**52 * wi[i-1] / wi[i]) for the
          others (the ratio of neighbouring layer widths), allowing rounding slack.
    Exactly one match of each is required.
    """
    import numpy.random._generator as gen_module

    data = open(gen_module.__file__, "rb").read()

    def all_at(pattern):
        found, i = [], data.find(pattern)
        while i >= 0:
            found.append(i)
            i = data.find(pattern, i + 1)
        return found

    def doubles(off):
        return list(struct.unpack("<256d", data[off:off + 2048]))

    wi_hits = []
    for end in all_at(struct.pack("<d", ZIG_R / TWO52)):
        off = end - 255 * 8
        if off >= 0:
            wi = doubles(off)
            if all(0 < wi[i] < wi[i + 1] for i in range(1, 255)) and wi[0] > 0:
                wi_hits.append(wi)
    fi_hits = []
    tail_density = math.exp(-0.5 * ZIG_R * ZIG_R)
    for off in all_at(struct.pack("<d", 1.0)):
        if off + 2048 <= len(data):
            fi = doubles(off)
            if all(fi[i] > fi[i + 1] for i in range(255)) and abs(fi[255] / tail_density - 1) < 1e-12:
                fi_hits.append(fi)
    assert len(wi_hits) == 1 and len(fi_hits) == 1, (len(wi_hits), len(fi_hits))
    wi, fi = wi_hits[0], fi_hits[0]
    ki_hits = []
    for zero in all_at(bytes(8)):
        off = zero - 8
        if off < 0 or off + 2048 > len(data):
            continue
        ki = list(struct.unpack("<256Q", data[off:off + 2048]))
        if ki[1] != 0 or not all(0 < k < 2**52 for k in ki[:1] + ki[2:]):
            continue
        if all(abs(ki[i] - TWO52 * wi[i - 1] / wi[i]) < 2**12 for i in range(2, 256)):
            ki_hits.append(ki)
    ki_hits = [list(k) for k in {tuple(k) for k in ki_hits}]
    assert len(ki_hits) == 1, len(ki_hits)
    return ki_hits[0], wi, fi


def write_tables(ki, wi, fi):
    def bits(x):
        return "%016X" % struct.unpack("<Q", struct.pack("<d", x))[0]

    lines = [
        "# NumPy's 256-layer ziggurat for float64 standard normals: the tables ki_double,",
        "# wi_double and fi_double of numpy/random/src/distributions/ziggurat_constants.h,",
        "# used by random_standard_normal in numpy/random/src/distributions/distributions.c.",
        f"# Read out of the compiled numpy.random._generator of NumPy {np.__version__} by",
        "# src/test/resources/reference/make_numpy_streams.py, which checks them against",
        "# Generator.standard_normal; do not edit by hand. NumPy is BSD-3-Clause licensed.",
        "# Each value is the 16 hex digits of its 64 bits (uint64 for ki, IEEE 754 for wi, fi).",
    ]
    for name, values in (("ki_double", ["%016X" % k for k in ki]), ("wi_double", [bits(w) for w in wi]),
                         ("fi_double", [bits(f) for f in fi])):
        lines.append(name)
        lines.extend(values)
    os.makedirs(os.path.dirname(TABLES), exist_ok=True)
    with open(TABLES, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")


# --- a simulator working from raw bit-generator outputs ---------------------------------

class Raw:
    """The raw outputs of a bit generator, drawn in chunks: 32-bit words for MT19937,
    64-bit words for PCG64 (random_raw does not touch PCG64's 32-bit buffer)."""

    def __init__(self, bit_generator):
        self.bit_generator = bit_generator
        self.buf = []
        self.pos = 0

    def next(self):
        if self.pos == len(self.buf):
            self.buf = [int(v) for v in self.bit_generator.random_raw(8192)]
            self.pos = 0
        value = self.buf[self.pos]
        self.pos += 1
        return value


def gen_mask(rng):
    mask = rng
    for shift in (1, 2, 4, 8, 16, 32):
        mask |= mask >> shift
    return mask


def correctly_rounded_log(x):
    with decimal.localcontext() as ctx:
        ctx.prec = 40
        return float(decimal.Decimal(x).ln())


class LegacySim:
    """RandomState after seed(s): MT19937 init_genrand(s); random_sample from two words;
    legacy_gauss (polar method with one cached value); randint by masked rejection."""

    def __init__(self, seed):
        bit_generator = np.random.MT19937()
        bit_generator._legacy_seeding(seed)  # what RandomState.seed(s) calls
        self.raw = Raw(bit_generator)
        self.has_gauss = False
        self.gauss_value = 0.0
        self.gauss_log_differs = False

    def next_double(self):
        a = self.raw.next() >> 5
        b = self.raw.next() >> 6
        return (a * 67108864.0 + b) / 9007199254740992.0

    def gauss(self):
        """(value, whether the platform log of its pair was not correctly rounded)."""
        if self.has_gauss:
            self.has_gauss = False
            return self.gauss_value, self.gauss_log_differs
        while True:
            x1 = 2.0 * self.next_double() - 1.0
            x2 = 2.0 * self.next_double() - 1.0
            r2 = x1 * x1 + x2 * x2
            if not (r2 >= 1.0 or r2 == 0.0):
                break
        log_r2 = math.log(r2)
        differs = log_r2 != correctly_rounded_log(r2)
        f = math.sqrt(-2.0 * log_r2 / r2)
        self.gauss_value = f * x1
        self.gauss_log_differs = differs
        self.has_gauss = True
        return f * x2, differs

    def randint(self, n):
        rng = n - 1
        if rng == 0:
            return 0
        mask = gen_mask(rng)
        while True:
            value = self.raw.next() & mask
            if value <= rng:
                return value


class Pcg64Sim:
    """Generator(PCG64(s)): next_double = (u64 >> 11) * 2**-53; the ziggurat; Lemire's
    method on 32-bit draws, which PCG64 serves as halves of one 64-bit output."""

    def __init__(self, seed, tables):
        self.raw = Raw(np.random.PCG64(seed))
        self.has_uint32 = False
        self.uinteger = 0
        self.ki, self.wi, self.fi = tables
        self.paths = {"fast": 0, "wedge": 0, "tail": 0, "rejections": 0}

    def next_uint32(self):
        if self.has_uint32:
            self.has_uint32 = False
            return self.uinteger
        value = self.raw.next()
        self.has_uint32 = True
        self.uinteger = value >> 32
        return value & 0xFFFFFFFF

    def next_double(self):
        return (self.raw.next() >> 11) * (1.0 / 9007199254740992.0)

    def standard_normal(self):
        """(value, path) with path fast, wedge or tail."""
        ki, wi, fi = self.ki, self.wi, self.fi
        while True:
            r = self.raw.next()
            idx = r & 0xFF
            r >>= 8
            sign = r & 0x1
            rabs = (r >> 1) & 0x000FFFFFFFFFFFFF
            x = rabs * wi[idx]
            if sign & 0x1:
                x = -x
            if rabs < ki[idx]:
                return self._count(x, "fast")
            if idx == 0:
                while True:
                    xx = -ZIG_INV_R * math.log1p(-self.next_double())
                    yy = -math.log1p(-self.next_double())
                    if yy + yy > xx * xx:
                        value = -(ZIG_R + xx) if (rabs >> 8) & 0x1 else ZIG_R + xx
                        return self._count(value, "tail")
            elif (fi[idx - 1] - fi[idx]) * self.next_double() + fi[idx] < math.exp(-0.5 * x * x):
                return self._count(x, "wedge")
            self.paths["rejections"] += 1

    def _count(self, value, path):
        self.paths[path] += 1
        return value, path

    def integers(self, n):
        rng = n - 1
        if rng == 0:
            return 0
        rng_excl = rng + 1
        m = self.next_uint32() * rng_excl
        leftover = m & 0xFFFFFFFF
        if leftover < rng_excl:
            threshold = (0xFFFFFFFF - rng) % rng_excl
            while leftover < threshold:
                m = self.next_uint32() * rng_excl
                leftover = m & 0xFFFFFFFF
        return m >> 32


# --- recording ---------------------------------------------------------------------------

def bits_of(values):
    return [struct.unpack("<Q", struct.pack("<d", float(v)))[0] for v in values]


def same(numpy_values, sim_values, what):
    assert bits_of(numpy_values) == bits_of(sim_values), what


def floats(values):
    return [float(v) for v in values]


def legacy_call(sim, call, args, numpy_values):
    """Replays one RandomState call on the simulator; returns the fixture entry."""
    n = len(numpy_values)
    differs = []
    if call == "rand":
        sim_values = [sim.next_double() for _ in range(n)]
    elif call == "randn":
        sim_values = []
        for i in range(n):
            value, d = sim.gauss()
            sim_values.append(value)
            if d:
                differs.append(i)
    elif call == "uniform":
        low, high = args
        span = high - low
        sim_values = [low + span * sim.next_double() for _ in range(n)]
    elif call == "normal":
        loc, scale = args
        sim_values = []
        for i in range(n):
            value, d = sim.gauss()
            sim_values.append(loc + scale * value)
            if d:
                differs.append(i)
    elif call == "randint":
        sim_values = [sim.randint(args[0]) for _ in range(n)]
        assert [int(v) for v in numpy_values] == sim_values, (call, args)
        return {"call": call, "args": list(args), "values": sim_values}
    else:
        raise ValueError(call)
    same(numpy_values, sim_values, (call, args))
    entry = {"call": call, "args": list(args), "values": floats(numpy_values)}
    if call in ("randn", "normal"):
        entry["libm_log_differs"] = differs
    return entry


def legacy_sequence(seed, calls):
    """np.random.seed(seed), then each (call, args, n) in turn on the global RandomState."""
    np.random.seed(seed)
    sim = LegacySim(seed)
    entries = []
    for call, args, n in calls:
        if call == "rand":
            values = np.random.rand(n)
        elif call == "randn":
            values = np.random.randn(n)
        elif call == "uniform":
            values = np.random.uniform(args[0], args[1], n)
        elif call == "normal":
            values = np.random.normal(args[0], args[1], n)
        elif call == "randint":
            values = np.random.randint(0, args[0], n)
            assert values.dtype == np.int64
        entries.append(legacy_call(sim, call, args, values))
    return entries


def legacy_case(seed):
    # One value at a time must equal the array call (initlab draws one value per call).
    rs = np.random.RandomState(seed)
    assert bits_of([rs.randn() for _ in range(7)]) == bits_of(np.random.RandomState(seed).randn(7))
    rs = np.random.RandomState(seed)
    assert [rs.randint(0, 10) for _ in range(7)] == list(np.random.RandomState(seed).randint(0, 10, 7))
    return {
        "seed": seed,
        "rand": legacy_sequence(seed, [("rand", [], 20)])[0],
        "randn": legacy_sequence(seed, [("randn", [], 20)])[0],
        # randn(3) leaves the second value of its second pair cached; randn(5) starts with
        # it, and rand(2) in between neither uses nor clears it.
        "mixed": legacy_sequence(seed, [("randn", [], 3), ("rand", [], 2), ("randn", [], 5)]),
        # randint draws single words and leaves the gauss cache alone as well.
        "mixed_int": legacy_sequence(seed, [("randn", [], 1), ("randint", [10], 3), ("randn", [], 1),
                                            ("rand", [], 1), ("randn", [], 2)]),
        "uniform": legacy_sequence(seed, [("uniform", [-2.0, 3.0], 5)])[0],
        "normal": legacy_sequence(seed, [("normal", [1.5, 0.3], 5)])[0],
        "randint": [legacy_sequence(seed, [("randint", [n], 20)])[0] for n in INT_BOUNDS],
    }


def pcg64_call(sim, call, args, numpy_values):
    n = len(numpy_values)
    if call == "random":
        sim_values = [sim.next_double() for _ in range(n)]
    elif call == "standard_normal":
        sim_values = [sim.standard_normal()[0] for _ in range(n)]
    elif call == "uniform":
        low, high = args
        span = high - low
        sim_values = [low + span * sim.next_double() for _ in range(n)]
    elif call == "normal":
        loc, scale = args
        sim_values = [loc + scale * sim.standard_normal()[0] for _ in range(n)]
    elif call == "integers":
        sim_values = [sim.integers(args[0]) for _ in range(n)]
        assert [int(v) for v in numpy_values] == sim_values, (call, args)
        return {"call": call, "args": list(args), "values": sim_values}
    else:
        raise ValueError(call)
    same(numpy_values, sim_values, (call, args))
    return {"call": call, "args": list(args), "values": floats(numpy_values)}


def pcg64_sequence(seed, tables, calls, sim=None):
    rng = np.random.default_rng(seed)
    sim = sim or Pcg64Sim(seed, tables)
    entries = []
    for call, args, n in calls:
        if call == "random":
            values = rng.random(n)
        elif call == "standard_normal":
            values = rng.standard_normal(n)
        elif call == "uniform":
            values = rng.uniform(args[0], args[1], n)
        elif call == "normal":
            values = rng.normal(args[0], args[1], n)
        elif call == "integers":
            values = rng.integers(0, args[0], n)
            assert values.dtype == np.int64
        entries.append(pcg64_call(sim, call, args, values))
    return entries


def pcg64_case(seed, tables):
    rng = np.random.default_rng(seed)
    assert bits_of([rng.standard_normal() for _ in range(7)]) == bits_of(
        np.random.default_rng(seed).standard_normal(7))
    rng = np.random.default_rng(seed)
    assert [rng.integers(0, 10) for _ in range(7)] == list(np.random.default_rng(seed).integers(0, 10, 7))
    words = np.random.SeedSequence(seed).generate_state(4, np.uint64)
    state = np.random.PCG64(seed).state["state"]
    normal_sim = Pcg64Sim(seed, tables)
    normals = pcg64_sequence(seed, tables, [("standard_normal", [], NORMALS_PER_SEED)], normal_sim)[0]
    normals["ziggurat_paths"] = dict(normal_sim.paths)
    return {
        "seed": seed,
        "seed_sequence_uint64": ["0x%016x" % int(w) for w in words],
        "pcg64_state": "0x%032x" % state["state"],
        "pcg64_inc": "0x%032x" % state["inc"],
        "random": pcg64_sequence(seed, tables, [("random", [], 20)])[0],
        "standard_normal": normals,
        "uniform": pcg64_sequence(seed, tables, [("uniform", [-1.0, 1.0], 5)])[0],
        "normal": pcg64_sequence(seed, tables, [("normal", [2.0, 3.0], 5)])[0],
        "integers": [pcg64_sequence(seed, tables, [("integers", [n], 20)])[0] for n in INT_BOUNDS],
        # integers(0, 10, 3) uses both halves of one 64-bit output and the low half of a
        # second; random(2) draws whole outputs and leaves the high half buffered, which
        # the next integers call uses first.
        "mixed": pcg64_sequence(seed, tables, [("integers", [10], 3), ("random", [], 2), ("integers", [10], 2),
                                               ("standard_normal", [], 3), ("integers", [10], 1)]),
    }


def sha256_le(values):
    return hashlib.sha256(np.asarray(values, dtype="<f8").tobytes()).hexdigest()


def pcg64_long_run(tables):
    """LONG_RUN standard normals from one seed: a hash of all of them, and the tail values
    (the only ones that go through log1p) by index."""
    values = np.random.default_rng(LONG_RUN_SEED).standard_normal(LONG_RUN)
    sim = Pcg64Sim(LONG_RUN_SEED, tables)
    tail = []
    for i in range(LONG_RUN):
        value, path = sim.standard_normal()
        assert value == values[i] and math.copysign(1, value) == math.copysign(1, values[i]), i
        if path == "tail":
            tail.append({"index": i, "value": float(value)})
    assert sim.paths["fast"] + sim.paths["wedge"] + sim.paths["tail"] == LONG_RUN
    return {"seed": LONG_RUN_SEED, "count": LONG_RUN, "sha256_float64_le": sha256_le(values),
            "ziggurat_paths": dict(sim.paths), "tail": tail}


def legacy_long_run():
    """LONG_RUN legacy normals from one seed: a hash of all of them with the values whose
    pair went through a not correctly rounded platform log set to 0.0, and those values by
    index."""
    np.random.seed(LONG_RUN_SEED)
    values = np.random.randn(LONG_RUN)
    sim = LegacySim(LONG_RUN_SEED)
    masked = values.copy()
    differs = []
    for i in range(LONG_RUN):
        value, d = sim.gauss()
        assert bits_of([value]) == bits_of([values[i]]), i
        if d:
            differs.append({"index": i, "value": float(value)})
            masked[i] = 0.0
    return {"seed": LONG_RUN_SEED, "count": LONG_RUN, "sha256_float64_le_masked": sha256_le(masked),
            "libm_log_differs": differs}


def to_json(value, indent=""):
    """JSON with one key per line and lists of numbers on one line (floats by repr, which
    round-trips)."""
    inner = indent + "  "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {to_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        return "[\n" + ",\n".join(inner + to_json(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, allow_nan=False)


def log_cases():
    """(x, correctly rounded log x) pairs for initlab's log: x in (0, 1) as the polar method
    sees it, x spread over all binades, edge values, and x where the platform log is not
    correctly rounded (marked)."""
    rng = np.random.default_rng(20240607)
    xs = [float(v) for v in rng.random(600) if v > 0]
    xs += [math.ldexp(0.5 + 0.5 * float(m), int(e)) for m, e in zip(rng.random(300), rng.integers(-1073, 1025, 300))]
    xs += [5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 1.0 - 2.0**-53, 1.0 + 2.0**-52, 0.5,
           2.0, math.e, 0.7071067811865476, 1.4142135623730951, 1.7976931348623157e308, 1e-300, 0.1, 10.0]
    xs += [0.25, 2.0**-1000, 2.0**1000, 2.0**-1074 * 3]
    # Logarithms within 2**-13 ulp of a rounding boundary, where initlab's fast evaluation
    # must defer to its accurate one.
    hard = []
    while len(hard) < 40:
        v = float(rng.random())
        if v > 0 and midpoint_distance_ulps(v) < 2.0**-13:
            hard.append(v)
    platform_differs = []
    while len(platform_differs) < 200:
        v = float(rng.random())
        if v > 0 and math.log(v) != correctly_rounded_log(v):
            platform_differs.append(v)
    return {"pairs": [[x, correctly_rounded_log(x)] for x in xs + hard + platform_differs],
            "near_boundary_from": len(xs), "platform_log_differs_from": len(xs) + len(hard)}


def midpoint_distance_ulps(x):
    """How far log x lies from the nearest midpoint between two doubles, in ulps."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        exact = decimal.Decimal(x).ln()
        nearest = float(exact)
        half = decimal.Decimal(math.ulp(nearest)) / 2
        ulp = decimal.Decimal(math.ulp(nearest))
        return float(min(abs(exact - (decimal.Decimal(nearest) + half)),
                         abs(exact - (decimal.Decimal(nearest) - half))) / ulp)


def main():
    ki, wi, fi = find_ziggurat_tables()
    assert wi[255] == ZIG_R / TWO52 and fi[0] == 1.0 and ki[1] == 0
    assert 1.0 / ZIG_R == ZIG_INV_R
    tables = (ki, wi, fi)
    pcg64 = [pcg64_case(seed, tables) for seed in PCG64_SEEDS]
    pcg64_long = pcg64_long_run(tables)
    # Every one of the 256 layers, the wedges and the tail have been exercised:
    assert pcg64_long["ziggurat_paths"]["wedge"] > 1000 and len(pcg64_long["tail"]) > 100
    legacy = [legacy_case(seed) for seed in LEGACY_SEEDS]
    legacy_long = legacy_long_run()
    libc = platform.libc_ver()
    fixture = {
        "generated_by": "src/test/resources/reference/make_numpy_streams.py",
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()} {libc[0]} {libc[1]}".strip(),
        "ziggurat_tables": TABLES_REL,
        "legacy": legacy,
        "legacy_long_run": legacy_long,
        "pcg64": pcg64,
        "pcg64_long_run": pcg64_long,
        "correctly_rounded_log": log_cases(),
    }
    write_tables(ki, wi, fi)
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(to_json(fixture) + "\n")
    diffs = sum(len(c["libm_log_differs"]) for case in legacy for key in ("randn", "normal")
                for c in [case[key]]) + sum(len(c.get("libm_log_differs", [])) for case in legacy
                                             for c in case["mixed"] + case["mixed_int"])
    print(f"numpy {np.__version__}: wrote {OUT} and {TABLES}; legacy values after a not correctly "
          f"rounded log: {diffs} in the short vectors, {len(legacy_long['libm_log_differs'])} of "
          f"{LONG_RUN} in the long run; pcg64 long run paths {pcg64_long['ziggurat_paths']}", file=sys.stderr)


if __name__ == "__main__":
    main()
