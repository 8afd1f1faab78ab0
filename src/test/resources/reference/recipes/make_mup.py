#!/usr/bin/env python3
"""Writes mup.json: what microsoft/mup itself computes for every parameter of a few models.

Everything here comes from the real package and torch; nothing is re-derived. Install with
`pip install torch mup` or, where PyPI is out of reach, `pip install --no-deps` a checkout of the
microsoft/mup repository (how this fixture was written: commit 1981497, setup.py version 1.0.0;
since the 1.0.0 upload its mup/ gained only docstrings, a get_shapes hook and the optimizers'
decoupled_wd option, whose default False keeps the original behaviour). Versions are recorded. For each model a
base and a target are built at two widths and mup.set_base_shapes(target, base) is called
without a delta model (initlab compares the base config with the target's, so a dimension is
"infinite" exactly when it differs). Per named parameter (names as named_parameters() gives
them, so a readout tied to the embedding appears once, under the embedding's name):

- role: how set_base_shapes treats it, read from the module types that hold the parameter:
  linear_weight / linear_bias (nn.Linear or a conv, not a MuReadout), readout_weight /
  readout_bias (MuReadout), shared_readout_weight (an embedding's weight a MuSharedReadout
  shares), other (embeddings, layer norms, ...); "weight" names the weight of a bias's module;
- inf, ninf, width_mult: p.infshape as mup sets it;
- rescale_factor: what set_base_shapes(rescale_params=True) multiplies the parameter by,
  measured on a float64 copy of the target whose parameters were all filled with 1.0 first;
- init_std: the standard deviation after set_base_shapes of torch's default init of the target
  (sp_std, torch's formula: nn.Linear weight and bias U(+-1/sqrt(fan_in)), so 1/sqrt(3 fan_in);
  nn.Embedding N(0, 1)) times rescale_factor; 0 for a readout built with readout_zero_init,
  observed on the fresh model. The script checks every large tensor's sample std against it;
- constant_std_factor: the scale mup.init.constant_std_init_ (behind mup.init.normal_,
  uniform_, trunc_normal_) gives a fixed-std init, recorded by a sampler that fills the scale;
- lr_adam, wd_adam, lr_sgd, wd_sgd: the lr and weight_decay of the param group that MuAdam and
  MuSGD put the parameter in, for lr=1.0, weight_decay=1.0 (decoupled_wd=False, the default).

Per readout: output_multiplier = output_mult / width_mult(), what MuReadout.forward multiplies
its input by. "errors": configurations set_base_shapes rejects (its assert_hidden_size_inf).
"tied_readout": what MuSharedReadout(readout_zero_init=True) does to the shared embedding.

Run from this folder:  python3 make_mup.py   (deterministic: no random number is recorded).
MupTests (src/test/java/dev/initlab/recipes) reads it.
"""

import importlib.metadata
import math
import os
import sys

import torch
from torch import nn
from torch.nn.modules.conv import _ConvNd

import mup
from mup import MuAdam, MuReadout, MuSGD, MuSharedReadout, set_base_shapes

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import dump  # noqa: E402

D_IN, D_OUT = 32, 10
VOCAB, POSITIONS, LAYERS = 100, 16, 2


class Mlp(nn.Module):
    """nn.Linear stack with a MuReadout (or, for the error case, a plain nn.Linear) output."""

    def __init__(self, widths, readout_zero_init=False, output_mult=1.0, plain_readout=False):
        super().__init__()
        sizes = [D_IN, *widths]
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:]))
        if plain_readout:
            self.readout = nn.Linear(sizes[-1], D_OUT)
        else:
            self.readout = MuReadout(sizes[-1], D_OUT, readout_zero_init=readout_zero_init,
                                     output_mult=output_mult)


class Block(nn.Module):
    """A GPT-2 block made of nn.Linear (torch layout [out, in]) and LayerNorm."""

    def __init__(self, d, ffn):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.c_fc = nn.Linear(d, ffn)
        self.mlp_proj = nn.Linear(ffn, d)


