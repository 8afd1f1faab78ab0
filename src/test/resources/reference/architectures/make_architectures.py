#!/usr/bin/env python3
"""Writes the whole-architecture fixtures (issue #13, item 6): one JSON per library family
(gpt2, llama, bert, t5, nanogpt, resnet, vit; issue #14 adds fixup) and
architectures_summary.md, all built by the REAL libraries at small configs.

Per model (architecture + config) a fixture records:
- the config as passed and the library's resolved config (transformers: config.to_dict()
  minus noise; torchvision/timm: the constructor's signature defaults merged with what the
  built model has; nanoGPT: the GPTConfig dataclass);
- model.state_dict() keys in order with shape and dtype, persistent buffers included
  (num_batches_tracked int64); the names of non-persistent buffers (absent from the
  state_dict);
- tie groups: state_dict keys whose tensors share storage (equal data_ptr); later members
  say "tied_to" the first and carry no values of their own;
- the parameter count with ties counted once (transformers: model.num_parameters(); else
  sum(p.numel() for p in model.parameters()), which deduplicates shared parameters);
- per tensor: "deterministic" when building the model again under a second seed gives the
  same tensor (then its distinct values, at most 16), else a sample of at most
  "max_sample" values (MAX_SAMPLE; 128 for ResNets and the named ViTs, to stay small) of
  the tensor the library drew under torch.manual_seed(BUILD_SEED), picked by
  numpy.random.default_rng(PICK_SEED) without replacement (all values when the tensor is
  small), leaving out rows that are entirely zero (recorded as "zero_rows", e.g. an
  embedding's padding row); plus the sample's std and the whole tensor's mean, std
  (unbiased), min and max in float64 to 9 significant digits (random tensors only: a
  deterministic tensor's values say it all). Models with "samples": false (the big
  ResNets, the named ViTs but one) keep names, shapes, dtypes, values and stats only;
- nanoGPT also gets "non_embedding_parameter_count" (its get_num_params(): minus wpe).
A tensor's group (not written; the reader derives it) is its name with every purely numeric
part replaced by "*": tensors of one group in one model share a rule (e.g.
transformer.h.*.attn.c_proj.weight), except where a rule depends on the layer index
(timm's fix_init) or on the shape (torchvision's fan_out convs).
Float32 values are written with the shortest repr that round-trips through float32.

Run (any folder; nanoGPT and Fixup are not vendored and not pip-installable: pass the folder
of a karpathy/nanoGPT checkout that holds model.py and the folder of a hongyi-zhang/Fixup
checkout that holds imagenet/models/fixup_resnet_imagenet.py):
    python3 make_architectures.py /path/to/nanoGPT /path/to/Fixup
(NANOGPT_COMMIT=<sha> and FIXUP_COMMIT=<sha> name the checkouts' commits in nanogpt.json and
fixup.json; their defaults are the ones below.) It rewrites the eight JSON files and the
summary beside this script.
Needs: torch (CPU), transformers, torchvision, timm, numpy, scipy (pip install). The
versions used are written into every fixture ("versions"); the committed fixtures were made
with torch 2.13.0+cpu, transformers 5.18.0, torchvision 0.28.0+cu130, timm 1.0.29,
nanoGPT commit 3adf61e154c3fe3fca428ad6bc3818b27a3b8291, Fixup commit
f3fa449fbb8906ccb7143cea822f8b964b3d9258. Output is deterministic for fixed
versions. ArchitectureFixtures (src/test/java/dev/initlab/models) reads the fixtures.
"""

import dataclasses
import importlib.util
import inspect
import io
import json
import math
import os
import sys
import contextlib

import numpy as np
import torch

# The mirror's torchvision 0.28.0 wheel is a CUDA build. Beside the CPU torch its C++ ops
# library does not load, and `import torchvision` then fails in _meta_registrations.py,
# which registers fake (meta) kernels for torchvision::nms and torchvision::qnms on ops that
# were never defined. The model code used here (ResNet) calls no torchvision op, so declaring
# these two schemas (no kernel at all) only lets the import finish; if the C++ ops did load,
# they define the ops themselves and this block is skipped.
try:
    torch.ops.torchvision.nms  # noqa: B018
except (AttributeError, RuntimeError):
    _TV_STUB = torch.library.Library("torchvision", "DEF")  # kept alive for the process
    _TV_STUB.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _TV_STUB.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")

