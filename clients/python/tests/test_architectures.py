"""Whole architectures (API section 6, `"model"`) against the real libraries that define them.

For each architecture and a few small configs, the server's safetensors must load into the model
the library itself builds from the same config with `load_state_dict(strict=True)`, and then:
  - every key has the library's dtype and shape, in the library's order;
  - tied keys (found from the library model: the same storage under several keys) hold identical
    values, and `num_batches_tracked` is an int64 scalar 0;
  - every tensor the library fills with one constant (zero biases, norms 1/0, BN running stats,
    `zero_init_residual`) is that constant exactly, and all-zero rows (padding rows) are the same;
  - every random tensor passes a two-sample Kolmogorov-Smirnov test against the values the
    library drew itself at construction (see KS_ALPHA);
  - a few library rules, written out (GPT-2's depth-scaled `c_proj`, T5's factor-based stds,
    torchvision's fan-out convs, timm's weight_init modes ...), hold on the served values within
    a tolerance derived from the sample size (see Z and assert_rule).
A JSON request with `"include": ["stats"]` then checks names, order, shapes, `parameter_count`
(= sum(p.numel() for p in model.parameters()): tied parameters once, buffers not at all) and
that each tensor's resolved `init` carries a `rule` (and `tied_to` exactly for tie members).

nanoGPT is not a package: its cases need a checkout of karpathy/nanoGPT and read its `model.py`
from the directory named by the environment variable INITLAB_NANOGPT_DIR. When the variable is
not set they are skipped with that reason; .ci/run cannot reach GitHub, so there they skip unless
the machine provides a checkout. A set variable without a model.py is a failure, not a skip.
Fixup's ResNets (hongyi-zhang/Fixup, not a package either) likewise read
imagenet/models/fixup_resnet_imagenet.py from the checkout named by INITLAB_FIXUP_DIR, and skip
when it is not set.
"""

import fnmatch
import importlib.util
import json
import math
import os
import struct
import sys
from dataclasses import dataclass

import numpy as np
import pytest
import requests
import safetensors.torch
import scipy.stats
import torch


def import_torchvision():
    """Import torchvision, declaring its C++ operators' schemas first when its binary cannot load.

    The package index this project installs from serves a CUDA build of torchvision beside the
    CPU build of torch. Its C++ extension then does not load, and `import torchvision` fails in
    torchvision/_meta_registrations.py, which registers fake kernels for `torchvision::nms` and
    `torchvision::qnms` whose schemas only that extension would have defined. The model code these
    tests use (ResNet, and timm's ViT, which imports torchvision) calls no torchvision operator,
    so declaring the two schemas with torch.library (no kernel: calling them would still fail)
    lets the import finish. With a torchvision whose extension loads, nothing is declared.
    """
    try:
        import torchvision
    except RuntimeError as e:
        if "torchvision::" not in str(e):
            raise
        for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
            del sys.modules[name]  # the failed import left half-initialized modules behind
        library = torch.library.Library("torchvision", "FRAGMENT")
        for schema in ("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
                       "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor"):
            library.define(schema)
        import_torchvision.library = library  # the declarations live as long as this object
        import torchvision
    return torchvision


torchvision = import_torchvision()
import timm  # noqa: E402  (after the torchvision shim: timm imports torchvision)
import timm.models.vision_transformer  # noqa: E402
import transformers  # noqa: E402

import initlab_client as il  # noqa: E402

transformers.logging.set_verbosity_error()  # small vocabularies make it warn about token ids

NANOGPT_ENV = "INITLAB_NANOGPT_DIR"
FIXUP_ENV = "INITLAB_FIXUP_DIR"
TIMEOUT = (10, 600)

# Statistics. The server's output for a fixed request is fixed; the odds below are over what a
# correct implementation could draw (any seed), i.e. the chance that a right server fails here.
# - Written-out rules: the sample standard deviation s of n i.i.d. values with std sigma and
#   kurtosis k is s = sigma * (1 + N(0, (k - 1) / (4n))) to first order (k = 3 for a normal:
#   sigma / sqrt(2n); k = 9/5 for a uniform); the sample mean is N(0, sigma^2 / n). Both are
#   accepted within Z = 5 of those standard errors: two-sided odds 2 * (1 - Phi(5)) = 5.7e-7 per
#   check; 102 statistical rules over CASES, two checks each: about 1.2e-4 in all. A rule pools
#   every tensor it matches and needs at least MIN_RULE_SAMPLE values, so the approximation holds.
#   Constant rules and constant library tensors are compared exactly.
# - Every other random tensor (about 400 in the module, nanoGPT included): two-sample KS between
#   the served values and the library's own draw (at most KS_MAX values of each, an evenly strided
#   subset; scipy's exact p-value up to 10000 values, asymptotic above), rejected when
#   p < KS_ALPHA = 1e-7: about 4e-5 in all.
# The negative controls at the end show that both reject GPT-2's c_proj without its depth scaling,
# and that a missing key, a transposed Conv1D weight, a broken tie, a non-zero bias and a wrong
# dtype are each rejected with the message that names them.
Z = 5.0
MIN_RULE_SAMPLE = 256
KS_ALPHA = 1e-7
KS_MAX = 20000


# ----------------------------------------------------------------------------------------------
# Cases: the request's config is passed unchanged to the library's own constructor


@dataclass(frozen=True)
class Rule:
    """A library rule on the tensors whose names match `match` (fnmatch glob, `*` any text):
    kind `normal` (mean 0, std `value`), `uniform` (U(-value, value)) or `const` (all `value`)."""

    match: str
    kind: str
    value: float
    why: str


