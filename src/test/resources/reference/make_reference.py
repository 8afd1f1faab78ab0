#!/usr/bin/env python3
"""Writes init_reference.json: fans, gains, std/bound and module defaults from PyTorch.

Every number in the fixture is computed by torch itself or by the exact float64
expressions of torch/nn/init.py and torch/nn/modules/{linear,conv}.py (same operations,
same order, so the same rounding), fed with torch's own _calculate_fan_in_and_fan_out and
calculate_gain. The script then checks each reimplemented std/bound against what torch's
real initializers draw (asserting), so the formulas in the fixture are themselves tested
against torch.

Run from this folder:  python3 make_reference.py
Output is deterministic for a given torch version (recorded in the fixture).
PytorchReferenceTests (src/test/java/dev/initlab/init) reads the fixture.
"""

import json
import math
import os

import torch
import torch.nn as nn
from torch.nn import init

from fixture_json import dump

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "init_reference.json")

# Empirical checks draw this many values per case (by repeated calls when the tensor is
# smaller). Each check states its false-failure odds; the whole run is seeded, so a pass
# is reproducible, and the odds only matter when regenerating with another torch.
UNIFORM_SAMPLES = 1 << 16
NORMAL_SAMPLES = 1 << 18
BIAS_SAMPLES = 1 << 13

# (constructor text, layer type as initlab's API names it, groups, module factory)
MODULES = [
    ("nn.Linear(784, 256)", "linear", 1, lambda: nn.Linear(784, 256)),
    ("nn.Linear(3, 1)", "linear", 1, lambda: nn.Linear(3, 1)),
    ("nn.Conv1d(16, 33, 3)", "conv1d", 1, lambda: nn.Conv1d(16, 33, 3)),
    ("nn.Conv1d(8, 16, 5, groups=4)", "conv1d", 4, lambda: nn.Conv1d(8, 16, 5, groups=4)),
    ("nn.Conv2d(3, 64, 7)", "conv2d", 1, lambda: nn.Conv2d(3, 64, 7)),
    ("nn.Conv2d(64, 128, 1)", "conv2d", 1, lambda: nn.Conv2d(64, 128, 1)),
    ("nn.Conv2d(6, 12, (3, 5), groups=3)", "conv2d", 3, lambda: nn.Conv2d(6, 12, (3, 5), groups=3)),
    ("nn.Conv2d(32, 32, 3, groups=32)", "conv2d", 32, lambda: nn.Conv2d(32, 32, 3, groups=32)),
    ("nn.Conv3d(4, 8, (2, 3, 4))", "conv3d", 1, lambda: nn.Conv3d(4, 8, (2, 3, 4))),
    ("nn.Conv3d(6, 6, 3, groups=2)", "conv3d", 2, lambda: nn.Conv3d(6, 6, 3, groups=2)),
    ("nn.ConvTranspose1d(16, 8, 4)", "conv_transpose1d", 1, lambda: nn.ConvTranspose1d(16, 8, 4)),
    ("nn.ConvTranspose1d(6, 9, 3, groups=3)", "conv_transpose1d", 3,
     lambda: nn.ConvTranspose1d(6, 9, 3, groups=3)),
    ("nn.ConvTranspose2d(16, 33, (3, 5))", "conv_transpose2d", 1, lambda: nn.ConvTranspose2d(16, 33, (3, 5))),
    ("nn.ConvTranspose2d(4, 6, 3, groups=2)", "conv_transpose2d", 2,
     lambda: nn.ConvTranspose2d(4, 6, 3, groups=2)),
    ("nn.ConvTranspose3d(8, 4, (2, 3, 3))", "conv_transpose3d", 1, lambda: nn.ConvTranspose3d(8, 4, (2, 3, 3))),
    ("nn.ConvTranspose3d(6, 12, 3, groups=3)", "conv_transpose3d", 3,
     lambda: nn.ConvTranspose3d(6, 12, 3, groups=3)),
]

RAW_SHAPES = [[5, 7], [3, 4, 5, 6], [2, 3]]

# Shapes torch refuses to give fans for (fewer than 2 dimensions); initlab has none either.
NO_FANS_SHAPES = [[5], []]