import scipy  # noqa: E402
import scipy.stats  # noqa: E402
import timm  # noqa: E402
import torchvision  # noqa: E402
import transformers  # noqa: E402
from timm.models.vision_transformer import VisionTransformer  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_SEED = 0
"""The library builds the model under torch.manual_seed(BUILD_SEED); samples come from it."""
CHECK_SEED = 1
"""A second build under this seed: a tensor equal in both builds is deterministic."""
PICK_SEED = 20251205
"""numpy default_rng seed picking which values of a tensor go into its sample."""
MAX_SAMPLE = 200
DISTINCT_LIMIT = 16


def f32(v):
    """The shortest decimal that reads back as this float32 (as a Python float)."""
    return float(str(np.float32(v)))


def g9(v):
    """A float64 statistic to 9 significant digits (keeps the fixtures small)."""
    return float(f"{float(v):.9g}")


def group_of(name):
    return ".".join("*" if part.isdigit() else part for part in name.split("."))


def record_model(family, architecture, config, build, resolved, count, samples=True, max_sample=MAX_SAMPLE):
    with contextlib.redirect_stdout(io.StringIO()):  # nanoGPT prints its parameter count
        torch.manual_seed(BUILD_SEED)
        model = build()
        torch.manual_seed(CHECK_SEED)
        again = build()
    model.eval()
    sd = model.state_dict()
    sd2 = again.state_dict()
    assert list(sd) == list(sd2)
    non_persistent = [n for n, _ in model.named_buffers() if n not in sd]
    by_ptr = {}
    for name, t in sd.items():
        by_ptr.setdefault((t.data_ptr(), tuple(t.shape), t.dtype), []).append(name)
    tie_groups = [names for names in by_ptr.values() if len(names) > 1]
    tied_to = {n: g[0] for g in tie_groups for n in g[1:]}
    rng = np.random.default_rng(PICK_SEED)
    tensors = []
    for name, t in sd.items():
        entry = {"name": name, "shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", "")}
        if name in tied_to:
            entry["tied_to"] = tied_to[name]
            tensors.append(entry)
            continue
        if torch.equal(t, sd2[name]):
            distinct = torch.unique(t.detach().flatten())
            assert distinct.numel() <= DISTINCT_LIMIT, f"{name}: deterministic with many values"
            entry["deterministic"] = True
            entry["values"] = [int(v) if t.dtype == torch.int64 else f32(v) for v in distinct.tolist()]
        else:
            entry["deterministic"] = False
            x = t.detach().double()
            entry["stats"] = {"mean": g9(x.mean().item()), "std": g9(x.std().item()),
                              "min": g9(x.min().item()), "max": g9(x.max().item())}
            values = t.detach().float()
            if values.dim() >= 2:
                rows = values.reshape(values.shape[0], -1)
                zero = (rows == 0).all(dim=1)
                if zero.any():
                    entry["zero_rows"] = torch.nonzero(zero).flatten().tolist()
                    values = rows[~zero]
            flat = values.flatten().numpy()
            if samples:
                if flat.size > max_sample:
                    flat = flat[np.sort(rng.choice(flat.size, size=max_sample, replace=False))]
                entry["sample"] = [f32(v) for v in flat]
                entry["sample_std"] = g9(np.std(flat.astype(np.float64), ddof=1))
        tensors.append(entry)
    return {
        "id": None,
        "architecture": architecture,
        "config": config,
        "resolved_config": resolved(model),
        "parameter_count": count(model),
        "state_dict_numel": sum(t.numel() for t in sd.values()),
        "non_persistent_buffers": non_persistent,
        "tie_groups": tie_groups,
        "samples": samples,
        "max_sample": max_sample,
        "tensors": tensors,
    }


# ---------------------------------------------------------------- transformers

HF_NOISE = {"transformers_version", "_name_or_path", "architectures", "id2label", "label2id",
            "return_dict", "output_hidden_states", "output_attentions", "torchscript", "dtype",
            "torch_dtype", "chunk_size_feed_forward", "problem_type", "_attn_implementation_autoset",
            "tokenizer_class", "task_specific_params", "finetuning_task", "prefix"}


def hf_resolved(model):
    d = model.config.to_dict()
    return {k: v for k, v in sorted(d.items()) if k not in HF_NOISE and not k.startswith("_")}


def hf(family, cls_name, config_cls, configs):
    cls = getattr(transformers, cls_name)
    out = []
    for cfg in configs:
        def build(cfg=cfg):
            return cls(config_cls(**cfg))
        out.append(record_model(family, "transformers/" + cls_name, cfg, build, hf_resolved,
                                lambda m: m.num_parameters()))
    return out


