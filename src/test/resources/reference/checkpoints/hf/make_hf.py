#!/usr/bin/env python3
"""Writes the Hugging Face directory fixtures (issue #15, item 3): for each transformers
architecture and a few configs, what `model.save_pretrained(dir)` of the REAL library writes.

Per case (a directory named after it, beside this script):
- `config.json`, exactly as save_pretrained wrote it (the file HfConfig must reproduce byte for
  byte);
- and one line in cases.json: the architecture, the config as a request's `model.config`, the
  request's dtype, and the keys save_pretrained kept in `model.safetensors` (tied duplicates
  left out), sorted.
The model is built with `Class(Config(**config))`, exactly as the service's architectures
describe themselves (BertModel's `add_pooling_layer` is a constructor argument, not a config
field). For the two cases with library-default sizes ("*_defaults") only the config is built
and saved, with `architectures` and `dtype` set as save_pretrained sets them (building a
124M-parameter model only to save its config would take minutes); the small cases check that
this gives the same file as the model's save_pretrained.

Run: python3 make_hf.py (any folder; it writes beside itself). Needs torch (CPU),
transformers, safetensors (pip install). Made with torch 2.13.0+cpu, transformers 5.18.0,
safetensors 0.8.0.
"""

import copy
import json
import os
import shutil
import tempfile

import torch

# The index this project installs from serves a CUDA torchvision beside the CPU torch; its C++
# operators then do not load and `import torchvision` (which transformers' image utilities do)
# fails registering fake kernels for two ops it never defined. Declaring their schemas lets the
# import finish; no torchvision operator is called here.
try:
    torch.ops.torchvision.nms  # noqa: B018
except (AttributeError, RuntimeError):
    _TV_STUB = torch.library.Library("torchvision", "DEF")
    _TV_STUB.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _TV_STUB.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")

import safetensors  # noqa: E402
import transformers  # noqa: E402
from safetensors import safe_open  # noqa: E402

transformers.logging.set_verbosity_error()
HERE = os.path.dirname(os.path.abspath(__file__))

CLASSES = {
    "transformers/GPT2LMHeadModel": (transformers.GPT2Config, transformers.GPT2LMHeadModel),
    "transformers/LlamaForCausalLM": (transformers.LlamaConfig, transformers.LlamaForCausalLM),
    "transformers/BertModel": (transformers.BertConfig, transformers.BertModel),
    "transformers/BertForMaskedLM": (transformers.BertConfig, transformers.BertForMaskedLM),
    "transformers/T5ForConditionalGeneration": (transformers.T5Config, transformers.T5ForConditionalGeneration),
}
DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16, "float64": torch.float64}

GPT2_SMALL = {"vocab_size": 100, "n_positions": 32, "n_embd": 64, "n_layer": 2, "n_head": 4}
LLAMA_SMALL = {"vocab_size": 100, "hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 2,
               "num_attention_heads": 4}
BERT_SMALL = {"vocab_size": 100, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
              "intermediate_size": 96, "max_position_embeddings": 40}
T5_SMALL = {"vocab_size": 100, "d_model": 64, "d_kv": 16, "d_ff": 96, "num_layers": 2, "num_heads": 4}