# (nonlinearity, param) for calculate_gain: every name torch accepts, leaky_relu with the
# default and with an int, float, zero and >1 slope.
GAIN_CASES = [
    ("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
    ("conv_transpose1d", None), ("conv_transpose2d", None), ("conv_transpose3d", None),
    ("sigmoid", None), ("tanh", None), ("relu", None),
    ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 0), ("leaky_relu", 1.5),
    ("leaky_relu", math.sqrt(5)), ("selu", None),
    # torch squares the slope with `**`, i.e. libm pow (glibc: up to 0.52 ulp), not x * x:
    # for this slope, on glibc 2.36, its gain is 1 ulp above the correctly rounded one.
    ("leaky_relu", 0.5102),
]

# Names calculate_gain rejects with ValueError.
GAIN_REJECTED = ["identity", "ReLU", "gelu", "silu", "elu", "softplus", "swish", ""]

# kaiming_*: initlab parameters -> torch's (a, mode, nonlinearity). "activation" is the
# layer activation initlab is given (its default nonlinearity); torch has no such notion,
# so the torch call names the nonlinearity explicitly.
KAIMING_CASES = [
    ({}, None, (0, "fan_in", "leaky_relu")),
    ({}, "relu", (0, "fan_in", "relu")),
    ({"a": math.sqrt(5), "mode": "fan_in", "nonlinearity": "leaky_relu"}, None, (math.sqrt(5), "fan_in", "leaky_relu")),
    ({"mode": "fan_out", "nonlinearity": "relu"}, None, (0, "fan_out", "relu")),
    ({"a": 0.2, "mode": "fan_out", "nonlinearity": "leaky_relu"}, None, (0.2, "fan_out", "leaky_relu")),
    ({"a": 1.5, "nonlinearity": "leaky_relu"}, None, (1.5, "fan_in", "leaky_relu")),
    ({"a": 0.2, "nonlinearity": "relu"}, None, (0.2, "fan_in", "relu")),
    ({"nonlinearity": "tanh"}, None, (0, "fan_in", "tanh")),
    ({"mode": "fan_out", "nonlinearity": "selu"}, None, (0, "fan_out", "selu")),
    ({"nonlinearity": "linear"}, None, (0, "fan_in", "linear")),
    ({"nonlinearity": "sigmoid"}, None, (0, "fan_in", "sigmoid")),
]

# xavier_*: initlab parameters -> the torch gain argument (None = torch's default 1.0).
# With only an activation, initlab keeps gain 1, as torch's xavier does.
XAVIER_CASES = [
    ({}, None, None),
    ({}, "relu", None),
    ({"gain": 0.5}, None, ("gain", 0.5)),
    ({"nonlinearity": "relu"}, None, ("relu", None)),
    ({"nonlinearity": "tanh"}, None, ("tanh", None)),
    ({"nonlinearity": "leaky_relu"}, None, ("leaky_relu", None)),
    ({"nonlinearity": "leaky_relu", "param": 0.2}, None, ("leaky_relu", 0.2)),
    ({"nonlinearity": "selu"}, None, ("selu", None)),
]

# PyTorch's module defaults (reset_parameters).
DEFAULT_MODULES = [
    ("nn.Linear(20, 30)", "linear", 1, lambda: nn.Linear(20, 30)),
    ("nn.Conv2d(4, 6, 3)", "conv2d", 1, lambda: nn.Conv2d(4, 6, 3)),
    ("nn.ConvTranspose2d(4, 6, 3, groups=2)", "conv_transpose2d", 2, lambda: nn.ConvTranspose2d(4, 6, 3, groups=2)),
]


# --- the formulas, operation for operation as torch/nn/init.py writes them -------------

def kaiming_std_bound(tensor, a, mode, nonlinearity):
    fan = init._calculate_correct_fan(tensor, mode)
    gain = init.calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)  # kaiming_normal_ and kaiming_uniform_
    bound = math.sqrt(3.0) * std  # kaiming_uniform_
    return float(gain), std, bound


def xavier_std_bound(tensor, gain):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))  # xavier_normal_ and xavier_uniform_
    bound = math.sqrt(3.0) * std  # xavier_uniform_
    return std, bound


def module_default_bounds(module):
    """torch.nn.Linear/_ConvNd.reset_parameters: weight kaiming_uniform_(a=sqrt(5)), bias U(±1/sqrt(fan_in))."""
    _, _, weight_bound = kaiming_std_bound(module.weight, math.sqrt(5), "fan_in", "leaky_relu")
    fan_in, _ = init._calculate_fan_in_and_fan_out(module.weight)
    bias_bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
    return weight_bound, bias_bound


# --- empirical checks against torch's real initializers --------------------------------