def gpt2():
    configs = [
        {"n_layer": 2, "n_embd": 32, "n_head": 4, "vocab_size": 97, "n_positions": 64},
        {"n_layer": 3, "n_embd": 24, "n_head": 2, "vocab_size": 50, "n_positions": 16,
         "n_inner": 40, "initializer_range": 0.05},
        # untied lm_head and cross-attention blocks (crossattention.*, ln_cross_attn),
        # plus fields that change no parameter
        {"vocab_size": 500, "n_positions": 64, "n_embd": 48, "n_layer": 3, "n_head": 6, "n_inner": 100,
         "initializer_range": 0.05, "tie_word_embeddings": False, "add_cross_attention": True,
         "resid_pdrop": 0.0, "layer_norm_epsilon": 1e-6},
    ]
    return hf("gpt2", "GPT2LMHeadModel", transformers.GPT2Config, configs)


def llama():
    configs = [
        {"vocab_size": 101, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 64},
        {"vocab_size": 60, "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 1, "max_position_embeddings": 32,
         "tie_word_embeddings": True, "attention_bias": True, "mlp_bias": True,
         "initializer_range": 0.05, "pad_token_id": 3},
        {"vocab_size": 40, "hidden_size": 48, "intermediate_size": 80, "num_hidden_layers": 1,
         "num_attention_heads": 6, "max_position_embeddings": 16, "tie_word_embeddings": False},
    ]
    return hf("llama", "LlamaForCausalLM", transformers.LlamaConfig, configs)


def bert():
    configs = [
        {"vocab_size": 99, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
         "intermediate_size": 64, "max_position_embeddings": 40},
        {"vocab_size": 60, "hidden_size": 24, "num_hidden_layers": 1, "num_attention_heads": 2,
         "intermediate_size": 48, "max_position_embeddings": 20, "type_vocab_size": 3,
         "pad_token_id": 5, "initializer_range": 0.04},
    ]
    return (hf("bert", "BertModel", transformers.BertConfig, configs)
            + hf("bert", "BertForMaskedLM", transformers.BertConfig, configs))


def t5():
    configs = [
        {"vocab_size": 64, "d_model": 32, "d_kv": 8, "d_ff": 48, "num_layers": 2,
         "num_decoder_layers": 2, "num_heads": 4, "relative_attention_num_buckets": 8},
        {"vocab_size": 50, "d_model": 24, "d_kv": 6, "d_ff": 40, "num_layers": 1,
         "num_decoder_layers": 2, "num_heads": 2, "relative_attention_num_buckets": 8,
         "initializer_factor": 2.5, "feed_forward_proj": "gated-gelu"},
        {"vocab_size": 30, "d_model": 16, "d_kv": 4, "d_ff": 24, "num_layers": 1,
         "num_heads": 2, "relative_attention_num_buckets": 4, "tie_word_embeddings": False,
         "initializer_factor": 0.5},
    ]
    return hf("t5", "T5ForConditionalGeneration", transformers.T5Config, configs)


# ---------------------------------------------------------------- nanoGPT

