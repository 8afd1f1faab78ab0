"""``initlab.init_(module)``: initialize a live ``torch.nn.Module`` from an initlab server.

The request is built from the module itself: a model whose architecture the server knows
(``transformers`` models listed by ``GET /api/v1/architectures``, nanoGPT's ``GPT``,
torchvision's ResNets) is sent as ``"model": {"architecture", "config"}`` so the server applies
that library's own initialization; anything else is described layer by layer from
``named_modules()`` with the layer types of the API's section 1, each layer named by its module
path so that the tensor names are the ``state_dict()`` keys. The tensors come back as
safetensors and are read straight into the parameters' memory.

Only this module imports torch; ``import initlab`` does not.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any, Callable, Mapping, Sequence

import torch
from torch import nn

from . import _client
from ._client import InitlabError
from ._report import InitReport

__all__ = ["init_", "InitReport", "UnsupportedModuleError", "build_request"]

# torch dtype <-> the request's dtype name <-> safetensors dtype code
_WIRE_DTYPES = {torch.float32: "float32", torch.float64: "float64", torch.float16: "float16",
                torch.bfloat16: "bfloat16"}
_TORCH_BY_WIRE = {v: k for k, v in _WIRE_DTYPES.items()}
_ST_CODES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
             torch.bool: "BOOL"}
_TORCH_BY_CODE = {v: k for k, v in _ST_CODES.items()}

SUPPORTED = ("Linear, Bilinear, Conv1d/2d/3d, ConvTranspose1d/2d/3d, Embedding, EmbeddingBag, RNN, "
             "LSTM (without proj_size), GRU, LayerNorm, RMSNorm, GroupNorm, BatchNorm1d/2d/3d, SyncBatchNorm, "
             "InstanceNorm1d/2d/3d, MultiheadAttention (kdim = vdim = embed_dim, no add_bias_kv); "
             "in modules of your own: parameters of 2 or more dimensions (as weights) and a 1-D '*bias' "
             "beside one such weight")

# The name a module gets in the request when it is the root itself (its own tensors have no prefix).
_ROOT = "module"


class UnsupportedModuleError(ValueError):
    """A module has parameters ``init_`` cannot describe to the server (``strict=True``).

    Attributes: ``module_path`` (its name in ``named_modules()``; ``""`` for the root),
    ``module_class`` (the class's qualified name) and ``reason``.
    """

    def __init__(self, module_path: str, module_class: str, reason: str):
        self.module_path = module_path
        self.module_class = module_class
        self.reason = reason
        where = repr(module_path) if module_path else "the root module"
        super().__init__(f"cannot describe module {where} ({module_class}): {reason}. Supported: {SUPPORTED}. "
                         f"Pass strict=False to skip it (its parameters keep their values) and see "
                         f"report.skipped")


class _Undescribable(Exception):
    pass


def _fans(shape: Sequence[int]) -> tuple[int, int]:
    """PyTorch's _calculate_fan_in_and_fan_out for a tensor of at least 2 dimensions."""
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _is_torch_nn(module: nn.Module) -> bool:
    return type(module).__module__.startswith("torch.")


def _describe_torch(module: nn.Module, name: str) -> tuple[list[dict], list[torch.Tensor]] | None:
    """The layer(s) of a torch.nn module of a known type and the tensors they cover; None if the
    type is not one initlab knows. Raises _Undescribable for a known type in a form the server's
    layer types cannot hold."""
    m = module
    if isinstance(m, nn.Linear):
        layer = {"type": "linear", "in_features": m.in_features, "out_features": m.out_features,
                 "bias": m.bias is not None}
        return [dict(name=name, **layer)], [m.weight, m.bias]
    if isinstance(m, nn.modules.conv._ConvNd):
        dims = len(m.kernel_size)
        kind = f"conv_transpose{dims}d" if m.transposed else f"conv{dims}d"
        layer = {"type": kind, "in_channels": m.in_channels, "out_channels": m.out_channels,
                 "kernel_size": list(m.kernel_size), "groups": m.groups, "bias": m.bias is not None}
        return [dict(name=name, **layer)], [m.weight, m.bias]
    if isinstance(m, (nn.Embedding, nn.EmbeddingBag)):
        layer = {"type": "embedding", "num_embeddings": m.num_embeddings, "embedding_dim": m.embedding_dim}
        if m.padding_idx is not None:
            layer["padding_idx"] = int(m.padding_idx)
        return [dict(name=name, **layer)], [m.weight]
    if isinstance(m, nn.RNNBase):
        if getattr(m, "proj_size", 0):
            raise _Undescribable(f"an LSTM with proj_size={m.proj_size} has weight_hr_l* projections, which "
                                 f"the server's lstm type does not describe")
        kind = {"LSTM": "lstm", "GRU": "gru", "RNN_TANH": "rnn", "RNN_RELU": "rnn"}.get(m.mode)
        if kind is None:
            return None
        layer = {"type": kind, "input_size": m.input_size, "hidden_size": m.hidden_size,
                 "num_layers": m.num_layers, "bias": bool(m.bias), "bidirectional": bool(m.bidirectional)}
        if kind == "rnn":
            layer["nonlinearity"] = "relu" if m.mode == "RNN_RELU" else "tanh"
        return [dict(name=name, **layer)], list(m._parameters.values())
    if isinstance(m, nn.LayerNorm):
        layer = {"type": "layer_norm", "normalized_shape": list(m.normalized_shape),
                 "elementwise_affine": bool(m.elementwise_affine), "bias": m.bias is not None}
        return [dict(name=name, **layer)], [m.weight, m.bias]
    if hasattr(nn, "RMSNorm") and isinstance(m, nn.RMSNorm):
        # weight only, ones under torch: a layer_norm without bias has exactly that tensor
        layer = {"type": "layer_norm", "normalized_shape": list(m.normalized_shape),
                 "elementwise_affine": bool(m.elementwise_affine), "bias": False}
        return [dict(name=name, **layer)], [m.weight]
    if isinstance(m, nn.GroupNorm):
        # weight and bias of [num_channels], ones and zeros: a layer_norm over [C] has the same
        layer = {"type": "layer_norm", "normalized_shape": [m.num_channels], "elementwise_affine": bool(m.affine)}
        return [dict(name=name, **layer)], [m.weight, m.bias]
    if isinstance(m, nn.modules.batchnorm._NormBase):
        # BatchNorm*, SyncBatchNorm and InstanceNorm* (the same tensors: weight, bias,
        # running_mean, running_var)
        dims = {"BatchNorm1d": 1, "InstanceNorm1d": 1, "BatchNorm3d": 3, "InstanceNorm3d": 3}
        kind = f"batch_norm{next((d for k, d in dims.items() if isinstance(m, getattr(nn, k))), 2)}d"
        layer = {"type": kind, "num_features": m.num_features, "affine": bool(m.affine),
                 "track_running_stats": bool(m.track_running_stats)}
        return [dict(name=name, **layer)], [m.weight, m.bias]
    if isinstance(m, nn.MultiheadAttention):
        if not m._qkv_same_embed_dim:
            raise _Undescribable(f"kdim={m.kdim}, vdim={m.vdim} differ from embed_dim={m.embed_dim} (separate "
                                 f"q/k/v_proj_weight), which the server's multihead_attention does not describe")
        if m.bias_k is not None:
            raise _Undescribable("add_bias_kv=True adds bias_k and bias_v, which the server's "
                                 "multihead_attention does not describe")
        layer = {"type": "multihead_attention", "embed_dim": m.embed_dim, "num_heads": m.num_heads,
                 "bias": m.in_proj_bias is not None}
        return [dict(name=name, **layer)], [m.in_proj_weight, m.in_proj_bias, m.out_proj.weight, m.out_proj.bias]
    if isinstance(m, nn.Bilinear):
        # torch bounds weight and bias by 1/sqrt(in1_features): fan_in = in1 reproduces it
        # under pytorch_default (kaiming_uniform(a=sqrt(5)) and the bias rule)
        shape = list(m.weight.shape)
        fan_out = shape[0] * shape[2]
        layers = [{"name": f"{name}.weight", "type": "tensor", "shape": shape, "role": "weight",
                   "fan_in": m.in1_features, "fan_out": fan_out}]
        if m.bias is not None:
            layers.append({"name": f"{name}.bias", "type": "tensor", "shape": list(m.bias.shape), "role": "bias",
                           "fan_in": m.in1_features, "fan_out": fan_out})
        return layers, [m.weight, m.bias]
    return None


def _describe_raw(module: nn.Module, prefix: str) -> tuple[list[dict], list[torch.Tensor]]:
    """A module of the user's own with parameters registered on it: `tensor` layers."""
    own = {k: p for k, p in module._parameters.items() if p is not None}
    layers = []
    if type(module).__name__ == "Conv1D" and hasattr(module, "nx") and hasattr(module, "nf"):
        # transformers' Conv1D (GPT-2 and kin, outside a catalogued architecture): a Linear stored
        # as [in, out], whose fans are (nx, nf), not PyTorch's rule on [in, out]
        fans = {"fan_in": int(module.nx), "fan_out": int(module.nf)}
        for key, role in (("weight", "weight"), ("bias", "bias")):
            if key in own:
                layers.append({"name": f"{prefix}.{key}" if prefix else key, "type": "tensor",
                               "shape": list(own[key].shape), "role": role, **fans})
        if set(own) <= {"weight", "bias"}:
            return layers, list(own.values())
        layers = []
    weights = {k: p for k, p in own.items() if p.dim() >= 2}
    for key, p in own.items():
        full = f"{prefix}.{key}" if prefix else key
        if p.dim() >= 2:
            layers.append({"name": full, "type": "tensor", "shape": list(p.shape), "role": "weight"})
            continue
        if key.endswith("bias") and p.dim() == 1:
            source = weights.get(key[: -len("bias")] + "weight")
            if source is None and len(weights) == 1:
                source = next(iter(weights.values()))
            if source is not None:
                fan_in, fan_out = _fans(list(source.shape))
                layers.append({"name": full, "type": "tensor", "shape": list(p.shape), "role": "bias",
                               "fan_in": fan_in, "fan_out": fan_out})
                continue
            raise _Undescribable(f"its 1-D parameter {key!r} looks like a bias but there is no single "
                                 f"2-D weight beside it to take its fan_in from")
        raise _Undescribable(f"its {p.dim()}-D parameter {key!r} {tuple(p.shape)} has no role initlab can "
                             f"tell (a scale? a gain? a temperature?)")
    return layers, list(own.values())


def _class_name(module: nn.Module) -> str:
    return f"{type(module).__module__}.{type(module).__qualname__}"


def _walk(model: nn.Module, strict: bool) -> tuple[list[dict], dict[str, str]]:
    """Layers for every module with parameters, named by module path; skipped paths → reasons."""
    layers: list[dict] = []
    skipped: dict[str, str] = {}
    covered: set[int] = set()
    for path, module in model.named_modules():
        own = [p for p in module._parameters.values() if p is not None]
        if not own or all(id(p) in covered for p in own):
            continue  # a container, or parameters a parent's layer already describes
        if any(isinstance(p, nn.parameter.UninitializedParameter) for p in own):
            reason = "a lazy module whose parameters are not materialized yet: run one forward pass first"
        else:
            try:
                described = _describe_torch(module, path or _ROOT)
                if described is None:
                    if _is_torch_nn(module):
                        raise _Undescribable(f"{type(module).__name__} is not one of the layer types initlab "
                                             f"describes")
                    described = _describe_raw(module, path)
                found, tensors = described
                layers.extend(found)
                covered.update(id(t) for t in tensors if t is not None)
                continue
            except _Undescribable as e:
                reason = str(e)
        if strict:
            raise UnsupportedModuleError(path, _class_name(module), reason)
        skipped[path] = f"{_class_name(module)}: {reason}"
        # its parameters stay as they are, and its children are not described again
        for sub in module.modules():
            covered.update(id(p) for p in sub._parameters.values() if p is not None)
    return layers, skipped


# ----------------------------------------------------------------------------------------------
# Whole architectures (API section 6)

_CATALOG_CACHE: dict[str, dict[str, dict]] = {}


def _catalog(url: str | None) -> dict[str, dict]:
    base = _client.base_url(url)
    if base not in _CATALOG_CACHE:
        import requests

        client = _client.default_client(url)
        try:
            response = client.session.get(base + "/api/v1/architectures", headers=client._headers(False),
                                          timeout=client.timeout)
        except requests.ConnectionError as e:
            raise InitlabError(None, None, f"cannot reach initlab at {base} ({e}); is the server running? "
                                           "Set url= or INITLAB_URL") from e
        if response.status_code >= 400:
            _client._raise_problem(response)
        _CATALOG_CACHE[base] = {a["name"]: a for a in response.json().get("architectures", [])}
    return _CATALOG_CACHE[base]


_RESNET_DEPTHS = {("BasicBlock", (2, 2, 2, 2)): 18, ("BasicBlock", (3, 4, 6, 3)): 34,
                  ("Bottleneck", (3, 4, 6, 3)): 50, ("Bottleneck", (3, 4, 23, 3)): 101,
                  ("Bottleneck", (3, 8, 36, 3)): 152}


def _config_diff(values: Mapping[str, Any], entry: dict) -> dict:
    """The catalog's non-ignored config fields whose value differs from the catalog's default."""
    config = {}
    for field in entry.get("config", []):
        key = field["name"]
        if field.get("ignored") or key not in values:
            continue
        value = values[key]
        if value != field.get("default"):
            config[key] = value
    return config


def _architecture(model: nn.Module, url: str | None) -> dict | None:
    """``{"architecture", "config"}`` when the server's catalog knows this model's class."""
    cls = type(model)
    candidate = None
    values: dict[str, Any] = {}
    transformers = sys.modules.get("transformers")
    if transformers is not None and isinstance(model, transformers.PreTrainedModel):
        candidate = f"transformers/{cls.__name__}"
        values = model.config.to_dict()
        if hasattr(model, "pooler") and cls.__name__ == "BertModel":
            values["add_pooling_layer"] = model.pooler is not None  # a constructor argument
    elif cls.__name__ == "GPT" and hasattr(model, "config") and hasattr(model, "transformer") and all(
            hasattr(model.config, k) for k in ("block_size", "vocab_size", "n_layer", "n_head", "n_embd", "bias")):
        candidate = "nanogpt/GPT"
        values = {k: getattr(model.config, k) for k in ("block_size", "vocab_size", "n_layer", "n_head", "n_embd",
                                                        "bias", "dropout")}
    elif cls.__module__.startswith("torchvision.models.resnet") and cls.__name__ == "ResNet":
        blocks = tuple(len(getattr(model, f"layer{i}")) for i in range(1, 5))
        depth = _RESNET_DEPTHS.get((type(model.layer1[0]).__name__, blocks))
        if depth is None:
            return None
        candidate = f"torchvision/resnet{depth}"
        values = {"num_classes": model.fc.out_features, "groups": model.groups, "width_per_group": model.base_width}
    if candidate is None:
        return None
    entry = _catalog(url).get(candidate)
    if entry is None:
        return None
    return {"architecture": candidate, "config": _config_diff(values, entry)}


# ----------------------------------------------------------------------------------------------
# The request


def _policy(preset: str | None, init: Mapping[str, Any] | None) -> dict | None:
    if init is not None and not isinstance(init, Mapping):
        raise TypeError(f"init must be a dict (role -> initializer, and/or 'preset'), got {type(init).__name__}")
    policy = dict(init or {})
    if preset is not None:
        if "preset" in policy and policy["preset"] != preset:
            raise ValueError(f"preset={preset!r} and init['preset']={policy['preset']!r} disagree; give one")
        policy["preset"] = preset
    return policy or None


def _model_dtype(model: nn.Module, dtype) -> str:
    if dtype is not None:
        key = dtype if isinstance(dtype, str) else _WIRE_DTYPES.get(dtype)
        if key not in _TORCH_BY_WIRE:
            raise ValueError(f"dtype {dtype!r} is not one initlab generates; one of {', '.join(_TORCH_BY_WIRE)}")
        return key
    kinds = {p.dtype for p in model.parameters() if p.is_floating_point()}
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind not in _WIRE_DTYPES:
            raise ValueError(f"the model's parameters are {kind}, which initlab does not generate; pass dtype= "
                             f"(one of {', '.join(_TORCH_BY_WIRE)}) and the values are converted")
        return _WIRE_DTYPES[kind]
    if kinds:  # mixed: generate float32 and convert each tensor on loading
        return "float32"
    return "float32"


def build_request(model: nn.Module, *, preset: str | None = None, init: Mapping[str, Any] | None = None,
                  recipe: Mapping[str, Any] | None = None, overrides: Sequence[Mapping[str, Any]] | None = None,
                  seed: int | None = None, strict: bool = True, url: str | None = None, dtype=None,
                  use_architecture: bool = True) -> tuple[dict, dict[str, str], str | None]:
    """The request :func:`init_` sends for ``model``: ``(body, skipped, architecture)``."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"init_ needs a torch.nn.Module, got {type(model).__name__}")
    meta = [name for name, p in model.named_parameters() if p.is_meta]
    if meta:
        raise ValueError(f"{len(meta)} parameters are on the meta device ({meta[0]}, ...) and have no memory to "
                         f"initialize: materialize them first, e.g. model.to_empty(device='cpu')")
    body: dict[str, Any] = {}
    if seed is not None:
        body["seed"] = int(seed)
    body["dtype"] = _model_dtype(model, dtype)
    arch = _architecture(model, url) if use_architecture else None
    skipped: dict[str, str] = {}
    if arch is not None:
        body["model"] = arch
    else:
        layers, skipped = _walk(model, strict)
        if not layers:
            raise ValueError(f"{type(model).__name__} has no parameters initlab can describe"
                             + (f" (skipped: {skipped})" if skipped else ""))
        body["layers"] = layers
    policy = _policy(preset, init)
    if policy is not None:
        body["init"] = policy
    if recipe is not None:
        body["recipe"] = dict(recipe) if isinstance(recipe, Mapping) else {"name": str(recipe)}
    if overrides:
        body["overrides"] = [dict(o) for o in overrides]
    return body, skipped, (arch or {}).get("architecture")


# ----------------------------------------------------------------------------------------------
# Loading


class _Targets:
    """Where each tensor of the response goes: server name → the model's tensor, read straight
    into its memory when it is CPU, contiguous and of the response's dtype, else through a
    staging tensor copied in afterwards."""

    def __init__(self, model: nn.Module, rename: Callable[[str], str]):
        self.state = model.state_dict(keep_vars=True)
        self.rename = rename
        self.first_key: dict[int, str] = {}  # id(tensor) -> the key that loads it
        self.loaded: dict[str, str] = {}  # state_dict key -> the key whose values it holds
        self.staged: list[tuple[torch.Tensor, torch.Tensor]] = []
        self.direct: list[torch.Tensor] = []
        self.bytes = 0

    def allocate(self, name: str, code: str, shape: Sequence[int]):
        key = self.rename(name)
        target = self.state.get(key)
        if target is None:
            raise ValueError(f"the server sent {name!r}, which is not a state_dict key of the model")
        if tuple(target.shape) != tuple(shape):
            raise ValueError(f"{key}: the server sent shape {list(shape)}, the model has {list(target.shape)}")
        wire = _TORCH_BY_CODE.get(code)
        if wire is None:
            raise ValueError(f"{key}: dtype {code!r} is not one this client reads")
        source = self.first_key.setdefault(id(target), key)
        self.loaded[key] = source
        if source != key:
            return None  # the same tensor as an earlier key (tied): loaded once, stays tied
        self.bytes += target.numel() * wire.itemsize
        t = target.detach()
        if t.device.type == "cpu" and t.dtype == wire and t.is_contiguous():
            dest = t
            self.direct.append(target)
        else:
            dest = torch.empty(tuple(shape), dtype=wire)
            self.staged.append((target, dest))
        return dest.reshape(-1).view(torch.uint8).numpy() if dest.numel() else bytearray(0)

    def finish(self, complete: bool = True):
        """Bump the version counter of every tensor written through numpy (behind autograd's back),
        as an in-place op would, so a graph that saved the old values refuses to backward instead
        of using the new ones; then, when the body was read whole, copy in the staged tensors."""
        bump = getattr(torch.autograd.graph, "increment_version", None)
        if bump is not None:
            for target in self.direct:
                bump(target)
        if not complete:
            return  # a staged tensor may be half read: leave its target as it was
        with torch.no_grad():
            for target, dest in self.staged:
                target.copy_(dest)


def _fetch_into(body: dict, url: str | None, allocate, progress: bool) -> dict:
    """POST ``body`` for safetensors; every tensor is read from the socket into the buffer
    ``allocate(name, code, shape)`` returns (None: its bytes are dropped). Returns the
    safetensors header, ``init.*`` metadata decoded."""
    _, header = _client.default_client(url).fetch_safetensors(body, allocate, progress=progress)
    return header


# ----------------------------------------------------------------------------------------------
# init_


def init_(module: nn.Module, *, preset: str | None = None, init: Mapping[str, Any] | None = None,
          recipe: Mapping[str, Any] | str | None = None, overrides: Sequence[Mapping[str, Any]] | None = None,
          seed: int | None = None, strict: bool = True, url: str | None = None, dtype=None,
          progress: bool = False) -> InitReport:
    """Initialize ``module``'s parameters in place from an initlab server; returns an :class:`InitReport`.

    - A model whose architecture the server lists (``GET /api/v1/architectures``: transformers'
      ``GPT2LMHeadModel``, ``LlamaForCausalLM``, ``BertModel``, ``BertForMaskedLM``,
      ``T5ForConditionalGeneration``; nanoGPT's ``GPT``; torchvision's ResNets) goes by its
      config, and gets that library's own initialization unless ``preset``/``init`` say
      otherwise (API section 6). Anything else is described module by module (section 1),
      default ``pytorch_default`` (what ``torch.nn`` does in ``reset_parameters``).
    - ``preset``: a preset name (``"keras_default"``, ``"small_random"``, ...); ``init``: role →
      initializer (``{"weight": {"scheme": "orthogonal"}}``), optionally with ``"preset"``;
      ``recipe``: ``{"name": ..., ...}`` or a name; ``overrides``: ``[{"match": GLOB, "init": ...}]``.
    - ``seed``: omitted, the server draws one (in ``report.seed``).
    - ``strict``: a module with parameters that cannot be described raises
      :class:`UnsupportedModuleError` naming it; with ``strict=False`` it is skipped, keeps
      its values and is listed in ``report.skipped``.
    - ``dtype``: the dtype to generate (default: the parameters' own); values are converted to
      each parameter's dtype.
    - ``progress``: a tqdm progress bar while the tensors stream.

    Tied parameters (one Parameter under several names) are set once and stay tied; buffers
    the server sends (batch norm running statistics, which it resets to 0 and 1, and
    ``num_batches_tracked`` for whole architectures) are set too, the others are kept and listed
    in ``report.untouched``.
    """
    body, skipped, architecture = build_request(module, preset=preset, init=init, recipe=recipe,
                                                overrides=overrides, seed=seed, strict=strict, url=url,
                                                dtype=dtype)
    root_prefix = _ROOT + "."

    def rename(server_name: str) -> str:
        if architecture is None and server_name.startswith(root_prefix) and server_name not in targets.state:
            return server_name[len(root_prefix):]
        return server_name

    targets = _Targets(module, rename)
    try:
        header = _fetch_into(body, url, targets.allocate, progress)
    except BaseException:
        targets.finish(complete=False)
        raise
    targets.finish()
    meta = header.get("__metadata__", {})
    report = InitReport(skipped=skipped, request=body, architecture=architecture, bytes=targets.bytes)
    report.guessed = [layer["name"] for layer in body.get("layers", [])
                      if layer["type"] == "tensor" and layer.get("role") == "weight" and "fan_in" not in layer]
    try:
        report.seed = int(meta["seed"])
    except (KeyError, ValueError):
        report.seed = None
    inits = {}
    for name in header:
        if name == "__metadata__":
            continue
        resolved = meta.get(f"init.{name}")
        inits[rename(name)] = json.loads(resolved) if isinstance(resolved, str) else dict(resolved or {})
    by_id = {id(t): k for k, t in reversed(list(targets.state.items())) if k in targets.loaded}
    for key, tensor in targets.state.items():
        source = targets.loaded.get(key)
        if source is None:
            # a key the server did not send: the same tensor as one it did (a module used twice)?
            source = by_id.get(id(tensor))
            if source is not None:
                source = targets.loaded[source]
        if source is None:
            report.untouched.append(key)
            continue
        resolved = dict(inits.get(source, {}))
        if source != key:
            resolved.setdefault("tied_to", source)
        report.tensors[key] = resolved
    missing = [k for k in report.untouched if isinstance(targets.state[k], nn.Parameter)
               and not _in_skipped(k, skipped)]
    if missing:
        # only a whole architecture can leave parameters out: the model has more than the
        # library builds (adapters, heads added after construction)
        why = (f"not in {architecture}'s state_dict (added to the model after construction?)" if architecture
               else "not in the server's answer")
        if strict:
            raise InitlabError(None, None, f"the model's parameters {', '.join(missing[:10])}"
                                           + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
                                           + f" are {why}: they were left as they were (the others are set); "
                                             f"pass strict=False to accept that")
        for key in missing:
            report.skipped[key] = why
    return report


def _in_skipped(key: str, skipped: Mapping[str, str]) -> bool:
    return any(path == "" or key == path or key.startswith(path + ".") for path in skipped)
