#!/usr/bin/env python3
"""Writes vit_options.json: state_dict names and shapes of timm's VisionTransformer for the
constructor options the main fixture (vit.json, make_architectures.py) does not cover:
norm_pre, qk_norm, scale_attn_norm/scale_mlp_norm, LayerScale (init_values, and 0.0 meaning
none), fc_norm, final_norm, proj_bias, pos_embed '' / 'none', no_embed_class, rectangular
img_size/patch_size, in_chans, num_classes 0: names and shapes. And, with samples drawn by
timm itself (under torch.manual_seed(0), at most 200 values per random tensor picked by
numpy.random.default_rng(20251205)), the mode combinations vit.json has no samples for:
weight_init 'reset' and 'skip' (modules keep their construction defaults; fix_init applies
after 'reset' only), and fix_init after 'jax' and 'moco'. VitTests reads it.

Run: python3 make_vit_options.py   (needs torch and timm; written with torch 2.13.0+cpu,
timm 1.0.29). Output is deterministic.
"""
import json
import os

import numpy as np

import torch

# As in make_architectures.py: the mirror's CUDA torchvision wheel cannot load its C++ ops
# beside the CPU torch, and timm imports torchvision; declaring the two op schemas lets the
# import finish (no torchvision op is called).
try:
    torch.ops.torchvision.nms  # noqa: B018
except (AttributeError, RuntimeError):
    _TV_STUB = torch.library.Library("torchvision", "DEF")
    _TV_STUB.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _TV_STUB.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")

import timm  # noqa: E402
from timm.models.vision_transformer import VisionTransformer  # noqa: E402

BASE = {"img_size": 32, "patch_size": 8, "embed_dim": 48, "depth": 1, "num_heads": 3}
CONFIGS = [
    dict(BASE, pre_norm=True, qk_norm=True, init_values=0.1, fc_norm=True, no_embed_class=True, reg_tokens=1),
    dict(BASE, scale_attn_norm=True, scale_mlp_norm=True, proj_bias=False, pos_embed="none", final_norm=False,
         num_classes=0, mlp_ratio=2.5),
    dict(BASE, img_size=[40, 24], patch_size=[8, 6], global_pool="avg", fc_norm=False, init_values=0.0, in_chans=1),
    dict(BASE, qkv_bias=False, qk_norm=True, pos_embed="", class_token=False, global_pool="max", depth=2,
         weight_init="jax", fix_init=True, init_values=1e-5),
]

SAMPLED = [dict(BASE, depth=2, num_classes=10, weight_init=mode, fix_init=True)
           for mode in ("reset", "skip", "jax", "moco")]
MAX_SAMPLE = 200


def f32(v):
    return float(str(np.float32(v)))


def samples(m):
    rng = np.random.default_rng(20251205)
    out = {}
    for k, v in m.state_dict().items():
        flat = v.detach().flatten()
        if k in ("cls_token", "reg_token", "pos_embed") and m.__dict__.get("_skip"):
            continue  # torch.empty: uninitialized memory, not a distribution
        if torch.unique(flat).numel() <= 1:
            continue
        pick = rng.choice(flat.numel(), size=min(MAX_SAMPLE, flat.numel()), replace=False)
        out[k] = [f32(flat[i].item()) for i in sorted(pick.tolist())]
    return out


def main():
    models = []
    for cfg in CONFIGS:
        m = VisionTransformer(**cfg)
        models.append({"config": cfg,
                       "state_dict": [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
                                      for k, v in m.state_dict().items()],
                       "parameter_count": sum(p.numel() for p in m.parameters())})
    for cfg in SAMPLED:
        torch.manual_seed(0)
        m = VisionTransformer(**cfg)
        m.__dict__["_skip"] = cfg["weight_init"] == "skip"
        models.append({"config": cfg,
                       "state_dict": [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
                                      for k, v in m.state_dict().items()],
                       "parameter_count": sum(p.numel() for p in m.parameters()),
                       "samples": samples(m)})
    out = {"versions": {"torch": torch.__version__, "timm": timm.__version__}, "models": models}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_options.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