def nanogpt(checkout):
    spec = importlib.util.spec_from_file_location("nanogpt_model", os.path.join(checkout, "model.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    configs = [
        {"block_size": 32, "vocab_size": 67, "n_layer": 2, "n_head": 4, "n_embd": 32, "bias": True},
        {"block_size": 16, "vocab_size": 45, "n_layer": 3, "n_head": 3, "n_embd": 24, "bias": False},
    ]
    out = []
    for cfg in configs:
        out.append(record_model(
            "nanogpt", "nanogpt/GPT", cfg, lambda cfg=cfg: module.GPT(module.GPTConfig(**cfg)),
            lambda m: dataclasses.asdict(m.config),
            lambda m: sum(p.numel() for p in m.parameters())))
        out[-1]["non_embedding_parameter_count"] = None
    return out


# ---------------------------------------------------------------- torchvision

RESNET_LAYOUT = {"resnet18": ("BasicBlock", [2, 2, 2, 2]), "resnet34": ("BasicBlock", [3, 4, 6, 3]),
                 "resnet50": ("Bottleneck", [3, 4, 6, 3]), "resnet101": ("Bottleneck", [3, 4, 23, 3]),
                 "resnet152": ("Bottleneck", [3, 8, 36, 3])}


def plain(v):
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return getattr(v, "__name__", repr(v))


def signature_defaults(fn):
    return {k: plain(p.default) for k, p in inspect.signature(fn).parameters.items()
            if p.default is not inspect.Parameter.empty}


def resnet():
    cases = [
        ("resnet18", {"num_classes": 10}, True),
        ("resnet18", {"num_classes": 7, "zero_init_residual": True}, True),
        ("resnet34", {"num_classes": 10}, False),
        ("resnet34", {"num_classes": 3, "zero_init_residual": True}, False),
        ("resnet50", {"num_classes": 10}, True),
        ("resnet50", {"num_classes": 5, "zero_init_residual": True, "groups": 4, "width_per_group": 16}, True),
        ("resnet101", {"num_classes": 10}, False),
        ("resnet101", {"num_classes": 4, "groups": 2, "width_per_group": 32}, False),
        ("resnet152", {"num_classes": 10}, False),
        ("resnet152", {"num_classes": 6, "zero_init_residual": True}, False),
    ]
    out = []
    for name, cfg, samples in cases:
        fn = getattr(torchvision.models, name)

        def resolved(m, name=name, cfg=cfg):
            d = signature_defaults(torchvision.models.resnet.ResNet.__init__)
            d.update(cfg)
            d["block"], d["layers"] = RESNET_LAYOUT[name]
            d["norm_layer"] = "BatchNorm2d"
            return dict(sorted(d.items()))

        out.append(record_model("resnet", "torchvision/" + name, cfg,
                                lambda fn=fn, cfg=cfg: fn(weights=None, **cfg), resolved,
                                lambda m: sum(p.numel() for p in m.parameters()),
                                samples=samples, max_sample=128))
    return out


# ---------------------------------------------------------------- timm

def vit_resolved(m):
    d = signature_defaults(VisionTransformer.__init__)
    blk = m.blocks[0]
    d.update({
        "img_size": plain(m.patch_embed.img_size), "patch_size": plain(m.patch_embed.patch_size),
        "embed_dim": m.embed_dim, "depth": len(m.blocks), "num_heads": blk.attn.num_heads,
        "mlp_ratio": blk.mlp.fc1.out_features / m.embed_dim, "qkv_bias": blk.attn.qkv.bias is not None,
        "class_token": m.cls_token is not None, "num_classes": m.num_classes,
        "reg_tokens": m.num_reg_tokens, "global_pool": m.global_pool,
    })
    return dict(sorted(d.items()))


def with_init_args(resolved, cfg):
    """weight_init and fix_init leave no trace in the built model: take them as passed."""
    return dict(sorted(dict(resolved, **{k: cfg[k] for k in ("weight_init", "fix_init") if k in cfg}).items()))


def vit():
    base = {"img_size": 32, "patch_size": 8, "embed_dim": 48, "depth": 2, "num_heads": 3, "num_classes": 10}
    configs = [dict(base, weight_init=mode) for mode in ("", "jax", "jax_nlhb", "moco")]
    configs.append(dict(base, fix_init=True))
    configs.append(dict(base, class_token=False, global_pool="avg", qkv_bias=False, mlp_ratio=2.0))
    configs.append(dict(base, reg_tokens=2, depth=1))
    out = []
    for cfg in configs:
        out.append(record_model("vit", "timm/VisionTransformer", cfg,
                                lambda cfg=cfg: VisionTransformer(**cfg),
                                lambda m, cfg=cfg: with_init_args(vit_resolved(m), cfg),
                                lambda m: sum(p.numel() for p in m.parameters())))
    for name, cfg, samples in [("vit_tiny_patch16_224", {}, True),
                               ("vit_tiny_patch16_224", {"num_classes": 10, "weight_init": "jax"}, False),
                               ("vit_small_patch16_224", {}, False),
                               ("vit_small_patch16_224", {"num_classes": 10}, False),
                               ("vit_base_patch16_224", {}, False),
                               ("vit_base_patch16_224", {"num_classes": 10, "weight_init": "jax"}, False)]:
        out.append(record_model("vit", "timm/" + name, cfg,
                                lambda name=name, cfg=cfg: timm.create_model(name, pretrained=False, **cfg),
                                lambda m, cfg=cfg: with_init_args(vit_resolved(m), cfg),
                                lambda m: sum(p.numel() for p in m.parameters()),
                                samples=samples, max_sample=128))
    return out


# ---------------------------------------------------------------- Fixup (hongyi-zhang/Fixup)

FIXUP_DEFAULT_COMMIT = "f3fa449fbb8906ccb7143cea822f8b964b3d9258"


def fixup(checkout):
    """fixup_resnetNN(**config) of the reference implementation's ImageNet models
    (imagenet/models/fixup_resnet_imagenet.py), imported from the checkout as nanoGPT is."""
    path = os.path.join(checkout, "imagenet", "models", "fixup_resnet_imagenet.py")
    spec = importlib.util.spec_from_file_location("fixup_resnet_imagenet", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cases = [
        ("resnet18", {"num_classes": 10}, True),
        ("resnet18", {}, True),
        ("resnet34", {"num_classes": 10}, False),
        ("resnet34", {}, False),
        ("resnet50", {"num_classes": 10}, True),
        ("resnet50", {}, False),
        ("resnet101", {"num_classes": 10}, False),
        ("resnet101", {}, False),
        ("resnet152", {"num_classes": 10}, False),
        ("resnet152", {}, False),
    ]
    out = []
    for name, cfg, samples in cases:
        fn = getattr(module, "fixup_" + name)

        def resolved(m, cfg=cfg):
            d = signature_defaults(module.FixupResNet.__init__)
            d.update(cfg)
            d["block"] = type(m.layer1[0]).__name__
            d["layers"] = [len(m.layer1), len(m.layer2), len(m.layer3), len(m.layer4)]
            d["num_layers"] = m.num_layers
            return dict(sorted(d.items()))
        out.append(record_model("fixup", "fixup/" + name, cfg, lambda fn=fn, cfg=cfg: fn(**cfg), resolved,
                                lambda m: sum(p.numel() for p in m.parameters()),
                                samples=samples, max_sample=128))
    return out


# ---------------------------------------------------------------- rules for the summary

def documented_rule(m, name, shape):
    """(rule text, distribution, std or None) as each library documents it; used only for
    architectures_summary.md, never written into the fixtures."""
    c = m["resolved_config"]
    arch = m["architecture"]
    leaf = name.split(".")[-1]
    if arch == "transformers/GPT2LMHeadModel":
        r = c["initializer_range"]
        if name.endswith("c_proj.weight"):
            return ("normal(0, initializer_range/sqrt(2*n_layer))", "normal", r / math.sqrt(2 * c["n_layer"]))
        return ("normal(0, initializer_range)", "normal", r)
    if arch in ("transformers/LlamaForCausalLM", "transformers/BertModel", "transformers/BertForMaskedLM"):
        return ("normal(0, initializer_range)", "normal", c["initializer_range"])
    if arch == "transformers/T5ForConditionalGeneration":
        f, d, kv, h, ff = c["initializer_factor"], c["d_model"], c["d_kv"], c["num_heads"], c["d_ff"]
        if "relative_attention_bias" in name:
            return ("normal(0, factor*d_model^-0.5)", "normal", f * d ** -0.5)
        if leaf == "weight" and name.split(".")[-2] in ("q",):
            return ("normal(0, factor*(d_model*d_kv)^-0.5)", "normal", f * (d * kv) ** -0.5)
        if name.split(".")[-2] in ("k", "v"):
            return ("normal(0, factor*d_model^-0.5)", "normal", f * d ** -0.5)
        if name.split(".")[-2] == "o":
            return ("normal(0, factor*(n_heads*d_kv)^-0.5)", "normal", f * (h * kv) ** -0.5)
        if name.split(".")[-2] in ("wi", "wi_0", "wi_1"):
            return ("normal(0, factor*d_model^-0.5)", "normal", f * d ** -0.5)
        if name.split(".")[-2] == "wo":
            return ("normal(0, factor*d_ff^-0.5)", "normal", f * ff ** -0.5)
        return ("normal(0, factor*1.0)", "normal", f)
    if arch == "nanogpt/GPT":
        if name.endswith("c_proj.weight"):
            return ("normal(0, 0.02/sqrt(2*n_layer))", "normal", 0.02 / math.sqrt(2 * c["n_layer"]))
        return ("normal(0, 0.02)", "normal", 0.02)
    if arch.startswith("torchvision/"):
        if len(shape) == 4:
            fan_out = shape[0] * shape[2] * shape[3]
            return ("kaiming_normal(fan_out, relu): std sqrt(2/fan_out)", "normal", math.sqrt(2 / fan_out))
        fan_in = shape[1] if len(shape) == 2 else m["_fc_in"]
        return ("nn.Linear default: U(-1/sqrt(fan_in), 1/sqrt(fan_in))", "uniform", 1 / math.sqrt(fan_in) / math.sqrt(3))
    if arch.startswith("timm/"):
        mode = c.get("weight_init", "")
        if leaf in ("cls_token", "reg_token"):
            return ("normal(0, 1e-6)", "normal", 1e-6)
        if name == "pos_embed":
            return ("trunc_normal(std .02, a=-2, b=2)", "normal", 0.02)
        if mode.startswith("jax"):
            if name.startswith("patch_embed.proj.weight"):
                fan_in = shape[1] * shape[2] * shape[3]
                return ("lecun_normal: trunc normal var 1/fan_in (+-2 sigma)", "lecun", math.sqrt(1 / fan_in))
            if leaf == "bias":
                return ("normal(0, 1e-6) (mlp biases)", "normal", 1e-6)
            return ("xavier_uniform", "uniform", math.sqrt(2 / (shape[0] + shape[1])))
        if mode == "moco" and name.endswith("qkv.weight"):
            val = math.sqrt(6 / (shape[0] // 3 + shape[1]))
            return ("moco: U(-sqrt(6/(out/3+in)), +) for qkv", "uniform", val / math.sqrt(3))
        if mode == "moco" and leaf == "weight" and len(shape) == 2:
            return ("xavier_uniform", "uniform", math.sqrt(2 / (shape[0] + shape[1])))
        if name == "patch_embed.proj.weight":  # moco too: timm leaves the conv at its default
            fan_in = shape[1] * shape[2] * shape[3]
            return ("nn.Conv2d default: U(+-1/sqrt(fan_in))", "uniform", 1 / math.sqrt(fan_in) / math.sqrt(3))
        if name == "patch_embed.proj.bias":
            fan_in = m["_patch_fan_in"]
            return ("nn.Conv2d default bias: U(+-1/sqrt(fan_in))", "uniform", 1 / math.sqrt(fan_in) / math.sqrt(3))
        std = 0.02
        text = "trunc_normal(std .02, a=-2, b=2)"
        if c.get("fix_init") and (name.endswith("attn.proj.weight") or name.endswith("mlp.fc2.weight")):
            layer = int(name.split(".")[1]) + 1
            std /= math.sqrt(2 * layer)
            text = "trunc_normal(std .02) / sqrt(2*layer_id) (fix_init)"
        return (text, "normal", std)
    if arch.startswith("fixup/"):
        if name == "conv1.weight":
            fan_in = shape[1] * shape[2] * shape[3]
            return ("nn.Conv2d default (stem, not re-initialised): U(+-1/sqrt(fan_in))", "uniform",
                    1 / math.sqrt(fan_in) / math.sqrt(3))
        fan_out = shape[0] * shape[2] * shape[3]
        if name.endswith("downsample.weight"):
            return ("normal(0, sqrt(2/fan_out)) (He by fan_out, no depth scaling)", "normal", math.sqrt(2 / fan_out))
        m_ = 2 if c["block"] == "FixupBasicBlock" else 3
        return ("normal(0, sqrt(2/fan_out) * L^(-1/(2m-2))), L = num_layers", "normal",
                math.sqrt(2 / fan_out) * c["num_layers"] ** (-1 / (2 * m_ - 2)))
    return ("?", "?", None)


NOTES = """## What the libraries do that one might not expect (from these fixtures)

- transformers 5.x T5: `T5Config` forces `tie_word_embeddings = True`; a passed `false` only
  sets `scale_decoder_outputs = False`. `shared`, `encoder.embed_tokens`,
  `decoder.embed_tokens` and `lm_head` are one tensor in every config (t5_2 passes `false`),
  drawn at normal(0, initializer_factor); T5 layer norms are the constant initializer_factor
  (0.5, 2.5 here), not 1.
- transformers 5.x GPT-2 has no buffers at all (4.x had the causal-mask `attn.bias` and
  `attn.masked_bias`); the default `bos/eos_token_id` 50256 is kept even for a small
  `vocab_size` (transformers only warns).
- Non-persistent buffers (absent from the state_dict): Llama `model.rotary_emb.inv_freq` and
  `model.rotary_emb.original_inv_freq`; BERT `embeddings.position_ids` and
  `embeddings.token_type_ids`.
- Padding rows: BERT (`pad_token_id` default 0) and Llama with a `pad_token_id` get that
  embedding row zeroed by `_init_weights`; with Llama's `tie_word_embeddings` the zero row is
  also `lm_head`'s. BERT-MLM ties `cls.predictions.bias` to `cls.predictions.decoder.bias`.
- nanoGPT registers its causal-mask buffer `attn.bias` (persistent!) only when torch lacks
  `scaled_dot_product_attention`; with torch >= 2.0 there is none. `lm_head` is tied to `wte`.
- torchvision ResNet: every `num_batches_tracked` is an int64 scalar 0; `zero_init_residual`
  zeroes `bn2.weight` (BasicBlock) or `bn3.weight` (Bottleneck) of every block; `fc` keeps
  nn.Linear's default init (not re-initialised).
- timm ViT: `trunc_normal_(std=.02)` uses timm's absolute bounds a=-2, b=2 (100 sigma: no
  truncation in effect); `cls_token`/`reg_token` normal(0, 1e-6); in "" and `moco` modes the
  patch-embedding conv keeps nn.Conv2d's default init; `jax` modes: xavier_uniform Linears,
  lecun_normal (truncated, +-2 sigma) patch conv, mlp biases normal(0, 1e-6), other biases 0,
  head weight 0 and head bias `head_bias` (0, or -ln(num_classes) for `jax_nlhb`);
  `fix_init` divides `attn.proj.weight` and `mlp.fc2.weight` of block i (from 1) by
  sqrt(2 i). `weight_init` and `fix_init` are not stored on the model.
- Fixup (hongyi-zhang/Fixup `imagenet/models/fixup_resnet_imagenet.py`): no batch norm; every
  module's scalar `nn.Parameter`s (shape [1]) come before its convs in the state_dict (the
  model's `bias1`, `bias2` before `conv1.weight`; a block's `bias1a`, `bias1b`, `bias2a`,
  (`bias2b`, `bias3a`,) `scale`, `bias2b`/`bias3b` before its `conv1`), as torch lists a
  module's own parameters before its children's. `downsample` is a bare 1x1 conv without
  bias (key `downsample.weight`, no `.0`/`.1`), drawn at He-by-fan_out std sqrt(2/out_channels)
  with NO depth scaling; the branch convs use fan_out = out_channels * kernel area too (not
  fan_in) times L^(-1/(2m-2)), L = sum(layers) = `num_layers` (8 for resnet18, 16 for
  resnet50); both conv1 and conv2 of a bottleneck are scaled, the last conv of each branch,
  `fc.weight` and `fc.bias` are 0; the stem `conv1` keeps nn.Conv2d's default (U(+-1/sqrt(147))).
"""


def summary(models):
    lines = ["# Whole architectures as the libraries initialise them (observed)", "",
             "Generated by make_architectures.py. Per model with samples and per group of tensors",
             "(numeric name parts as `*`): the rule as the library documents it, its std, the",
             "pooled sample's std divided by it, and a one-sample KS p-value of the pooled",
             "standardised sample against the documented distribution (normal, uniform, or",
             "lecun's +-2 sigma truncated normal). Deterministic groups list their values.",
             "Models built for names and shapes only (no samples) get their header line only.", "",
             NOTES]
    for m in models:
        lines.append(f"## {m['id']}: `{m['architecture']}` {json.dumps(m['config'])}")
        lines.append("")
        lines.append(f"parameters (ties once): {m['parameter_count']}; state_dict tensors: {len(m['tensors'])}; "
                     f"tie groups: {m['tie_groups'] or 'none'}; non-persistent buffers: "
                     f"{m['non_persistent_buffers'] or 'none'}")
        lines.append("")
        if not m["samples"]:
            continue
        if m["architecture"].startswith("torchvision/"):
            m["_fc_in"] = [t for t in m["tensors"] if t["name"] == "fc.weight"][0]["shape"][1]
        if m["architecture"].startswith("timm/"):
            s = [t for t in m["tensors"] if t["name"] == "patch_embed.proj.weight"][0]["shape"]
            m["_patch_fan_in"] = s[1] * s[2] * s[3]
        groups = {}
        for t in m["tensors"]:
            groups.setdefault(group_of(t["name"]), []).append(t)
        lines.append("| group | n | observed | rule | std | ratio | KS p |")
        lines.append("|---|---|---|---|---|---|---|")
        for g, ts in groups.items():
            own = [t for t in ts if "tied_to" not in t]
            if not own:
                lines.append(f"| `{g}` | {len(ts)} | tied to `{ts[0]['tied_to']}` | | | | |")
                continue
            if all(t["deterministic"] for t in own):
                vals = sorted({v for t in own for v in t["values"]})
                lines.append(f"| `{g}` | {len(ts)} | constant {vals} | | | | |")
                continue
            pooled = []
            ratio_rows = []
            text, dist, std = None, None, None
            for t in own:
                if "sample" not in t:
                    continue
                text, dist, std = documented_rule(m, t["name"], t["shape"])
                if std:
                    pooled.extend(np.array(t["sample"]) / std)
            zr = sorted({r for t in own for r in t.get("zero_rows", [])})
            observed = "random" + (f", zero rows {zr}" if zr else "")
            constant = [t["name"] for t in own if t["deterministic"]]
            if constant:
                observed += f"; constant: {constant}"
            if not pooled:
                lines.append(f"| `{g}` | {len(ts)} | {observed} | {text} | | | |")
                continue
            pooled = np.array(pooled)
            if dist == "normal":
                p = scipy.stats.kstest(pooled, "norm").pvalue
            elif dist == "uniform":
                p = scipy.stats.kstest(pooled, scipy.stats.uniform(-math.sqrt(3), 2 * math.sqrt(3)).cdf).pvalue
            else:
                k = scipy.stats.truncnorm(-2, 2).std()
                p = scipy.stats.kstest(pooled, scipy.stats.truncnorm(-2 / 1, 2 / 1, scale=1 / k).cdf).pvalue
            ratio = float(np.std(pooled, ddof=1))
            lines.append(f"| `{g}` | {len(ts)} | {observed} | {text} | {std:.5g} | {ratio:.3f} | {p:.3g} |")
        lines.append("")
    for m in models:
        m.pop("_fc_in", None)
        m.pop("_patch_fan_in", None)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- output

def dump(fixture):
    """Top-level keys one per line; each model's keys one per line; one tensor per line."""
    out = ["{"]
    keys = list(fixture)
    for i, key in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        if key != "models":
            out.append(f"  {json.dumps(key)}: {json.dumps(fixture[key], allow_nan=False)}{comma}")
            continue
        out.append('  "models": [')
        for j, m in enumerate(fixture["models"]):
            out.append("    {")
            mkeys = list(m)
            for k, mk in enumerate(mkeys):
                mcomma = "," if k < len(mkeys) - 1 else ""
                if mk == "tensors":
                    out.append('      "tensors": [')
                    for n, t in enumerate(m["tensors"]):
                        tcomma = "," if n < len(m["tensors"]) - 1 else ""
                        out.append("        " + json.dumps(t, allow_nan=False) + tcomma)
                    out.append("      ]" + mcomma)
                else:
                    out.append(f"      {json.dumps(mk)}: {json.dumps(m[mk], allow_nan=False)}{mcomma}")
            out.append("    }" + ("," if j < len(fixture["models"]) - 1 else ""))
        out.append("  ]" + comma)
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    if (len(sys.argv) != 3 or not os.path.isfile(os.path.join(sys.argv[1], "model.py"))
            or not os.path.isfile(os.path.join(sys.argv[2], "imagenet", "models", "fixup_resnet_imagenet.py"))):
        sys.exit("usage: make_architectures.py NANOGPT_CHECKOUT FIXUP_CHECKOUT (the folders holding nanoGPT's "
                 "model.py and Fixup's imagenet/models/fixup_resnet_imagenet.py)")
    checkout = sys.argv[1]
    fixup_checkout = sys.argv[2]
    torch.set_num_threads(1)
    versions = {"torch": torch.__version__, "transformers": transformers.__version__,
                "torchvision": torchvision.__version__, "timm": timm.__version__,
                "numpy": np.__version__, "python": sys.version.split()[0]}
    nanogpt_commit = os.environ.get("NANOGPT_COMMIT", "3adf61e154c3fe3fca428ad6bc3818b27a3b8291")
    fixup_commit = os.environ.get("FIXUP_COMMIT", FIXUP_DEFAULT_COMMIT)
    commits = {"nanogpt": {"nanogpt_commit": nanogpt_commit}, "fixup": {"fixup_commit": fixup_commit}}
    families = {"gpt2": gpt2, "llama": llama, "bert": bert, "t5": t5,
                "nanogpt": lambda: nanogpt(checkout), "resnet": resnet, "vit": vit,
                "fixup": lambda: fixup(fixup_checkout)}
    everything = []
    for family, make in families.items():
        models = make()
        for i, m in enumerate(models):
            m["id"] = f"{family}_{i}"
        if family == "nanogpt":
            for m in models:
                wpe = [t for t in m["tensors"] if t["name"] == "transformer.wpe.weight"][0]
                m["non_embedding_parameter_count"] = m["parameter_count"] - math.prod(wpe["shape"])
        fixture = {"family": family, "versions": dict(versions, **commits.get(family, {})),
                   "seeds": {"build": BUILD_SEED, "check": CHECK_SEED, "pick": PICK_SEED},
                   "models": models}
        path = os.path.join(HERE, f"{family}.json")
        with open(path, "w") as f:
            f.write(dump(fixture))
        print(f"{path}: {len(models)} models, {os.path.getsize(path)} bytes", file=sys.stderr)
        everything.extend(models)
    header = ("Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + "\n\n")
    text = summary(everything)
    with open(os.path.join(HERE, "architectures_summary.md"), "w") as f:
        f.write(text.replace("\n\n", "\n\n" + header, 1))


if __name__ == "__main__":
    main()