@dataclass(frozen=True)
class Case:
    id: str
    architecture: str
    config: dict
    rules: tuple = ()
    needs: str = ""  # "nanogpt" / "fixup" when the case needs a nanoGPT / Fixup checkout


def gpt2_rules(n_layer, std=0.02):
    return (
        Rule("transformer.h.*.attn.c_proj.weight", "normal", std / math.sqrt(2 * n_layer),
             "GPT2 residual projection: normal(0, initializer_range/sqrt(2*n_layer))"),
        Rule("transformer.h.*.mlp.c_proj.weight", "normal", std / math.sqrt(2 * n_layer), "GPT2 residual projection"),
        Rule("transformer.h.*.mlp.c_fc.weight", "normal", std, "GPT2 Conv1D: normal(0, initializer_range)"),
        Rule("transformer.h.*.attn.c_attn.weight", "normal", std, "GPT2 Conv1D: normal(0, initializer_range)"),
        Rule("transformer.wte.weight", "normal", std, "GPT2 embedding: normal(0, initializer_range)"),
        Rule("transformer.h.*.bias", "const", 0.0, "GPT2 biases zero"),
        Rule("transformer.h.*.ln_*.weight", "const", 1.0, "GPT2 LayerNorm weight one"),
    )


def llama_rules(std=0.02):
    return (
        Rule("model.layers.*_proj.weight", "normal", std, "Llama Linear: normal(0, initializer_range)"),
        Rule("model.embed_tokens.weight", "normal", std, "Llama embedding: normal(0, initializer_range)"),
        Rule("model.*norm.weight", "const", 1.0, "Llama RMSNorm weight one"),
    )


def bert_rules(prefix, std=0.02):
    return (
        Rule(prefix + "encoder.layer.*.dense.weight", "normal", std, "BERT Linear: normal(0, initializer_range)"),
        Rule(prefix + "encoder.layer.*.attention.self.*.weight", "normal", std, "BERT Linear"),
        Rule(prefix + "embeddings.position_embeddings.weight", "normal", std, "BERT embedding"),
        Rule(prefix + "encoder.layer.*.LayerNorm.weight", "const", 1.0, "BERT LayerNorm weight one"),
        Rule(prefix + "encoder.layer.*.bias", "const", 0.0, "BERT biases zero"),
    )


def t5_rules(d_model, d_kv, d_ff, num_heads, factor=1.0):
    return (
        Rule("shared.weight", "normal", factor * 1.0, "T5 shared embedding: normal(0, factor*1.0)"),
        Rule("*.DenseReluDense.wi.weight", "normal", factor * d_model ** -0.5, "T5 wi: normal(0, factor*d_model^-0.5)"),
        Rule("*.DenseReluDense.wo.weight", "normal", factor * d_ff ** -0.5, "T5 wo: normal(0, factor*d_ff^-0.5)"),
        Rule("*Attention.q.weight", "normal", factor * (d_model * d_kv) ** -0.5,
             "T5 q: normal(0, factor*(d_model*d_kv)^-0.5)"),
        Rule("*Attention.k.weight", "normal", factor * d_model ** -0.5, "T5 k: normal(0, factor*d_model^-0.5)"),
        Rule("*Attention.v.weight", "normal", factor * d_model ** -0.5, "T5 v: normal(0, factor*d_model^-0.5)"),
        Rule("*Attention.o.weight", "normal", factor * (num_heads * d_kv) ** -0.5,
             "T5 o: normal(0, factor*(n_heads*d_kv)^-0.5)"),
        Rule("*layer_norm.weight", "const", factor, "T5 LayerNorm weight: factor*1.0"),
    )


def resnet_conv_rules(last_bn, zero_init_residual):
    # kaiming_normal_(mode="fan_out", nonlinearity="relu"): std = sqrt(2 / (out_channels * k * k))
    rules = [Rule("layer1.0.conv1.weight", "normal", math.sqrt(2 / (64 * 9)) if last_bn == "bn2"
                  else math.sqrt(2 / 64), "torchvision conv: kaiming_normal fan_out relu"),
             Rule("conv1.weight", "normal", math.sqrt(2 / (64 * 49)), "torchvision conv: kaiming_normal fan_out relu"),
             Rule("layer4.*.conv2.weight", "normal", math.sqrt(2 / (512 * 9)), "torchvision conv: kaiming_normal"),
             Rule("*.running_var", "const", 1.0, "BatchNorm running_var one"),
             Rule("*.running_mean", "const", 0.0, "BatchNorm running_mean zero"),
             Rule("bn1.weight", "const", 1.0, "BatchNorm weight one"),
             Rule(f"layer*.{last_bn}.weight", "const", 0.0 if zero_init_residual else 1.0,
                  "zero_init_residual: last BN of each block zero" if zero_init_residual else "BatchNorm weight one")]
    return tuple(rules)


def resnet_fc_rule(in_features):
    return Rule("fc.weight", "uniform", 1 / math.sqrt(in_features),
                "torchvision fc: nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in))")


