#!/usr/bin/env python3
"""Writes recipes.json: scaled_residual, deepnorm, t_fixup and skipinit applied AS THE PAPERS
WRITE THEM, in PyTorch, to the REAL transformers models (GPT2LMHeadModel, LlamaForCausalLM,
BertModel, T5ForConditionalGeneration) at small configs. Nothing here reads initlab's code:
each recipe below is written from its paper (sections cited at each function), on the real
modules found by their own attribute names.

Per case (recipe + architecture + config):
- constants: the recipe's numbers (DeepNet's alpha/beta, T-Fixup's scales, the depths);
- tensors: every state_dict weight the recipe sets (the first key of a tie group), with its
  shape, the paper's analytic std ("std"), its distribution ("normal", "uniform", "zeros"),
  for a packed projection the slice a part occupies (GPT-2's Conv1D c_attn: "columns"; timm's
  nn.Linear qkv: "rows"), and an embedding's padding row ("zero_rows", zero in torch and left
  out of the sample);
- touched: every state_dict key the recipe changes (tie members included); every other key
  must be what the library's own init gives;
- groups: per tensor group (the name with block indices as "*", plus "[part]" for a slice),
  a sample of at most MAX_SAMPLE values (MAX_SAMPLE_LARGE for the cases named in LARGE, whose
  negative control needs the power) picked with numpy.random.default_rng(PICK_SEED) from all
  the group's values, each divided by its tensor's analytic std (so groups whose tensors have
  different stds pool), written to 5 significant digits.
Every group's sample std is checked here against 1 (a recipe applied wrongly fails the script).

Run: python3 make_recipes.py (rewrites recipes.json beside it). Needs torch (CPU),
transformers, numpy (pip install torch transformers). The committed fixture was made with
torch 2.13.0+cpu, transformers 5.18.0, numpy 2.4.6 (as the architectures fixtures); versions
are recorded in the file. Output is deterministic for fixed versions.
RecipeReferenceTests (src/test/java/dev/initlab/recipes) reads it.
"""

import json
import math
import os
import sys

import numpy as np
import torch

# As in ../architectures/make_architectures.py: the mirror's torchvision wheel is a CUDA build
# whose C++ ops do not load beside the CPU torch, and transformers imports torchvision; two
# schema-only declarations let that import finish (no torchvision op runs here).
try:
    torch.ops.torchvision.nms  # noqa: B018
except (AttributeError, RuntimeError):
    _TV_STUB = torch.library.Library("torchvision", "DEF")  # kept alive for the process
    _TV_STUB.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _TV_STUB.define("qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")

import timm  # noqa: E402
import transformers  # noqa: E402
from timm.models.vision_transformer import VisionTransformer  # noqa: E402
from torch import nn  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD_SEED = 0
RECIPE_SEED = 1
PICK_SEED = 2
MAX_SAMPLE = 1024
MAX_SAMPLE_LARGE = 4096
# deepnorm on T5: the torchscale-constant control (beta_e x 1.15/0.87 = x1.32, a KS distance
# of 0.067 between the normals) needs ~4096 values to reject at 1e-4 with room to spare
LARGE = {"deepnorm/t5"}