CASES = [
    ("gpt2_small", "transformers/GPT2LMHeadModel", GPT2_SMALL, "float32"),
    ("gpt2_untied", "transformers/GPT2LMHeadModel",
     {**GPT2_SMALL, "n_inner": 80, "tie_word_embeddings": False, "add_cross_attention": True,
      "layer_norm_epsilon": 1e-6, "initializer_range": 0.05, "activation_function": "relu",
      "eos_token_id": [1, 2], "bos_token_id": 0, "pad_token_id": 3, "resid_pdrop": 0.0}, "bfloat16"),
    ("gpt2_defaults", "transformers/GPT2LMHeadModel", {}, "float32"),
    ("llama_gqa", "transformers/LlamaForCausalLM", {**LLAMA_SMALL, "num_key_value_heads": 2}, "float32"),
    ("llama_tied", "transformers/LlamaForCausalLM",
     {**LLAMA_SMALL, "tie_word_embeddings": True, "head_dim": 32, "attention_bias": True, "mlp_bias": True,
      "pad_token_id": 0, "rms_norm_eps": 1e-5, "max_position_embeddings": 128,
      "rope_parameters": {"rope_type": "default", "rope_theta": 500000.0}}, "float16"),
    ("llama_rope_theta", "transformers/LlamaForCausalLM", {**LLAMA_SMALL, "rope_theta": 500000.0}, "float32"),
    ("llama_rope_scaling", "transformers/LlamaForCausalLM",
     {**LLAMA_SMALL, "rope_scaling": {"type": "linear", "factor": 2.0}}, "float32"),
    ("llama_defaults", "transformers/LlamaForCausalLM", {}, "float32"),
    ("bert_model", "transformers/BertModel", BERT_SMALL, "float32"),
    ("bert_model_decoder", "transformers/BertModel",
     {**BERT_SMALL, "is_decoder": True, "add_cross_attention": True, "pad_token_id": None,
      "add_pooling_layer": False, "hidden_act": "gelu_new", "layer_norm_eps": 1e-7}, "float64"),
    ("bert_mlm", "transformers/BertForMaskedLM", BERT_SMALL, "float32"),
    ("bert_mlm_untied", "transformers/BertForMaskedLM",
     {**BERT_SMALL, "tie_word_embeddings": False, "type_vocab_size": 1, "initializer_range": 0.0}, "float32"),
    ("t5_small", "transformers/T5ForConditionalGeneration", T5_SMALL, "float32"),
    ("t5_gated", "transformers/T5ForConditionalGeneration",
     {**T5_SMALL, "feed_forward_proj": "gated-gelu", "num_decoder_layers": 1, "initializer_factor": 0.5},
     "float32"),
    ("t5_untied_act", "transformers/T5ForConditionalGeneration",
     {**T5_SMALL, "tie_word_embeddings": False, "dense_act_fn": "silu", "is_gated_act": True,
      "relative_attention_num_buckets": 8}, "bfloat16"),
]


def save(architecture, config, dtype, directory, build_model):
    config_class, model_class = CLASSES[architecture]
    kwargs = copy.deepcopy(config)
    constructor = {}
    if "add_pooling_layer" in kwargs:
        constructor["add_pooling_layer"] = kwargs.pop("add_pooling_layer")
    cfg = config_class(**kwargs)
    if not build_model:
        cfg.architectures = [model_class.__name__]
        cfg.dtype = DTYPES[dtype]
        cfg.save_pretrained(directory)
        return None
    torch.manual_seed(0)
    model = model_class(cfg, **constructor).to(DTYPES[dtype])
    model.save_pretrained(directory)
    with safe_open(os.path.join(directory, "model.safetensors"), "pt") as f:
        assert f.metadata() == {"format": "pt"}, f.metadata()
        return sorted(f.keys())


def main():
    index = []
    for name, architecture, config, dtype in CASES:
        out = os.path.join(HERE, name)
        with tempfile.TemporaryDirectory() as tmp:
            defaults = name.endswith("_defaults")
            keys = save(architecture, config, dtype, tmp, build_model=not defaults)
            if not defaults:
                # the config-only path the *_defaults cases use gives the same file
                with tempfile.TemporaryDirectory() as alt:
                    save(architecture, config, dtype, alt, build_model=False)
                    same = open(os.path.join(alt, "config.json")).read() == open(
                        os.path.join(tmp, "config.json")).read()
                    assert same, name
            os.makedirs(out, exist_ok=True)
            shutil.copyfile(os.path.join(tmp, "config.json"), os.path.join(out, "config.json"))
        index.append({"name": name, "architecture": architecture, "config": config, "dtype": dtype,
                      "saved_keys": keys})
    versions = {"torch": torch.__version__, "transformers": transformers.__version__,
                "safetensors": safetensors.__version__}
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        f.write("{\n  \"versions\": " + json.dumps(versions) + ",\n  \"cases\": [\n")
        f.write(",\n".join("    " + json.dumps(c) for c in index))
        f.write("\n  ]\n}\n")


if __name__ == "__main__":
    main()