def fixup_rules(num_layers, bottleneck):
    """Fixup's init (FixupResNet.__init__): branch convs but the last He by fan_out times
    num_layers^(-1/(2m-2)) (m = 2 basic, 3 bottleneck), the last conv of each branch and fc zero,
    downsample He by fan_out unscaled, the stem at nn.Conv2d's default, scalars 0 and scale 1."""
    depth = num_layers ** (-0.25 if bottleneck else -0.5)
    last = "conv3" if bottleneck else "conv2"
    rules = [Rule("conv1.weight", "uniform", 1 / math.sqrt(3 * 7 * 7), "Fixup stem: nn.Conv2d's default"),
             Rule(f"layer*.{last}.weight", "const", 0.0, "Fixup: the last conv of each branch zero"),
             Rule("fc.*", "const", 0.0, "Fixup: fc weight and bias zero"),
             Rule("layer*.bias*", "const", 0.0, "Fixup: scalar biases zeros(1)"),
             Rule("bias*", "const", 0.0, "Fixup: scalar biases zeros(1)"),
             Rule("layer*.scale", "const", 1.0, "Fixup: scalar multipliers ones(1)"),
             Rule("layer3.*.conv1.weight", "normal", (math.sqrt(2 / 256) if bottleneck else math.sqrt(2 / (256 * 9)))
                  * depth, "Fixup branch conv: normal(0, sqrt(2/fan_out) * num_layers^(-1/(2m-2)))"),
             Rule("layer3.0.downsample.weight", "normal", math.sqrt(2 / (256 * (4 if bottleneck else 1))),
                  "Fixup downsample: normal(0, sqrt(2/fan_out)), not depth-scaled")]
    if bottleneck:
        rules.append(Rule("layer2.*.conv2.weight", "normal", math.sqrt(2 / (128 * 9)) * depth,
                          "Fixup bottleneck conv2: depth-scaled like conv1"))
    return tuple(rules)


VIT_SMALL = {"img_size": 32, "patch_size": 8, "embed_dim": 32, "depth": 2, "num_heads": 4, "num_classes": 10}


def vit_timm_rules(patch_fan_in):
    return (
        Rule("blocks.*.attn.qkv.weight", "normal", 0.02, "timm init_weights_vit_timm: trunc_normal(std=.02)"),
        Rule("blocks.*.mlp.fc*.weight", "normal", 0.02, "timm init_weights_vit_timm: trunc_normal(std=.02)"),
        Rule("pos_embed", "normal", 0.02, "timm pos_embed: trunc_normal(std=.02)"),
        Rule("patch_embed.proj.weight", "uniform", 1 / math.sqrt(patch_fan_in),
             "timm '' mode leaves the patch conv at nn.Conv2d's default"),
        Rule("blocks.*.bias", "const", 0.0, "timm Linear biases zero"),
    )


