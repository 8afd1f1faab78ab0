#!/usr/bin/env python3
"""Writes vit_options.json: state_dict names and shapes of timm's VisionTransformer for the
constructor options the main fixture (vit.json, make_architectures.py) does not cover:
norm_pre, qk_norm, scale_attn_norm/scale_mlp_norm, LayerScale (init_values, and 0.0 meaning
none), fc_norm, final_norm, proj_bias, pos_embed '' / 'none', no_embed_class, rectangular
img_size/patch_size, in_chans, num_classes 0. Names and shapes only (the init rules of these
modules are covered by vit.json and the constructor's code). VitTests reads it.

Run: python3 make_vit_options.py   (needs torch and timm; written with torch 2.13.0+cpu,
timm 1.0.29). Output is deterministic.
"""
import json
import os

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


def main():
    models = []
    for cfg in CONFIGS:
        m = VisionTransformer(**cfg)
        models.append({"config": cfg,
                       "state_dict": [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
                                      for k, v in m.state_dict().items()],
                       "parameter_count": sum(p.numel() for p in m.parameters())})
    out = {"versions": {"torch": torch.__version__, "timm": timm.__version__}, "models": models}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vit_options.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
