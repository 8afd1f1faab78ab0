#!/usr/bin/env python3
"""Writes gpt.json: GPT-2 (transformers) and nanoGPT as the libraries build them.

For each architecture at several small configs, the model is built by the library itself
(transformers.GPT2LMHeadModel(GPT2Config(**config)); nanoGPT's model.GPT(GPTConfig(**config))
from a checkout of karpathy/nanoGPT) and the fixture records:

- state_dict: every key of model.state_dict(), in order, with shape and dtype;
- tie_groups: keys that share one tensor (same data_ptr), first key first;
- num_parameters: sum(p.numel() for p in model.parameters()) (tied tensors once);
- groups: the tensors pooled by name with the block index replaced by "*"
  (transformer.h.*.attn.c_proj.weight): a "constant" group records the one value every
  element holds; a "random" group records up to SAMPLES values drawn by the library at
  torch.manual_seed(SEED) (the first values of each tensor, in order, spread over the
  group's tensors; float32 values as their shortest decimals), plus the group's std for
  reading.

Usage (from this folder; nanoGPT is never copied into the repository):
    git clone https://github.com/karpathy/nanoGPT /tmp/nanogpt   # or any checkout
    python3 make_gpt.py /tmp/nanogpt
ArchitectureReferenceTests (src/test/java/dev/initlab/models) reads gpt.json.
"""

import json
import os
import re
import subprocess
import sys

import torch
import transformers

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fixture_json import dump  # noqa: E402

SEED = 1234
SAMPLES = 1000

GPT2_CONFIGS = [
    {"vocab_size": 1000, "n_positions": 128, "n_embd": 64, "n_layer": 2, "n_head": 4},
    {"vocab_size": 500, "n_positions": 64, "n_embd": 48, "n_layer": 3, "n_head": 6, "n_inner": 100,
     "initializer_range": 0.05, "tie_word_embeddings": False, "add_cross_attention": True,
     "resid_pdrop": 0.0, "layer_norm_epsilon": 1e-6},
]

NANOGPT_CONFIGS = [
    {"block_size": 128, "vocab_size": 1000, "n_layer": 2, "n_head": 4, "n_embd": 64},
    {"block_size": 64, "vocab_size": 512, "n_layer": 3, "n_head": 6, "n_embd": 48, "bias": False,
     "dropout": 0.1},
]


def group_key(name):
    return re.sub(r"\.h\.\d+\.", ".h.*.", name)


def record(architecture, config, model):
    sd = model.state_dict()
    entries = [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
               for k, v in sd.items()]
    by_ptr = {}
    for k, v in sd.items():
        by_ptr.setdefault((v.data_ptr(), tuple(v.shape)), []).append(k)
    ties = [keys for keys in by_ptr.values() if len(keys) > 1]
    pooled = {}
    for k, v in sd.items():
        if any(k in t[1:] for t in ties):
            continue
        pooled.setdefault(group_key(k), []).append(v.detach().double().flatten())
    groups = []
    for key, tensors in pooled.items():
        values = torch.cat(tensors)
        if bool((values == values[0]).all()):
            groups.append({"match": key, "kind": "constant", "value": float(values[0]),
                           "numel": values.numel()})
            continue
        per = -(-SAMPLES // len(tensors))
        sample = torch.cat([t[:per] for t in tensors])[:SAMPLES]
        groups.append({"match": key, "kind": "random", "numel": values.numel(),
                       "std": float(values.std(unbiased=False)),
                       "samples": [float(str(x)) for x in sample.float().numpy()]})
    return {"architecture": architecture, "config": config, "state_dict": entries, "tie_groups": ties,
            "num_parameters": sum(p.numel() for p in model.parameters()), "seed": SEED, "groups": groups}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_gpt.py PATH_TO_NANOGPT_CHECKOUT")
    nanogpt = os.path.abspath(sys.argv[1])
    sys.path.insert(0, nanogpt)
    import model as nanogpt_model  # noqa: E402
    try:
        commit = subprocess.run(["git", "-C", nanogpt, "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        commit = os.environ.get("NANOGPT_COMMIT", "unknown")
    cases = []
    for config in GPT2_CONFIGS:
        torch.manual_seed(SEED)
        model = transformers.GPT2LMHeadModel(transformers.GPT2Config(**config))
        cases.append(record("transformers/GPT2LMHeadModel", config, model))
    for config in NANOGPT_CONFIGS:
        torch.manual_seed(SEED)
        model = nanogpt_model.GPT(nanogpt_model.GPTConfig(**config))
        cases.append(record("nanogpt/GPT", config, model))
    fixture = {"torch": torch.__version__, "transformers": transformers.__version__, "nanogpt": commit,
               "cases": cases}
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "gpt.json"), "w") as f:
        f.write(dump(fixture))


if __name__ == "__main__":
    main()