CASES = [
    Case("gpt2-2x32", "transformers/GPT2LMHeadModel",
         {"n_layer": 2, "n_embd": 32, "n_head": 4, "vocab_size": 96, "n_positions": 64}, gpt2_rules(2)),
    Case("gpt2-6x48-inner80", "transformers/GPT2LMHeadModel",
         {"n_layer": 6, "n_embd": 48, "n_head": 6, "vocab_size": 101, "n_positions": 40, "n_inner": 80,
          "initializer_range": 0.05}, gpt2_rules(6, 0.05)),
    Case("llama-gqa-tied", "transformers/LlamaForCausalLM",
         {"vocab_size": 96, "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
          "num_attention_heads": 4, "num_key_value_heads": 2, "tie_word_embeddings": True,
          "max_position_embeddings": 64}, llama_rules()),
    Case("llama-gqa-untied-biases", "transformers/LlamaForCausalLM",
         {"vocab_size": 80, "hidden_size": 48, "intermediate_size": 96, "num_hidden_layers": 3,
          "num_attention_heads": 6, "num_key_value_heads": 2, "tie_word_embeddings": False,
          "attention_bias": True, "mlp_bias": True, "max_position_embeddings": 32},
         llama_rules() + (Rule("lm_head.weight", "normal", 0.02, "Llama Linear: normal(0, initializer_range)"),
                          Rule("model.layers.*_proj.bias", "const", 0.0, "Llama biases zero"))),
    Case("bert-pad3", "transformers/BertModel",
         {"vocab_size": 96, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
          "intermediate_size": 64, "max_position_embeddings": 64, "pad_token_id": 3}, bert_rules("")),
    Case("bert-mlm", "transformers/BertForMaskedLM",
         {"vocab_size": 96, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
          "intermediate_size": 64, "max_position_embeddings": 64}, bert_rules("bert.")),
    Case("bert-3-layers", "transformers/BertModel",
         {"vocab_size": 80, "hidden_size": 48, "num_hidden_layers": 3, "num_attention_heads": 6,
          "intermediate_size": 96, "max_position_embeddings": 32, "type_vocab_size": 3,
          "initializer_range": 0.04}, bert_rules("", 0.04)),
    Case("bert-mlm-untied", "transformers/BertForMaskedLM",
         {"vocab_size": 80, "hidden_size": 48, "num_hidden_layers": 2, "num_attention_heads": 6,
          "intermediate_size": 96, "max_position_embeddings": 32, "tie_word_embeddings": False},
         bert_rules("bert.")),
    Case("t5", "transformers/T5ForConditionalGeneration",
         {"vocab_size": 96, "d_model": 32, "d_kv": 8, "d_ff": 64, "num_layers": 2, "num_heads": 4},
         t5_rules(32, 8, 64, 4)),
    Case("t5-factor0.5", "transformers/T5ForConditionalGeneration",
         {"vocab_size": 64, "d_model": 48, "d_kv": 16, "d_ff": 96, "num_layers": 2, "num_decoder_layers": 3,
          "num_heads": 2, "initializer_factor": 0.5}, t5_rules(48, 16, 96, 2, 0.5)),
    Case("nanogpt-bias", "nanogpt/GPT",
         {"block_size": 64, "vocab_size": 96, "n_layer": 2, "n_head": 4, "n_embd": 32, "bias": True},
         (Rule("transformer.h.*.c_proj.weight", "normal", 0.02 / math.sqrt(2 * 2),
               "nanoGPT c_proj: normal(0, 0.02/sqrt(2*n_layer))"),
          Rule("transformer.h.*.c_fc.weight", "normal", 0.02, "nanoGPT Linear: normal(0, 0.02)"),
          Rule("transformer.wpe.weight", "normal", 0.02, "nanoGPT Embedding: normal(0, 0.02)"),
          Rule("transformer.h.*.bias", "const", 0.0, "nanoGPT biases zero")), "nanogpt"),
    Case("nanogpt-nobias", "nanogpt/GPT",
         {"block_size": 32, "vocab_size": 80, "n_layer": 3, "n_head": 2, "n_embd": 48, "bias": False},
         (Rule("transformer.h.*.c_proj.weight", "normal", 0.02 / math.sqrt(2 * 3),
               "nanoGPT c_proj: normal(0, 0.02/sqrt(2*n_layer))"),
          Rule("transformer.h.*.c_attn.weight", "normal", 0.02, "nanoGPT Linear: normal(0, 0.02)"),
          Rule("transformer.h.*.ln_*.weight", "const", 1.0, "nanoGPT LayerNorm weight one")), "nanogpt"),
    Case("resnet18", "torchvision/resnet18", {"num_classes": 10},
         resnet_conv_rules("bn2", False) + (resnet_fc_rule(512),)),
    Case("resnet18-zero-residual", "torchvision/resnet18", {"num_classes": 7, "zero_init_residual": True},
         resnet_conv_rules("bn2", True)),
    Case("resnet50-zero-residual", "torchvision/resnet50", {"num_classes": 10, "zero_init_residual": True},
         resnet_conv_rules("bn3", True) + (resnet_fc_rule(2048),)),
    Case("resnet34", "torchvision/resnet34", {"num_classes": 5},
         resnet_conv_rules("bn2", False) + (resnet_fc_rule(512),)),
    Case("resnet34-zero-residual", "torchvision/resnet34", {"num_classes": 3, "zero_init_residual": True},
         resnet_conv_rules("bn2", True)),
    Case("resnet50-resnext", "torchvision/resnet50", {"num_classes": 6, "groups": 32, "width_per_group": 4},
         (Rule("conv1.weight", "normal", math.sqrt(2 / (64 * 49)), "torchvision conv: kaiming_normal fan_out relu"),
          Rule("layer*.bn3.weight", "const", 1.0, "BatchNorm weight one"), resnet_fc_rule(2048))),
    Case("resnet101", "torchvision/resnet101", {"num_classes": 4},
         resnet_conv_rules("bn3", False) + (resnet_fc_rule(2048),)),
    Case("resnet101-zero-residual", "torchvision/resnet101", {"num_classes": 4, "zero_init_residual": True},
         resnet_conv_rules("bn3", True)),
    Case("resnet152", "torchvision/resnet152", {"num_classes": 3},
         resnet_conv_rules("bn3", False) + (resnet_fc_rule(2048),)),
    Case("resnet152-zero-residual", "torchvision/resnet152", {"num_classes": 2, "zero_init_residual": True},
         resnet_conv_rules("bn3", True)),
    Case("vit-timm", "timm/VisionTransformer", dict(VIT_SMALL, weight_init=""), vit_timm_rules(3 * 8 * 8)),
    Case("vit-jax", "timm/VisionTransformer", dict(VIT_SMALL, weight_init="jax"),
         (Rule("head.*", "const", 0.0, "timm jax: head zeros, bias head_bias (0)"),
          Rule("blocks.*.mlp.fc1.weight", "uniform", math.sqrt(6 / (32 + 128)), "timm jax: xavier_uniform Linear"),
          Rule("blocks.*.attn.qkv.weight", "uniform", math.sqrt(6 / (32 + 96)), "timm jax: xavier_uniform Linear"),
          Rule("blocks.*.attn.*.bias", "const", 0.0, "timm jax: attention biases zero"),
          Rule("patch_embed.proj.bias", "const", 0.0, "timm jax: patch conv bias zero"))),
    Case("vit-fix-init", "timm/VisionTransformer", dict(VIT_SMALL, depth=3, fix_init=True),
         (Rule("blocks.2.attn.proj.weight", "normal", 0.02 / math.sqrt(2 * 3),
               "timm fix_init: block i's attn.proj and mlp.fc2 divided by sqrt(2*(i+1))"),
          Rule("blocks.1.mlp.fc2.weight", "normal", 0.02 / math.sqrt(2 * 2), "timm fix_init"),
          Rule("blocks.*.attn.qkv.weight", "normal", 0.02, "timm trunc_normal(std=.02)"))),
    Case("vit_tiny_patch16_224", "timm/vit_tiny_patch16_224", {},
         (Rule("blocks.*.attn.qkv.weight", "normal", 0.02, "timm trunc_normal(std=.02)"),
          Rule("blocks.*.norm*.weight", "const", 1.0, "timm LayerNorm weight one"),
          Rule("patch_embed.proj.weight", "uniform", 1 / math.sqrt(3 * 16 * 16),
               "timm '' mode leaves the patch conv at nn.Conv2d's default"))),
    Case("vit_tiny_patch16_224-jax", "timm/vit_tiny_patch16_224", {"num_classes": 10, "weight_init": "jax"},
         (Rule("head.*", "const", 0.0, "timm jax: head zeros, bias head_bias (0)"),
          Rule("blocks.*.attn.qkv.weight", "uniform", math.sqrt(6 / (192 + 576)), "timm jax: xavier_uniform Linear"))),
    Case("vit_small_patch16_224", "timm/vit_small_patch16_224", {"num_classes": 10},
         (Rule("blocks.*.attn.qkv.weight", "normal", 0.02, "timm trunc_normal(std=.02)"),
          Rule("blocks.*.norm*.weight", "const", 1.0, "timm LayerNorm weight one"))),
    Case("vit_small_patch16_224-fix-init", "timm/vit_small_patch16_224", {"num_classes": 10, "depth": 4, "fix_init": True},
         (Rule("blocks.3.attn.proj.weight", "normal", 0.02 / math.sqrt(2 * 4),
               "timm fix_init: block i's attn.proj and mlp.fc2 divided by sqrt(2*(i+1))"),)),
    Case("vit_base_patch16_224", "timm/vit_base_patch16_224", {"num_classes": 10, "depth": 2},
         (Rule("blocks.*.mlp.fc1.weight", "normal", 0.02, "timm trunc_normal(std=.02)"),)),
    Case("vit_base_patch16_224-jax-nlhb", "timm/vit_base_patch16_224", {"num_classes": 10, "depth": 1,
                                                                          "weight_init": "jax_nlhb"},
         (Rule("head.bias", "const", float(torch.tensor(-math.log(10), dtype=torch.float32)),
               "timm jax_nlhb: head bias -ln(num_classes), as stored in float32"),
          Rule("head.weight", "const", 0.0, "timm jax: head weight zero"))),
    Case("fixup-resnet18", "fixup/resnet18", {"num_classes": 10}, fixup_rules(8, False), "fixup"),
    Case("fixup-resnet50", "fixup/resnet50", {"num_classes": 10}, fixup_rules(16, True), "fixup"),
]