VIT = {"img_size": 32, "patch_size": 8, "embed_dim": 64, "depth": 3, "num_heads": 4, "num_classes": 10}
GPT2 = {"vocab_size": 100, "n_positions": 32, "n_embd": 64, "n_layer": 4, "n_head": 4}
LLAMA = {"vocab_size": 100, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 3,
         "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 32}
BERT = {"vocab_size": 100, "hidden_size": 64, "num_hidden_layers": 3, "num_attention_heads": 4,
        "intermediate_size": 128, "max_position_embeddings": 32}
# GPT-2 with cross-attention blocks: a packed key/value c_attn and a q_attn in the decoder
GPT2_CROSS = dict(GPT2, add_cross_attention=True, tie_word_embeddings=False)
# encoder-decoder with N != M, so a swapped N and M shows
T5 = {"vocab_size": 100, "d_model": 64, "d_kv": 16, "d_ff": 128, "num_layers": 3, "num_decoder_layers": 2,
      "num_heads": 4, "relative_attention_num_buckets": 8}

ARCHS = {
    "gpt2": ("transformers/GPT2LMHeadModel", transformers.GPT2LMHeadModel, transformers.GPT2Config, GPT2),
    "llama": ("transformers/LlamaForCausalLM", transformers.LlamaForCausalLM, transformers.LlamaConfig, LLAMA),
    "bert": ("transformers/BertModel", transformers.BertModel, transformers.BertConfig, BERT),
    "t5": ("transformers/T5ForConditionalGeneration", transformers.T5ForConditionalGeneration,
           transformers.T5Config, T5),
    "gpt2_cross": ("transformers/GPT2LMHeadModel", transformers.GPT2LMHeadModel, transformers.GPT2Config,
                   GPT2_CROSS),
    "vit": ("timm/VisionTransformer", VisionTransformer, None, VIT),
    # timm's own per-layer scaling at construction (VisionTransformer(fix_init=True))
    "vit_fix": ("timm/VisionTransformer", VisionTransformer, None, dict(VIT, fix_init=True)),
    # the bare torch.nn defaults (initlab's pytorch_default preset): every nn.Linear's own
    # reset_parameters(), kaiming_uniform_(a=sqrt(5)), i.e. U(+-1/sqrt(fan_in))
    "llama_pt": ("transformers/LlamaForCausalLM", transformers.LlamaForCausalLM, transformers.LlamaConfig, LLAMA),
}
PRESETS = {"llama_pt": "pytorch_default"}


# ---------------------------------------------------------------------------------------------
# What each architecture's modules are, by the library's own attribute names.
# A "block" is (stack, index, dict of role -> list of (module weight, part name, slice)).
# ---------------------------------------------------------------------------------------------

def xavier_std(fan_in, fan_out, gain=1.0):
    """torch.nn.init.xavier_normal_'s std; xavier_uniform_'s bound / sqrt(3) is the same."""
    return gain * math.sqrt(2.0 / (fan_in + fan_out))


class Weight:
    """One weight matrix (or a column slice of a packed one) a recipe acts on."""

    def __init__(self, param, part, stack, block=None, cols=None, conv1d=False, rows=None, padding=None):
        self.param = param
        self.rows = rows  # (start, end) of a packed nn.Linear's rows (timm's qkv)
        self.padding = padding  # an nn.Embedding's padding_idx, or None
        self.part = part  # query key value attention_output ffn_in ffn_out embedding position_embedding readout
        self.stack = stack
        self.block = block
        self.cols = cols  # (start, end) of a packed Conv1D's columns
        self.conv1d = conv1d

    def view(self):
        w = self.param.data
        if self.rows is not None:
            return w[self.rows[0]:self.rows[1]]
        return w if self.cols is None else w[:, self.cols[0]:self.cols[1]]

    def fans(self):
        v = self.view()
        # nn.Linear [out, in]; transformers' Conv1D [in, out]: xavier's fans sum either way
        return (v.shape[0], v.shape[1]) if self.conv1d else (v.shape[1], v.shape[0])


def weights(arch, model, cfg):
    """Every weight a recipe may act on, with its part; from the modules themselves."""
    out = []
    if arch in ("gpt2", "gpt2_cross"):
        t = model.transformer
        d = cfg["n_embd"]
        out.append(Weight(t.wte.weight, "embedding", "decoder"))
        out.append(Weight(t.wpe.weight, "position_embedding", "decoder"))
        for i, h in enumerate(t.h):
            # c_attn packs q, k, v along its output columns (GPT2Attention.forward splits at n_embd)
            for s, part in enumerate(("query", "key", "value")):
                out.append(Weight(h.attn.c_attn.weight, part, "decoder", i, (s * d, (s + 1) * d), True))
            out.append(Weight(h.attn.c_proj.weight, "attention_output", "decoder", i, conv1d=True))
            out.append(Weight(h.mlp.c_fc.weight, "ffn_in", "decoder", i, conv1d=True))
            out.append(Weight(h.mlp.c_proj.weight, "ffn_out", "decoder", i, conv1d=True))
        # cross-attention (add_cross_attention): q_attn, and c_attn packing k and v
            if hasattr(h, "crossattention"):
                x = h.crossattention
                out.append(Weight(x.q_attn.weight, "query", "decoder", i, conv1d=True))
                for s, part in enumerate(("key", "value")):
                    out.append(Weight(x.c_attn.weight, part, "decoder", i, (s * d, (s + 1) * d), True))
                out.append(Weight(x.c_proj.weight, "attention_output", "decoder", i, conv1d=True))
        if model.lm_head.weight.data_ptr() != t.wte.weight.data_ptr():
            out.append(Weight(model.lm_head.weight, "readout", "decoder"))
        # else lm_head is tied to wte (the recipe sets wte)
    elif arch in ("llama", "llama_pt"):
        m = model.model
        out.append(Weight(m.embed_tokens.weight, "embedding", "decoder", padding=m.embed_tokens.padding_idx))
        for i, layer in enumerate(m.layers):
            a, f = layer.self_attn, layer.mlp
            out += [Weight(a.q_proj.weight, "query", "decoder", i), Weight(a.k_proj.weight, "key", "decoder", i),
                    Weight(a.v_proj.weight, "value", "decoder", i),
                    Weight(a.o_proj.weight, "attention_output", "decoder", i),
                    Weight(f.gate_proj.weight, "ffn_in", "decoder", i), Weight(f.up_proj.weight, "ffn_in", "decoder", i),
                    Weight(f.down_proj.weight, "ffn_out", "decoder", i)]
        out.append(Weight(model.lm_head.weight, "readout", "decoder"))
    elif arch == "bert":
        e = model.embeddings
        out += [Weight(e.word_embeddings.weight, "embedding", "encoder", padding=e.word_embeddings.padding_idx),
                Weight(e.position_embeddings.weight, "position_embedding", "encoder"),
                Weight(e.token_type_embeddings.weight, "embedding", "encoder")]
        for i, layer in enumerate(model.encoder.layer):
            s = layer.attention.self
            out += [Weight(s.query.weight, "query", "encoder", i), Weight(s.key.weight, "key", "encoder", i),
                    Weight(s.value.weight, "value", "encoder", i),
                    Weight(layer.attention.output.dense.weight, "attention_output", "encoder", i),
                    Weight(layer.intermediate.dense.weight, "ffn_in", "encoder", i),
                    Weight(layer.output.dense.weight, "ffn_out", "encoder", i)]
        # the pooler is a head outside the blocks: no recipe touches it
    elif arch == "t5":
        out.append(Weight(model.shared.weight, "embedding", "decoder"))
        for stack_name, stack in (("encoder", model.encoder), ("decoder", model.decoder)):
            for i, block in enumerate(stack.block):
                attns = [block.layer[0].SelfAttention]
                if stack_name == "decoder":
                    attns.append(block.layer[1].EncDecAttention)
                for att in attns:
                    out += [Weight(att.q.weight, "query", stack_name, i), Weight(att.k.weight, "key", stack_name, i),
                            Weight(att.v.weight, "value", stack_name, i),
                            Weight(att.o.weight, "attention_output", stack_name, i)]
                ff = block.layer[-1].DenseReluDense
                out += [Weight(ff.wi.weight, "ffn_in", stack_name, i), Weight(ff.wo.weight, "ffn_out", stack_name, i)]
        # lm_head is tied to shared in transformers 5.x
    elif arch in ("vit", "vit_fix"):
        d = cfg["embed_dim"]
        out.append(Weight(model.pos_embed, "position_embedding", "encoder"))
        for i, b in enumerate(model.blocks):
            # timm's Attention: qkv = nn.Linear(dim, 3*dim), reshaped (3, heads, head_dim): rows q, k, v
            for s, part in enumerate(("query", "key", "value")):
                out.append(Weight(b.attn.qkv.weight, part, "encoder", i, rows=(s * d, (s + 1) * d)))
            out += [Weight(b.attn.proj.weight, "attention_output", "encoder", i),
                    Weight(b.mlp.fc1.weight, "ffn_in", "encoder", i), Weight(b.mlp.fc2.weight, "ffn_out", "encoder", i)]
        out.append(Weight(model.head.weight, "readout", "encoder"))
        # patch_embed.proj (a conv) and cls_token play no part a recipe names
    return out


def depths(arch, cfg):
    """(kind, N, M): encoder blocks N, decoder blocks M."""
    if arch in ("gpt2", "gpt2_cross"):
        return "decoder-only", 0, cfg["n_layer"]
    if arch in ("vit", "vit_fix"):
        return "encoder-only", cfg["depth"], 0
    if arch in ("llama", "llama_pt"):
        return "decoder-only", 0, cfg["num_hidden_layers"]
    if arch == "bert":
        return "encoder-only", cfg["num_hidden_layers"], 0
    return "encoder-decoder", cfg["num_layers"], cfg.get("num_decoder_layers", cfg["num_layers"])


def width(arch, cfg):
    field = {"gpt2": "n_embd", "gpt2_cross": "n_embd", "t5": "d_model", "vit": "embed_dim",
             "vit_fix": "embed_dim"}.get(arch, "hidden_size")
    return cfg[field]


def undamped_std(arch, model, cfg, w):
    """The std the library draws a residual output projection with before any depth scaling:
    GPT-2/Llama/BERT initializer_range (GPT-2's _init_weights then divides c_proj by
    sqrt(2*n_layer)); T5's _init_weights: o factor*(n_heads*d_kv)^-0.5, wo factor*d_ff^-0.5; timm's
    ViT: trunc_normal_(std=.02) (cut at +-2, i.e. 100 std: a normal to double precision)."""
    if arch in ("vit", "vit_fix"):
        return 0.02
    if arch == "llama_pt":
        # nn.Linear.reset_parameters: U(+-1/sqrt(fan_in)), std 1/sqrt(3 fan_in)
        return 1 / math.sqrt(3 * w.param.shape[1])
    if arch == "t5":
        c = model.config
        if w.part == "attention_output":
            return c.initializer_factor * (c.num_heads * c.d_kv) ** -0.5
        return c.initializer_factor * c.d_ff ** -0.5
    return model.config.initializer_range


# ---------------------------------------------------------------------------------------------
# The recipes, from the papers. Each sets weights in place and returns
# (constants, [(Weight, dist, std)]).
# ---------------------------------------------------------------------------------------------

def scaled_residual(arch, model, cfg, factor=2.0, per_layer=False):
    """GPT-2 (Radford et al. 2019, section 2.3): "We scale the weights of residual layers at
    initialization by a factor of 1/sqrt(N) where N is the number of residual layers"; GPT-2's
    code (and Megatron-LM's scaled_init_method_normal, Shoeybi et al. 2019) draws them
    normal(0, sigma/sqrt(2*num_layers)): two residual branches (attention, MLP) per block.
    L is the blocks of the stack the projection writes to (T5: encoder N, decoder M).
    per_layer: timm VisionTransformer.fix_init_weight, param.div_(sqrt(2.0 * layer_id)) with
    layer_id = block index + 1, applied to the undamped draw. On timm's ViT the library's own
    draws are divided in place (per_layer: timm's own fix_init_weight() does it)."""
    kind, n, m = depths(arch, cfg)
    done = []
    if arch == "vit" and per_layer:
        assert factor == 2.0
        model.fix_init_weight()  # timm: attn.proj and mlp.fc2 of block l div_(sqrt(2*(l+1)))
    # vit_fix: timm's constructor already ran fix_init_weight(); the recipe must reproduce it
    for w in weights(arch, model, cfg):
        if w.part not in ("attention_output", "ffn_out"):
            continue
        sigma = undamped_std(arch, model, cfg, w)
        layers = n if w.stack == "encoder" else m
        if arch in ("vit", "vit_fix", "llama_pt"):
            # divide the library's (or torch's) own draw in place
            divisor = math.sqrt(factor * ((w.block + 1) if per_layer else layers))
            if arch != "vit_fix" and not (arch == "vit" and per_layer):
                w.view().div_(divisor)
            done.append((w, "uniform" if arch == "llama_pt" else "normal", sigma / divisor))
            continue
        if per_layer:
            w.view().normal_(0.0, sigma)
            w.view().div_(math.sqrt(factor * (w.block + 1)))
            std = sigma / math.sqrt(factor * (w.block + 1))
        else:
            std = sigma / math.sqrt(factor * layers)
            w.view().normal_(0.0, std)
        done.append((w, "normal", std))
    constants = {"layers": n + m} if kind != "encoder-decoder" else {"encoder_layers": n, "decoder_layers": m}
    # GPT-2's _init_weights (c_proj at initializer_range/sqrt(2*n_layer)) and timm's fix_init
    # already scale: where the recipe's std is the library's own it changes nothing, and says
    # how many it left (per_layer on GPT-2: the last block's sqrt(2*(l+1)) is sqrt(2*n_layer))
    def library_std(w):
        sigma = undamped_std(arch, model, cfg, w)
        if arch == "gpt2":
            return sigma / math.sqrt(2 * m)
        if arch == "vit_fix":
            return sigma / math.sqrt(2 * (w.block + 1))
        return sigma
    same = sum(1 for w, _, std in done if abs(std - library_std(w)) <= 1e-12 * std)
    constants["tensors_scaled"] = len(done) - same
    if same:
        constants["tensors_unchanged"] = same
    return constants, done


def deepnorm_constants(kind, n, m):
    """DeepNet (Wang et al. 2022, arXiv:2203.00555) Table 1 / Figure 2."""
    if kind == "encoder-only":
        return {"alpha": (2 * n) ** 0.25, "beta": (8 * n) ** -0.25}
    if kind == "decoder-only":
        return {"alpha": (2 * m) ** 0.25, "beta": (8 * m) ** -0.25}
    return {"alpha_encoder": 0.81 * (n ** 4 * m) ** (1 / 16), "beta_encoder": 0.87 * (n ** 4 * m) ** (-1 / 16),
            "alpha_decoder": (3 * m) ** 0.25, "beta_decoder": (12 * m) ** -0.25}


def deepnorm(arch, model, cfg):
    """DeepNet Figure 2 (pseudocode):
        if w is ['ffn', 'v_proj', 'out_proj']: nn.init.xavier_normal_(w, gain=beta)
        elif w is ['q_proj', 'k_proj']:        nn.init.xavier_normal_(w, gain=1)
    with the encoder's beta in the encoder and the decoder's in the decoder (cross-attention
    belongs to the decoder). GPT-2's packed c_attn: each of q, k, v is its own projection, so
    xavier_normal_ acts on each column slice with that slice's fans."""
    kind, n, m = depths(arch, cfg)
    c = deepnorm_constants(kind, n, m)
    done = []
    for w in weights(arch, model, cfg):
        if w.part in ("embedding", "position_embedding", "readout"):
            continue
        if kind == "encoder-decoder":
            beta = c["beta_encoder"] if w.stack == "encoder" else c["beta_decoder"]
        else:
            beta = c["beta"]
        gain = 1.0 if w.part in ("query", "key") else beta
        v = w.view()
        nn.init.xavier_normal_(v, gain=gain)
        fi, fo = w.fans()
        done.append((w, "normal", xavier_std(fi, fo, gain)))
    return c, done


def t_fixup(arch, model, cfg):
    """T-Fixup (Huang, Perez, Ba, Volkovs 2020, ICML), Algorithm 1:
    1. Xavier initialization for all parameters excluding input embeddings; Gaussian
       N(0, d^(-1/2)) for input embeddings (d the embedding dimension; the authors' fairseq
       code: nn.init.normal_(weight, 0, d ** -0.5), so d^(-1/2) is the std; Xavier there is
       xavier_uniform_);
    2. scale v_d and w_d in each decoder attention block, the weight matrices of each decoder
       MLP block, and the input embeddings x and y of encoder and decoder, by (9M)^(-1/4);
    3. scale v_e and w_e in each encoder attention block and the encoder MLP weights by
       0.67 N^(-1/4).
    Readings where the paper has no case: learned position embeddings are input embeddings
    (their sum with the token embedding is the block input); an encoder-only model (no M) scales
    its embeddings by 0.67 N^(-1/4); a packed qkv is three projections (per-slice fans); T5's
    shared embedding is x and y at once."""
    kind, n, m = depths(arch, cfg)
    enc = 0.67 * n ** -0.25 if n > 0 else None
    dec = (9 * m) ** -0.25 if m > 0 else None
    emb_scale = dec if m > 0 else enc
    d = width(arch, cfg)
    emb_std = d ** -0.5 * emb_scale
    done = []
    for w in weights(arch, model, cfg):
        v = w.view()
        if w.part in ("embedding", "position_embedding"):
            nn.init.normal_(v, 0.0, d ** -0.5)
            v.mul_(emb_scale)
            if w.padding is not None:
                # nn.Embedding keeps its padding_idx row zero after init (reset_parameters),
                # and so does the authors' fairseq Embedding (constant_(weight[padding_idx], 0))
                v[w.padding].zero_()
            done.append((w, "normal", emb_std))
            continue
        nn.init.xavier_uniform_(v)
        scale = 1.0
        if w.part in ("value", "attention_output", "ffn_in", "ffn_out"):
            scale = enc if w.stack == "encoder" else dec
            v.mul_(scale)
        fi, fo = w.fans()
        done.append((w, "uniform", xavier_std(fi, fo) * scale))
    c = {"embedding_std": emb_std}
    if enc is not None:
        c["encoder_scale"] = enc
    if dec is not None:
        c["decoder_scale"] = dec
    return c, done


def skipinit(arch, model, cfg):
    """SkipInit (De and Smith 2020, NeurIPS, section 4): each residual branch is multiplied by a
    scalar initialized to zero, so every block is the identity at initialization; initlab's
    form zeroes each branch's last projection (attention output, MLP output), weight and bias
    (alpha multiplies the whole branch, bias included), which gives the same forward pass at
    initialization."""
    names = {id(p): n for n, p in model.named_parameters()}
    done = []
    for w in weights(arch, model, cfg):
        if w.part in ("attention_output", "ffn_out"):
            nn.init.zeros_(w.view())
            done.append((w, "zeros", 0.0))
            bias = names[id(w.param)][:-len("weight")] + "bias"
            if bias in dict(model.named_parameters()):
                b = model.get_parameter(bias)
                nn.init.zeros_(b.data)
                done.append((Weight(b, w.part, w.stack, w.block), "zeros", 0.0))
    return {}, done


CASES = [
    ("scaled_residual", "gpt2", {}, lambda a, mo, c: scaled_residual(a, mo, c)),
    ("scaled_residual", "gpt2", {"per_layer": True}, lambda a, mo, c: scaled_residual(a, mo, c, per_layer=True)),
    ("scaled_residual", "llama", {}, lambda a, mo, c: scaled_residual(a, mo, c)),
    ("scaled_residual", "bert", {}, lambda a, mo, c: scaled_residual(a, mo, c)),
    ("scaled_residual", "t5", {"factor": 3}, lambda a, mo, c: scaled_residual(a, mo, c, factor=3.0)),
    ("deepnorm", "gpt2", {}, deepnorm),
    ("deepnorm", "llama", {}, deepnorm),
    ("deepnorm", "bert", {}, deepnorm),
    ("deepnorm", "t5", {}, deepnorm),
    ("deepnorm", "gpt2_cross", {}, deepnorm),
    ("deepnorm", "vit", {}, deepnorm),
    ("scaled_residual", "vit", {}, lambda a, mo, c: scaled_residual(a, mo, c)),
    ("scaled_residual", "vit", {"per_layer": True}, lambda a, mo, c: scaled_residual(a, mo, c, per_layer=True)),
    ("skipinit", "vit", {}, skipinit),
    ("scaled_residual", "vit_fix", {"per_layer": True}, lambda a, mo, c: scaled_residual(a, mo, c, per_layer=True)),
    ("scaled_residual", "llama_pt", {}, lambda a, mo, c: scaled_residual(a, mo, c)),
    ("t_fixup", "gpt2", {}, t_fixup),
    ("t_fixup", "llama", {}, t_fixup),
    ("t_fixup", "bert", {}, t_fixup),
    ("t_fixup", "t5", {}, t_fixup),
    ("skipinit", "gpt2", {}, skipinit),
    ("skipinit", "llama", {}, skipinit),
    ("skipinit", "bert", {}, skipinit),
    ("skipinit", "t5", {}, skipinit),
]


def group_of(name):
    return ".".join("*" if p.isdigit() else p for p in name.split("."))


def z5(v):
    return float(f"{float(v):.5g}")


def run_case(recipe, arch, params, fn):
    arch_name, cls, config_cls, cfg = ARCHS[arch]
    torch.manual_seed(BUILD_SEED)
    model = cls(**cfg) if config_cls is None else cls(config_cls(**cfg))
    if arch in PRESETS:
        with torch.no_grad():
            for module in model.modules():
                if isinstance(module, nn.Linear):
                    module.reset_parameters()
    before = {k: t.clone() for k, t in model.state_dict().items()}
    torch.manual_seed(RECIPE_SEED)
    with torch.no_grad():
        constants, done = fn(arch, model, cfg)
    sd = model.state_dict()
    first_key = {}
    for k, t in sd.items():
        first_key.setdefault(t.data_ptr(), k)
    by_ptr = {}
    for k, t in sd.items():
        by_ptr.setdefault(t.data_ptr(), []).append(k)
    tensors = []
    groups = {}
    touched_ptrs = set()
    for w, dist, std in done:
        key = first_key[w.param.data_ptr()]
        touched_ptrs.add(w.param.data_ptr())
        entry = {"name": key, "shape": list(w.param.shape), "dist": dist, "std": std}
        label = group_of(key)
        if w.cols is not None or w.rows is not None:
            entry["part"] = w.part
            entry["columns" if w.cols is not None else "rows"] = list(w.cols or w.rows)
            label += "[" + w.part + "]"
        view = w.view().detach().double()
        if w.padding is not None and dist != "zeros":
            assert torch.all(view[w.padding] == 0), key
            entry["zero_rows"] = [w.padding]
            view = torch.cat([view[:w.padding], view[w.padding + 1:]])
        tensors.append(entry)
        values = view.flatten().numpy()
        if dist == "zeros":
            assert np.all(values == 0.0), key
            continue
        groups.setdefault(label, []).append(values / std)
    touched = [k for p in sorted(touched_ptrs, key=lambda p: list(sd).index(first_key[p])) for k in by_ptr[p]]
    # every key outside touched is what the library gave (the recipe left it alone)
    for k, t in sd.items():
        if k not in touched:
            assert torch.equal(t, before[k]), f"{recipe}/{arch}: {k} changed"
    cap = MAX_SAMPLE_LARGE if f"{recipe}/{arch}" in LARGE else MAX_SAMPLE
    rng = np.random.default_rng(PICK_SEED)
    out_groups = []
    for label, parts in groups.items():
        pooled = np.concatenate(parts)
        # a recipe applied wrongly shows here first: the pooled values / analytic std have std 1
        s = pooled.std()
        assert abs(s - 1) < 6 / math.sqrt(2 * len(pooled)), f"{recipe}/{arch} {label}: std {s}"
        pick = pooled if len(pooled) <= cap else rng.choice(pooled, size=cap, replace=False)
        out_groups.append({"group": label, "values": len(pooled), "sample": [z5(v) for v in pick]})
    return {"id": f"{recipe}/{arch}" + ("/" + "_".join(f"{k}={v}" for k, v in params.items()) if params else ""),
            "recipe": dict({"name": recipe}, **params), "architecture": arch_name, "config": cfg,
            "init": {"preset": PRESETS[arch]} if arch in PRESETS else None,
            "constants": constants, "touched": touched, "tensors": tensors, "groups": out_groups}


def dump(fixture):
    lines = ["{"]
    keys = [k for k in fixture if k != "cases"]
    for k in keys:
        lines.append(f"  {json.dumps(k)}: {json.dumps(fixture[k], allow_nan=False)},")
    lines.append('  "cases": [')
    for i, c in enumerate(fixture["cases"]):
        lines.append("    " + json.dumps(c, allow_nan=False, separators=(",", ":"))
                     + ("," if i < len(fixture["cases"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    fixture = {
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__, "timm": timm.__version__,
                     "numpy": np.__version__, "python": sys.version.split()[0]},
        "seeds": {"build": BUILD_SEED, "recipe": RECIPE_SEED, "pick": PICK_SEED},
        "cases": [run_case(*c) for c in CASES],
    }
    with open(os.path.join(HERE, "recipes.json"), "w") as f:
        f.write(dump(fixture))


if __name__ == "__main__":
    main()