def draw(shape, fill, samples):
    """Calls torch's initializer `fill` on a float64 tensor of `shape` until `samples` values are drawn."""
    t = torch.empty(shape, dtype=torch.float64)
    calls = -(-samples // t.numel())
    out = torch.empty(calls, t.numel(), dtype=torch.float64)
    for i in range(calls):
        fill(t)
        out[i] = t.reshape(-1)
    return out.reshape(-1)


def check_uniform(what, values, bound):
    # U(-b, b) with n = 2^16 values: P(max |w| < (1 - 1e-3) b) = (1 - 1e-3)^n < e^-65;
    # sample std / (b / sqrt 3) has relative sd 0.447 / sqrt(n) = 0.0017, so a 1% miss
    # is a 5.7-sigma event (< 1e-8). A bound 0.1% too small or too large fails.
    m = values.abs().max().item()
    assert m <= bound, f"{what}: max |w| {m} > bound {bound}"
    assert m >= (1 - 1e-3) * bound, f"{what}: max |w| {m} far below bound {bound}"
    s = values.std(unbiased=False).item()
    assert abs(s / (bound / math.sqrt(3.0)) - 1) < 0.01, f"{what}: sample std {s} vs {bound / math.sqrt(3.0)}"


def check_normal(what, values, std):
    # N(0, s^2) with n = 2^18 values: the sample std has relative sd 0.707 / sqrt(n) =
    # 0.0014, so a 1% miss is a 7.2-sigma event (< 1e-12); the mean is off by more than
    # 6 s / sqrt(n) with probability < 2e-9. A std 1% off fails.
    s = values.std(unbiased=False).item()
    assert abs(s / std - 1) < 0.01, f"{what}: sample std {s} vs formula {std}"
    mean = values.mean().item()
    assert abs(mean) < 6 * std / math.sqrt(values.numel()), f"{what}: sample mean {mean}"


# --- the fixture ------------------------------------------------------------------------

def fans_entry(module_text, layer_type, groups, weight):
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(weight)
    return {
        "module": module_text, "layer_type": layer_type, "groups": groups,
        "weight_shape": list(weight.shape), "fan_in": fan_in, "fan_out": fan_out,
    }


def scheme_cases(entry, weight):
    shape = list(weight.shape)
    where = entry["module"] or str(shape)
    cases = []
    for params, activation, (a, mode, nonlinearity) in KAIMING_CASES:
        gain, std, bound = kaiming_std_bound(weight, a, mode, nonlinearity)
        call = f"a={a!r}, mode={mode!r}, nonlinearity={nonlinearity!r}"
        values = draw(shape, lambda t: init.kaiming_uniform_(t, a=a, mode=mode, nonlinearity=nonlinearity),
                      UNIFORM_SAMPLES)
        check_uniform(f"{where} kaiming_uniform_({call})", values, bound)
        values = draw(shape, lambda t: init.kaiming_normal_(t, a=a, mode=mode, nonlinearity=nonlinearity),
                      NORMAL_SAMPLES)
        check_normal(f"{where} kaiming_normal_({call})", values, std)
        for scheme, key, value in (("kaiming_uniform", "bound", bound), ("kaiming_normal", "std", std)):
            cases.append(case(entry, scheme, params, activation, f"torch.nn.init.{scheme}_(w, {call})",
                              nonlinearity, gain, key, value))
    for params, activation, gain_arg in XAVIER_CASES:
        if gain_arg is None:
            gain, call = 1.0, ""
        elif gain_arg[0] == "gain":
            gain, call = gain_arg[1], f", gain={gain_arg[1]!r}"
        else:
            gain = float(init.calculate_gain(*gain_arg))
            call = f", gain=calculate_gain({gain_arg[0]!r}" + (f", {gain_arg[1]!r})" if gain_arg[1] is not None else ")")
        std, bound = xavier_std_bound(weight, gain)
        values = draw(shape, lambda t: init.xavier_uniform_(t, gain=gain), UNIFORM_SAMPLES)
        check_uniform(f"{where} xavier_uniform_(w{call})", values, bound)
        values = draw(shape, lambda t: init.xavier_normal_(t, gain=gain), NORMAL_SAMPLES)
        check_normal(f"{where} xavier_normal_(w{call})", values, std)
        nonlinearity = gain_arg[0] if gain_arg is not None and gain_arg[0] != "gain" else None
        for scheme, key, value in (("xavier_uniform", "bound", bound), ("xavier_normal", "std", std)):
            cases.append(case(entry, scheme, params, activation, f"torch.nn.init.{scheme}_(w{call})",
                              nonlinearity, gain, key, value))
    return cases


def case(entry, scheme, params, activation, torch_call, nonlinearity, gain, key, value):
    return {
        "module": entry["module"], "layer_type": entry["layer_type"], "groups": entry["groups"],
        "weight_shape": entry["weight_shape"], "activation": activation,
        "scheme": scheme, "params": params, "torch": torch_call,
        "nonlinearity": nonlinearity, "fan_in": entry["fan_in"], "fan_out": entry["fan_out"],
        "gain": gain, key: value,
    }


def gains():
    out = []
    for nonlinearity, param in GAIN_CASES:
        out.append({"nonlinearity": nonlinearity, "param": param,
                    "gain": float(init.calculate_gain(nonlinearity, param))})
    return out


def gains_rejected():
    out = []
    for name in GAIN_REJECTED:
        try:
            init.calculate_gain(name)
        except ValueError as e:
            out.append({"nonlinearity": name, "torch_error": str(e)})
            continue
        raise AssertionError(f"calculate_gain({name!r}) was expected to raise")
    return out


def no_fans():
    out = []
    for shape in NO_FANS_SHAPES:
        try:
            init._calculate_fan_in_and_fan_out(torch.empty(shape))
        except ValueError as e:
            out.append({"weight_shape": shape, "torch_error": str(e)})
            continue
        raise AssertionError(f"fans of {shape} were expected to raise")
    return out


def module_defaults():
    out = []
    for text, layer_type, groups, make in DEFAULT_MODULES:
        module = make()
        weight_bound, bias_bound = module_default_bounds(module)
        fan_in, fan_out = init._calculate_fan_in_and_fan_out(module.weight)
        # torch's own reset_parameters, repeated until 2^16 weights and 2^13 biases are
        # drawn: weights within and reaching ±weight_bound (odds as in check_uniform),
        # biases within and reaching 99% of ±bias_bound (P(miss) = 0.99^8192 < 1e-35).
        # The ConvTranspose case also rules out the "natural" fan_in = (in/groups) * k.
        weights, biases = [], []
        n_weights = n_biases = 0
        while n_weights < UNIFORM_SAMPLES or n_biases < BIAS_SAMPLES:
            module.reset_parameters()
            weights.append(module.weight.detach().double().reshape(-1).clone())
            biases.append(module.bias.detach().double().reshape(-1).clone())
            n_weights += module.weight.numel()
            n_biases += module.bias.numel()
        weights = torch.cat(weights)
        biases = torch.cat(biases)
        # float32 parameters: allow the one rounding of a value next to the bound.
        w_max = weights.abs().max().item()
        assert (1 - 1e-3) * weight_bound <= w_max <= weight_bound * (1 + 2 ** -23), f"{text}: weight max {w_max}"
        b_max = biases.abs().max().item()
        assert 0.99 * bias_bound <= b_max <= bias_bound * (1 + 2 ** -23), f"{text}: bias max {b_max}"
        out.append({
            "module": text, "layer_type": layer_type, "groups": groups,
            "weight_shape": list(module.weight.shape), "bias_shape": list(module.bias.shape),
            "fan_in": fan_in, "fan_out": fan_out,
            "weight_bound": weight_bound, "bias_bound": bias_bound,
        })
    return out


def main():
    torch.manual_seed(0)
    fans = [fans_entry(text, layer_type, groups, make().weight) for text, layer_type, groups, make in MODULES]
    fans += [fans_entry(None, "tensor", 1, torch.empty(shape)) for shape in RAW_SHAPES]
    schemes = []
    for entry in fans:
        schemes += scheme_cases(entry, torch.empty(entry["weight_shape"]))
    fixture = {
        "generated_by": "src/test/resources/reference/make_reference.py",
        "torch_version": torch.__version__.split("+")[0],
        "fans": fans,
        "no_fans": no_fans(),
        "gains": gains(),
        "gains_rejected": gains_rejected(),
        "schemes": schemes,
        "module_defaults": module_defaults(),
    }
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(dump(fixture))
    print(f"wrote {OUT}: {len(fans)} fans, {len(fixture['gains'])} gains, {len(schemes)} scheme cases, "
          f"{len(fixture['module_defaults'])} module defaults")




if __name__ == "__main__":
    main()