class Gpt(nn.Module):
    def __init__(self, d, tied, readout_zero_init=False, output_mult=1.0, ffn=None):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, d)
        self.wpe = nn.Embedding(POSITIONS, d)
        self.h = nn.ModuleList(Block(d, ffn or 4 * d) for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(d)
        if tied:
            self.lm_head = MuSharedReadout(self.wte.weight, bias=False, readout_zero_init=readout_zero_init,
                                           output_mult=output_mult)
        else:
            self.lm_head = MuReadout(d, VOCAB, bias=True, readout_zero_init=readout_zero_init,
                                     output_mult=output_mult)


def roles(model):
    """name -> (role, weight name of its module or None), from the modules holding each parameter."""
    names = {id(p): n for n, p in model.named_parameters()}
    result = {}
    for _, module in model.named_modules():
        for pname, p in module.named_parameters(recurse=False):
            name = names[id(p)]
            if isinstance(module, MuReadout):
                if pname == "weight":
                    shared = isinstance(module, MuSharedReadout)
                    result[name] = ("shared_readout_weight" if shared else "readout_weight", None)
                else:
                    result[name] = ("readout_bias", names[id(module.weight)])
            elif isinstance(module, (nn.Linear, _ConvNd)):
                result[name] = ("linear_" + pname, None if pname == "weight" else names[id(module.weight)])
            else:
                result.setdefault(name, ("other", None))
    return result


def sp_std(model, name):
    """torch's default init std of a parameter of the freshly built target (None: not random)."""
    module = model.get_submodule(name.rsplit(".", 1)[0])
    if isinstance(module, nn.Embedding):
        return 1.0
    if isinstance(module, nn.Linear):
        return 1.0 / math.sqrt(3.0 * module.in_features)
    return None


def rescale_factors(make):
    model = make().double()
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(1.0)
    # the base only lends its shapes
    set_base_shapes(model, make.base())
    out = {}
    for n, p in model.named_parameters():
        values = p.detach().flatten().unique()
        assert values.numel() == 1, (n, values)
        out[n] = values.item()
    return out


def lr_groups(model, optimizer):
    opt = optimizer(model.parameters(), lr=1.0, weight_decay=1.0)
    names = {id(p): n for n, p in model.named_parameters()}
    out = {}
    for group in opt.param_groups:
        for p in group["params"]:
            out[names[id(p)]] = (group["lr"], group["weight_decay"])
    return out


class Maker:
    def __init__(self, build, base_args, target_args):
        self.build, self.base_args, self.target_args = build, base_args, target_args

    def __call__(self):
        return self.build(*self.target_args)

    def base(self):
        return self.build(*self.base_args)


def record(label, make, readout_zero_init, output_mult):
    torch.manual_seed(0)
    target = make()
    base = make.base()
    base_shapes = {n: list(p.shape) for n, p in base.named_parameters()}
    set_base_shapes(target, base)
    factors = rescale_factors(make)
    adam = lr_groups(target, MuAdam)
    sgd = lr_groups(target, MuSGD)
    rows = []
    for name, p in target.named_parameters():
        role, weight = roles(target)[name]
        infshape = p.infshape
        std = sp_std(target, name)
        if readout_zero_init and role in ("readout_weight", "readout_bias"):
            assert torch.count_nonzero(p) == 0, name
            init_std = 0.0
        elif std is None:
            init_std = None
        else:
            init_std = std * factors[name]
            if p.numel() >= 2000:
                # sample std of n >= 2000 values: relative sd about 1/sqrt(2n) (uniform: less), so 15%
                # is over 9 sd away: a false failure is impossible in practice
                observed = p.detach().double().std().item()
                assert abs(observed / init_std - 1) < 0.15, (label, name, observed, init_std)
        record_scale = {}

        def sampler(tensor, scale=1):
            record_scale["value"] = scale

        probe = torch.empty(p.shape, dtype=torch.float64)
        probe.infshape = infshape
        mup.init.constant_std_init_(probe, sampler)
        rows.append({
            "model": label,
            "name": name,
            "shape": list(p.shape),
            "base_shape": base_shapes[name],
            "role": role,
            "weight": weight,
            "inf": [d.isinf() for d in infshape],
            "ninf": infshape.ninf(),
            "width_mult": float(infshape.width_mult()),
            "rescale_factor": factors[name],
            "sp_std": std,
            "init_std": init_std,
            "constant_std_factor": float(record_scale["value"]),
            "lr_adam": adam[name][0],
            "wd_adam": adam[name][1],
            "lr_sgd": sgd[name][0],
            "wd_sgd": sgd[name][1],
        })
    readouts = {}
    names = {id(p): n for n, p in target.named_parameters()}
    for _, module in target.named_modules():
        if isinstance(module, MuReadout):
            readouts[names[id(module.weight)]] = module.output_mult / module.width_mult()
    return {"model": label, "readout_zero_init": readout_zero_init, "output_mult": output_mult,
            "output_multipliers": readouts}, rows


def main():
    models, tensors = [], []
    for label, base_widths, widths, zero, mult in [
        ("mlp_64_to_256", (64, 64), (256, 256), False, 1.0),
        ("mlp_64_to_96_128", (64, 64), (96, 128), False, 1.0),
        ("mlp_64_to_32_zero_readout", (64, 64), (32, 32), True, 2.0),
    ]:
        make = Maker(lambda w, z=zero, m=mult: Mlp(w, readout_zero_init=z, output_mult=m), (base_widths,),
                     (widths,))
        model, rows = record(label, make, zero, mult)
        models.append(model)
        tensors.extend(rows)
    # (d, d_ff): the last one scales d_ff by 3 while d grows by 4, so fan-in and fan-out mults differ
    for label, base_d, d, tied, zero, mult in [
        ("gpt_64_to_256_untied", (64, 256), (256, 1024), False, False, 1.0),
        ("gpt_64_to_256_tied", (64, 256), (256, 1024), True, False, 1.0),
        ("gpt_64_to_128_untied_zero_readout", (64, 256), (128, 512), False, True, 0.5),
        ("gpt_64_to_256_ffn_768_tied", (64, 256), (256, 768), True, False, 1.0),
    ]:
        make = Maker(lambda w, f, t=tied, z=zero, m=mult: Gpt(w, t, readout_zero_init=z, output_mult=m, ffn=f),
                     base_d, d)
        model, rows = record(label, make, zero, mult)
        models.append(model)
        tensors.extend(rows)

    # an nn.Linear (not a MuReadout) with an infinite fan-in and a finite fan-out: mup's
    # assert_hidden_size_inf refuses it; "module" is the one it names
    errors = []
    for label, base_widths, widths, plain in [
        ("mlp_plain_readout", (64, 64), (256, 256), True),
        ("mlp_only_middle_width_scaled", (64, 64, 64), (64, 128, 64), False),
    ]:
        try:
            set_base_shapes(Mlp(widths, plain_readout=plain), Mlp(base_widths, plain_readout=plain))
            errors.append({"model": label, "widths": widths, "base_widths": base_widths, "module": None})
        except AssertionError as e:
            errors.append({"model": label, "widths": widths, "base_widths": base_widths,
                           "module": str(e).split(" has ")[0]})

    # MuSharedReadout(readout_zero_init=True): the zeroing at construction hits the Linear's own
    # weight before the embedding's replaces it; any later reset_parameters() zeroes the embedding
    torch.manual_seed(0)
    tied = Gpt(64, tied=True, readout_zero_init=True)
    after_construction = torch.count_nonzero(tied.wte.weight).item()
    tied.lm_head.reset_parameters()
    after_reset = torch.count_nonzero(tied.wte.weight).item()
    tied_readout = {"embedding_nonzero_after_construction": after_construction,
                    "embedding_nonzero_after_reset_parameters": after_reset,
                    "embedding_numel": tied.wte.weight.numel()}

    fixture = {
        "mup_version": importlib.metadata.version("mup"),
        "torch_version": torch.__version__.split("+")[0],
        "models": models,
        "tensors": tensors,
        "errors": errors,
        "tied_readout": tied_readout,
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mup.json"), "w") as f:
        f.write(dump(fixture))


if __name__ == "__main__":
    main()