def nanogpt_module():
    """karpathy/nanoGPT's model.py from the checkout named by INITLAB_NANOGPT_DIR (loaded once)."""
    if not hasattr(nanogpt_module, "module"):
        path = os.path.join(os.environ[NANOGPT_ENV], "model.py")
        assert os.path.isfile(path), f"{NANOGPT_ENV}={os.environ[NANOGPT_ENV]} has no model.py (a nanoGPT checkout?)"
        spec = importlib.util.spec_from_file_location("nanogpt_model", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        nanogpt_module.module = module
    return nanogpt_module.module


def fixup_module():
    """hongyi-zhang/Fixup's fixup_resnet_imagenet.py from the checkout named by INITLAB_FIXUP_DIR."""
    if not hasattr(fixup_module, "module"):
        path = os.path.join(os.environ[FIXUP_ENV], "imagenet", "models", "fixup_resnet_imagenet.py")
        assert os.path.isfile(path), f"{FIXUP_ENV}={os.environ[FIXUP_ENV]} has no {path} (a Fixup checkout?)"
        spec = importlib.util.spec_from_file_location("fixup_resnet_imagenet", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        fixup_module.module = module
    return fixup_module.module


TRANSFORMERS_CONFIGS = {
    "GPT2LMHeadModel": "GPT2Config",
    "LlamaForCausalLM": "LlamaConfig",
    "BertModel": "BertConfig",
    "BertForMaskedLM": "BertConfig",
    "T5ForConditionalGeneration": "T5Config",
}


def build(architecture, config):
    """The model as its library builds it from `config` (which is what the request sends)."""
    library, name = architecture.split("/", 1)
    if library == "transformers":
        return getattr(transformers, name)(getattr(transformers, TRANSFORMERS_CONFIGS[name])(**config))
    if library == "nanogpt":
        module = nanogpt_module()
        return module.GPT(module.GPTConfig(**config))
    if library == "torchvision":
        return getattr(torchvision.models, name)(weights=None, **config)
    if library == "fixup":
        return getattr(fixup_module(), "fixup_" + name)(**config)
    if library == "timm" and name == "VisionTransformer":
        return timm.models.vision_transformer.VisionTransformer(**config)
    if library == "timm":
        return timm.create_model(name, pretrained=False, **config)
    raise ValueError(architecture)


def reference(case):
    """The library's model, a copy of its state_dict as drawn by the library, and its tie groups."""
    torch.manual_seed(20240613)
    model = build(case.architecture, case.config)
    by_storage = {}
    for key, value in model.state_dict(keep_vars=True).items():
        by_storage.setdefault((value.data_ptr(), tuple(value.shape), value.stride()), []).append(key)
    ties = [keys for keys in by_storage.values() if len(keys) > 1]
    drawn = {k: v.detach().clone() for k, v in model.state_dict().items()}
    return model, drawn, ties


def needs(case):
    marks = []
    if case.needs == "nanogpt":
        marks.append(pytest.mark.skipif(
            not os.environ.get(NANOGPT_ENV),
            reason=f"{NANOGPT_ENV} is not set: point it at a checkout of karpathy/nanoGPT (its model.py); "
                   ".ci/run cannot fetch it from GitHub"))
    if case.needs == "fixup":
        marks.append(pytest.mark.skipif(
            not os.environ.get(FIXUP_ENV),
            reason=f"{FIXUP_ENV} is not set: point it at a checkout of hongyi-zhang/Fixup "
                   "(imagenet/models/fixup_resnet_imagenet.py); .ci/run cannot fetch it from GitHub"))
    return pytest.param(case, id=case.id, marks=marks)


PARAMS = [needs(c) for c in CASES]


# ----------------------------------------------------------------------------------------------
# Requests


def post(server_url, body, fmt):
    return requests.post(server_url + il.ENDPOINT, params={"format": fmt}, json=body, timeout=TIMEOUT)


def request_body(case, **fields):
    return {"seed": 0, "model": {"architecture": case.architecture, "config": case.config}, **fields}


def fetch_safetensors(server_url, case):
    response = post(server_url, request_body(case), "safetensors")
    assert response.status_code == 200, f"{case.architecture} {case.config}: {response.status_code} {shown(response)}"
    assert response.headers["Content-Type"].startswith("application/x-safetensors")
    return response.content


def safetensors_header(raw):
    """The header of a safetensors file, its keys in the order the file lists them."""
    (length,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8:8 + length], object_pairs_hook=lambda pairs: dict(pairs))


# ----------------------------------------------------------------------------------------------
# Checks


def glob_keys(pattern, keys):
    found = [k for k in keys if fnmatch.fnmatchcase(k, pattern)]
    assert found, f"rule {pattern!r} matches no key of the library's state_dict: the test is wrong"
    return found


def assert_rule(rule, values, what):
    """The rule on a flat float64 array `values` (every tensor it matches, pooled)."""
    if rule.kind == "const":
        bad = values[values != rule.value]
        assert bad.size == 0, \
            f"{what}: {rule.why}: {bad.size} of {values.size} values differ from {rule.value}: {bad[:5]}"
        return
    n = values.size
    assert n >= MIN_RULE_SAMPLE, f"{what}: only {n} values for a statistical rule: the test is wrong"
    if rule.kind == "normal":
        sigma, kurtosis = rule.value, 3.0
    elif rule.kind == "uniform":
        sigma, kurtosis = rule.value / math.sqrt(3), 9 / 5
        assert np.abs(values).max() <= rule.value * (1 + 1e-6), \
            f"{what}: {rule.why}: max |x| = {np.abs(values).max()} > bound {rule.value}"
    else:
        raise ValueError(rule.kind)
    std = values.std()
    std_tolerance = Z * sigma * math.sqrt((kurtosis - 1) / (4 * n))
    mean_tolerance = Z * sigma / math.sqrt(n)
    assert abs(std - sigma) <= std_tolerance, \
        f"{what}: {rule.why}: std {std:.6g} over {n} values, want {sigma:.6g} +- {std_tolerance:.3g}"
    assert abs(values.mean()) <= mean_tolerance, \
        f"{what}: {rule.why}: mean {values.mean():.3g} over {n} values, want 0 +- {mean_tolerance:.3g}"


def strided(values, limit=KS_MAX):
    return values[:: max(1, -(-values.size // limit))]


def ks_pvalue(served, drawn):
    return scipy.stats.ks_2samp(strided(served), strided(drawn), method="auto").pvalue


def check_against_library(case, served, model, drawn, ties):
    """Everything the module docstring lists for the safetensors, given the loaded tensors."""
    expected = model.state_dict()
    assert set(served) == set(expected), \
        f"names differ: missing {sorted(set(expected) - set(served))}, unexpected {sorted(set(served) - set(expected))}"
    for key, value in expected.items():
        assert served[key].dtype == value.dtype, f"{key}: dtype {served[key].dtype}, library {value.dtype}"
        assert served[key].shape == value.shape, \
            f"{key}: shape {tuple(served[key].shape)}, library {tuple(value.shape)}"

    for group in ties:
        for key in group[1:]:
            assert torch.equal(served[key], served[group[0]]), f"tied {group}: {key} differs from {group[0]}"

    result = model.load_state_dict(served, strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    for key, value in model.state_dict().items():
        assert torch.equal(value, served[key]), f"{key}: the model does not hold the served values after loading"
    tracked = [k for k in expected if k.endswith("num_batches_tracked")]
    for key in tracked:
        assert served[key].dtype == torch.int64 and served[key].shape == () and served[key].item() == 0, key
    assert bool(tracked) == case.architecture.startswith("torchvision/")

    tied_followers = {k for group in ties for k in group[1:]}
    for key, library_value in drawn.items():
        if key in tied_followers:
            continue
        value = served[key]
        if library_value.numel() > 1 and torch.all(library_value == library_value.flatten()[0]):
            assert torch.equal(value, library_value), \
                f"{key}: the library fills it with {library_value.flatten()[0].item()}, served differs"
            continue
        if value.dim() == 2:
            zero_rows = lambda t: torch.nonzero(~t.any(dim=1)).flatten().tolist()  # noqa: E731
            assert zero_rows(value) == zero_rows(library_value), \
                f"{key}: all-zero rows {zero_rows(value)}, library {zero_rows(library_value)} (padding rows)"
        if value.is_floating_point() and value.numel() > 1:
            p = ks_pvalue(value.double().flatten().numpy(), library_value.double().flatten().numpy())
            assert p >= KS_ALPHA, f"{key}: two-sample KS against the library's own draw: p = {p:.3g} < {KS_ALPHA}"

    for rule in case.rules:
        keys = glob_keys(rule.match, list(expected))
        pooled = np.concatenate([served[k].double().flatten().numpy() for k in keys])
        assert_rule(rule, pooled, f"{rule.match} ({len(keys)} tensors)")


# ----------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize("case", PARAMS)
def test_safetensors_load_strictly_into_the_library_model(server_url, case):
    model, drawn, ties = reference(case)
    raw = fetch_safetensors(server_url, case)
    served = safetensors.torch.load(raw)
    header = safetensors_header(raw)
    names = [k for k in header if k != "__metadata__"]
    assert names == list(model.state_dict()), "the safetensors header does not list the state_dict keys in order"
    metadata = header.get("__metadata__", {})
    for name in names:
        init = json.loads(metadata[f"init.{name}"])
        assert init.get("rule"), f"{name}: resolved init without a rule: {init}"
    check_against_library(case, served, model, drawn, ties)


@pytest.mark.parametrize("case", PARAMS)
def test_stats_name_every_rule_and_count_parameters_once(server_url, case):
    model, _, ties = reference(case)
    response = post(server_url, request_body(case, include=["stats"]), "json")
    assert response.status_code == 200, shown(response)
    body = response.json()
    expected = model.state_dict()
    tensors = body["tensors"]
    assert [t["name"] for t in tensors] == list(expected)
    for t in tensors:
        assert t["shape"] == list(expected[t["name"]].shape), t["name"]
        assert t["dtype"] == str(expected[t["name"]].dtype).removeprefix("torch."), t["name"]
        assert "data" not in t
        assert isinstance(t["init"].get("rule"), str) and t["init"]["rule"].strip(), f"{t['name']}: {t['init']}"
    tied = {k for group in ties for k in group}
    for t in tensors:
        if t["name"] in tied:
            assert t["init"].get("tied_to"), f"{t['name']} is tied in the library but its init names no group"
        else:
            assert not t["init"].get("tied_to"), f"{t['name']} is not tied in the library: {t['init']}"
    assert body["parameter_count"] == sum(p.numel() for p in model.parameters())


def test_catalog_lists_every_architecture_with_the_config_fields_used_here(server_url):
    response = requests.get(server_url + "/api/v1/architectures", timeout=TIMEOUT)
    assert response.status_code == 200, shown(response)
    catalog = {a["name"]: a for a in response.json()["architectures"]}
    for case in CASES:
        entry = catalog.get(case.architecture)
        assert entry, f"{case.architecture} missing from the catalog: {sorted(catalog)}"
        assert entry["library"] == case.architecture.split("/")[0]
        assert entry["library_version"]
        assert entry["rules"] and all(r["match"] and r["rule"] for r in entry["rules"])
        fields = {f["name"] for f in entry["config"]}
        assert set(case.config) <= fields, f"{case.architecture}: not in the catalog: {set(case.config) - fields}"


def shown(response):
    """The start of a body for a failure message (not the bytes of a safetensors file)."""
    ctype = response.headers.get("Content-Type", "")
    return response.text[:500] if "json" in ctype or "text" in ctype else f"{ctype}, {len(response.content)} bytes"


def assert_problem(response, status, *words):
    assert response.status_code == status, f"want {status}, got {response.status_code}: {shown(response)}"
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.headers["Content-Type"]
    problem = response.json()
    assert problem["status"] == status
    said = json.dumps([problem.get("detail"), problem.get("errors")])
    for word in words:
        assert word in said, f"the problem does not name {word!r}: {said}"
    return problem


# A misspelt field per library (`config` checking is the service's own: transformers would accept
# them silently).
UNKNOWN_FIELDS = [
    ("transformers/GPT2LMHeadModel", {"n_layer": 2, "n_embd": 32, "n_head": 4, "n_layers": 3}, "n_layers"),
    ("transformers/LlamaForCausalLM", {"hidden_size": 32, "num_attention_heads": 4, "num_kv_heads": 2}, "num_kv_heads"),
    ("transformers/T5ForConditionalGeneration", {"d_model": 32, "initializer_factr": 0.5}, "initializer_factr"),
    ("nanogpt/GPT", {"n_layer": 2, "n_head": 2, "n_embd": 32, "biases": False}, "biases"),
    ("torchvision/resnet18", {"num_class": 10}, "num_class"),
    ("fixup/resnet50", {"num_classes": 10, "zero_init_residual": True}, "zero_init_residual"),
    ("timm/VisionTransformer", dict(VIT_SMALL, weight_inits="jax"), "weight_inits"),
]


@pytest.mark.parametrize("fmt", ["json", "safetensors"])
@pytest.mark.parametrize("architecture,config,unknown", UNKNOWN_FIELDS, ids=[a for a, _, _ in UNKNOWN_FIELDS])
def test_unknown_config_field_is_a_400_naming_it(server_url, architecture, config, unknown, fmt):
    body = {"seed": 0, "model": {"architecture": architecture, "config": config}}
    assert_problem(post(server_url, body, fmt), 400, unknown)


def test_unknown_architecture_is_a_400_naming_the_known_ones(server_url):
    body = {"seed": 0, "model": {"architecture": "transformers/GPT3LMHeadModel", "config": {}}}
    assert_problem(post(server_url, body, "json"), 400, "transformers/GPT3LMHeadModel", "transformers/GPT2LMHeadModel")


def test_layers_and_model_together_or_neither_is_a_400(server_url):
    model = {"architecture": "torchvision/resnet18", "config": {"num_classes": 10}}
    layers = [{"name": "fc", "type": "linear", "in_features": 3, "out_features": 2}]
    assert_problem(post(server_url, {"seed": 0, "model": model, "layers": layers}, "json"), 400, "layers", "model")
    assert_problem(post(server_url, {"seed": 0}, "json"), 400, "layers", "model")


GPT2_SMALL = CASES[0]


def test_overrides_apply_by_glob_to_whole_tie_groups_and_leave_the_rest(server_url):
    plain = safetensors.torch.load(fetch_safetensors(server_url, GPT2_SMALL))
    overrides = [{"match": "transformer.h.*.mlp.c_fc.weight", "init": {"scheme": "zeros"}},
                 {"match": "lm_head.weight", "init": {"scheme": "constant", "value": 0.25}}]
    response = post(server_url, request_body(GPT2_SMALL, overrides=overrides), "safetensors")
    assert response.status_code == 200, shown(response)
    changed = safetensors.torch.load(response.content)
    touched = {"transformer.h.0.mlp.c_fc.weight", "transformer.h.1.mlp.c_fc.weight", "lm_head.weight",
               "transformer.wte.weight"}
    for key in ["transformer.h.0.mlp.c_fc.weight", "transformer.h.1.mlp.c_fc.weight"]:
        assert not changed[key].any(), key
    # an override matching one member of a tie group applies to the whole group
    assert torch.all(changed["lm_head.weight"] == 0.25) and torch.all(changed["transformer.wte.weight"] == 0.25)
    # per-tensor seeding: every other tensor keeps its bytes
    for key in plain:
        if key not in touched:
            assert torch.equal(plain[key], changed[key]), key


def test_override_matching_nothing_is_a_400_naming_it(server_url):
    overrides = [{"match": "transformer.h.*.mlp.c_fc.weight", "init": {"scheme": "zeros"}},
                 {"match": "transformer.h.*.mlp.c_fcc.weight", "init": {"scheme": "zeros"}}]
    assert_problem(post(server_url, request_body(GPT2_SMALL, overrides=overrides), "json"), 400,
                   "transformer.h.*.mlp.c_fcc.weight")


# ----------------------------------------------------------------------------------------------
# The checks can fail: negative controls on values drawn here, no server needed


def test_negative_control_gpt2_c_proj_without_depth_scaling_is_rejected():
    case = GPT2_SMALL
    rule = case.rules[0]  # attn.c_proj at 0.02/sqrt(2*n_layer)
    _, drawn, _ = reference(case)
    n = sum(drawn[k].numel() for k in glob_keys(rule.match, list(drawn)))
    generator = torch.Generator().manual_seed(1)
    right = torch.randn(n, generator=generator, dtype=torch.float64) * rule.value
    wrong = torch.randn(n, generator=generator, dtype=torch.float64) * 0.02  # the unscaled rule
    assert_rule(rule, right.numpy(), "control")
    with pytest.raises(AssertionError, match="std"):
        assert_rule(rule, wrong.numpy(), "control")
    library = drawn["transformer.h.0.attn.c_proj.weight"].double().flatten().numpy()
    assert ks_pvalue(right[: library.size].numpy(), library) >= KS_ALPHA
    assert ks_pvalue(wrong[: library.size].numpy(), library) < KS_ALPHA


def test_negative_control_broken_state_dicts_are_rejected():
    """The library's own state_dict, redrawn, passes; each defect a server could have fails."""
    case = GPT2_SMALL

    def served_by_library(seed):
        torch.manual_seed(seed)
        return {k: v.detach().clone() for k, v in build(case.architecture, case.config).state_dict().items()}

    def run(served):
        model, drawn, ties = reference(case)
        check_against_library(case, served, model, drawn, ties)

    run(served_by_library(7))
    defects = {  # what a server could get wrong -> what the check must say
        "a key missing": (lambda sd: sd.pop("transformer.h.1.ln_2.bias"), "missing"),
        "a shape transposed (Conv1D is [in, out])": (lambda sd: sd.__setitem__(
            "transformer.h.0.mlp.c_fc.weight", sd["transformer.h.0.mlp.c_fc.weight"].T.contiguous()), "shape"),
        "a tie broken": (lambda sd: sd.__setitem__("lm_head.weight", torch.randn_like(sd["lm_head.weight"]) * 0.02),
                         "tied"),
        "c_proj without depth scaling": (lambda sd: sd.__setitem__(
            "transformer.h.1.mlp.c_proj.weight", sd["transformer.h.1.mlp.c_proj.weight"] * 2), "KS"),
        "a bias not zero": (lambda sd: sd["transformer.h.0.attn.c_attn.bias"].add_(1e-3), "fills it with 0"),
        "float64 instead of float32": (lambda sd: sd.__setitem__(
            "transformer.wpe.weight", sd["transformer.wpe.weight"].double()), "dtype"),
    }
    for what, (damage, message) in defects.items():
        served = served_by_library(7)
        damage(served)
        with pytest.raises(AssertionError, match=message):
            run(served)
        print(f"rejected: {what}")


# The tie groups API section 6 names, as found from the library models: if tie detection found
# none, every tie check above would pass vacuously.
EXPECTED_TIES = {
    "gpt2-2x32": [["transformer.wte.weight", "lm_head.weight"]],
    "llama-gqa-tied": [["model.embed_tokens.weight", "lm_head.weight"]],
    "llama-gqa-untied-biases": [],
    "bert-pad3": [],
    "bert-mlm": [["bert.embeddings.word_embeddings.weight", "cls.predictions.decoder.weight"],
                 ["cls.predictions.bias", "cls.predictions.decoder.bias"]],
    "t5": [["shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"]],
    "nanogpt-nobias": [["transformer.wte.weight", "lm_head.weight"]],
    "resnet18": [],
    "vit-timm": [],
}


@pytest.mark.parametrize("case", [p for p in PARAMS if p.values[0].id in EXPECTED_TIES], ids=lambda c: c.id)
def test_tie_groups_found_in_the_library_models(case):
    _, _, ties = reference(case)
    assert sorted(map(sorted, ties)) == sorted(map(sorted, EXPECTED_TIES[case.id]))
