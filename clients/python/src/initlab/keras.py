"""Initialize a built Keras 3 model from an initlab server.

    >>> import initlab.keras
    >>> report = initlab.keras.init_(model, seed=0)         # every variable set in place
    >>> report.tensors["dense/kernel"]                      # its resolved init (scheme, fans, bound)
    >>> initlab.generate(report.request)["dense/kernel"]    # the same values, again

The request is built in Keras layout from the model's layers (nested models, ``Sequential``,
functional models and layers made of other layers are walked) and every tensor is named by its
Keras variable path, so ``overrides`` globs and the report speak Keras. Without ``preset`` or
``init`` each layer keeps the initializers it was configured with (``kernel_initializer``,
``recurrent_initializer``, ``unit_forget_bias``, ...), translated to the server's schemes with
Keras's own fans: by default that is what Keras itself does (``glorot_uniform`` kernels,
orthogonal recurrent kernels, zero biases, LSTM forget-gate bias 1, ``uniform(-0.05, 0.05)``
embeddings), drawn by the server from ``seed``. Importing this module does not import Keras;
:func:`init_` does.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _client, _wire
from ._report import InitReport

__all__ = ["init_", "describe", "SUPPORTED_LAYERS", "InitReport"]

#: The Keras layer classes init_ describes (plus models and layers made only of these).
SUPPORTED_LAYERS = (
    "Dense", "EinsumDense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
    "Conv3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
    "Embedding", "SimpleRNN", "LSTM", "GRU", "RNN (of SimpleRNNCell, LSTMCell, GRUCell, StackedRNNCells)",
    "Bidirectional", "LayerNormalization", "BatchNormalization", "GroupNormalization", "RMSNormalization",
    "MultiHeadAttention (its EinsumDense projections)",
)

#: Keras initializer classes init_ translates to the server's schemes.
SUPPORTED_INITIALIZERS = (
    "Zeros", "Ones", "Constant", "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling",
    "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal", "Orthogonal",
    "Identity",
)

# Keras activation names the server knows as a layer's "activation" (others are left out: the
# activation only picks kaiming_*'s default nonlinearity).
_ACTIVATIONS = {
    "linear": "linear", "relu": "relu", "tanh": "tanh", "sigmoid": "sigmoid", "selu": "selu", "elu": "elu",
    "gelu": "gelu", "silu": "silu", "swish": "silu", "mish": "mish", "softplus": "softplus", "celu": "celu",
    "hard_tanh": "hardtanh", "leaky_relu": "leaky_relu",
}

# Schemes whose values depend on the tensor's fans.
_FAN_SCHEMES = {"variance_scaling", "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal",
                "lecun_uniform", "lecun_normal", "he_truncated_normal"}

_DTYPES = ("float16", "bfloat16", "float32", "float64")  # narrowest first


class _Undescribable(Exception):
    """A layer (or one of its initializers) the request cannot express; the message says why."""


def _keras():
    try:
        import keras  # type: ignore[import-untyped]  # (Keras ships no type information)
    except ImportError as e:  # Keras, or the backend it was told to use, is missing
        raise ImportError(f"initlab.keras needs Keras 3 and a backend (pip install 'initlab[keras]', and torch, "
                          f"jax or tensorflow named by KERAS_BACKEND): {e}") from e
    if not str(getattr(keras, "__version__", "3")).startswith("3"):
        raise ImportError(f"initlab.keras needs Keras 3, found keras {keras.__version__}")
    return keras


# ----------------------------------------------------------------------------------------------
# Keras facts: fans, initializers, a layer's own variables


def _keras_fans(shape: Sequence[int], initializer: Any = None,
                axes: Optional[Tuple[List[int], List[int]]] = None) -> Tuple[int, int]:
    """Keras's ``compute_fans``: the axes an initializer was given (or ``axes``, which EinsumDense
    gives its kernel's initializer), else ``[..., in, out]`` with the leading dimensions as the
    receptive field."""
    shape = [int(d) for d in shape]
    in_axes = getattr(initializer, "input_axes", None)
    out_axes = getattr(initializer, "output_axes", None)
    if (in_axes is None or out_axes is None) and axes is not None:
        in_axes, out_axes = axes
    if in_axes is not None and out_axes is not None:
        return int(np.prod([shape[a] for a in in_axes])), int(np.prod([shape[a] for a in out_axes]))
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * field, shape[-1] * field


def _einsum_axes(layer: Any) -> Optional[Tuple[List[int], List[int]]]:
    """The kernel's input and output axes by EinsumDense's equation, when this Keras passes them to
    a variance-scaling kernel initializer (Keras >= 3.12 does; its initializers then have
    ``input_axes``), else None (the plain rule)."""
    initializer = getattr(layer, "kernel_initializer", None)
    if not hasattr(initializer, "input_axes") or not hasattr(initializer, "scale"):
        return None
    match = re.fullmatch(r"\s*([\w.]+)\s*,\s*(\w+)\s*->\s*([\w.]+)\s*", str(getattr(layer, "equation", "")))
    if match is None:
        return None
    inputs, weight, outputs = match.groups()
    in_axes = [i for i, d in enumerate(weight) if d not in outputs and d in inputs]
    out_axes = [i for i, d in enumerate(weight) if d in outputs]
    return in_axes, out_axes


def _initializer(init: Any, what: str) -> Dict[str, Any]:
    """The server initializer for a Keras initializer object (its class and config)."""
    if init is None:
        raise _Undescribable(f"{what} is None")
    kind = type(init).__name__
    config = init.get_config() if hasattr(init, "get_config") else {}
    if kind == "Zeros":
        return {"scheme": "zeros"}
    if kind == "Ones":
        return {"scheme": "ones"}
    if kind == "Constant":
        value = np.asarray(config.get("value", 0.0))
        if value.size != 1:
            raise _Undescribable(f"{what} Constant with a non-scalar value")
        return {"scheme": "constant", "value": float(value.reshape(()))}
    if kind == "RandomNormal":
        return {"scheme": "normal", "mean": float(config["mean"]), "std": float(config["stddev"])}
    if kind == "RandomUniform":
        return {"scheme": "uniform", "low": float(config["minval"]), "high": float(config["maxval"])}
    if kind == "TruncatedNormal":  # Keras redraws beyond two standard deviations of the mean
        mean, std = float(config["mean"]), float(config["stddev"])
        return {"scheme": "truncated_normal", "mean": mean, "std": std, "a": mean - 2 * std, "b": mean + 2 * std}
    if kind == "GlorotUniform":
        return {"scheme": "xavier_uniform"}
    if kind in ("VarianceScaling", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform", "LecunNormal"):
        # the attributes, not get_config(): HeNormal & co. leave their fixed scale, mode and
        # distribution out of their config
        distribution = str(init.distribution)
        if distribution == "normal":  # Keras's own alias
            distribution = "truncated_normal"
        return {"scheme": "variance_scaling", "scale": float(init.scale), "mode": str(init.mode),
                "distribution": distribution}
    if kind == "Orthogonal":
        return {"scheme": "orthogonal", "gain": float(config.get("gain", 1.0))}
    if kind == "Identity":
        return {"scheme": "identity", "gain": float(config.get("gain", 1.0))}
    raise _Undescribable(f"{what} {kind} has no initlab scheme (translated: {', '.join(SUPPORTED_INITIALIZERS)}; "
                         f"or pass preset= / init=)")


def _is_seed_state(variable: Any) -> bool:
    # A SeedGenerator's state (dropout and friends): RNG state, not a parameter.
    return getattr(variable, "name", "") == "seed_generator_state"


def _own(layer: Any) -> Dict[str, Any]:
    """The variables the layer created itself (not its sublayers'), by variable name."""
    out: Dict[str, Any] = {}
    for v in list(getattr(layer, "_trainable_variables", [])) + list(getattr(layer, "_non_trainable_variables", [])):
        if not _is_seed_state(v):
            out[v.name] = v
    return out


def _all_variables(layer: Any) -> List[Any]:
    return [v for v in layer.variables if not _is_seed_state(v)]


def _shape(variable: Any) -> List[int]:
    return [int(d) for d in variable.shape]


def _prefix(variable: Any) -> str:
    """The variable's path without its own name: the layer name the server prefixes."""
    path, name = variable.path, variable.name
    if not path.endswith("/" + name):
        raise _Undescribable(f"variable path {path!r} does not end in its name {name!r}")
    return path[: -len(name) - 1]


def _activation(layer: Any) -> Optional[str]:
    fn = getattr(layer, "activation", None)
    name = getattr(fn, "__name__", None) if fn is not None else None
    return _ACTIVATIONS.get(name) if name else None


# ----------------------------------------------------------------------------------------------
# Describing layers: each describer returns request layers and {server tensor name: variable}


class _Part:
    """One layer's share of the request."""

    def __init__(self) -> None:
        self.layers: List[Dict[str, Any]] = []
        self.targets: Dict[str, Any] = {}

    def typed(self, spec: Dict[str, Any], variables: Mapping[str, Any], init: Optional[Dict[str, Any]]) -> None:
        """A server layer type whose tensors are ``<name>/<suffix>`` for each suffix → variable."""
        if init:
            spec["init"] = init
        self.layers.append(spec)
        for suffix, variable in variables.items():
            self.targets[f"{spec['name']}/{suffix}"] = variable

    def tensor(self, variable: Any, role: str, fans: Tuple[int, int], init: Optional[Dict[str, Any]]) -> None:
        """One raw tensor named by the variable's path, with Keras's fans."""
        spec: Dict[str, Any] = {"name": variable.path, "type": "tensor", "shape": _shape(variable), "role": role,
                                "fan_in": max(1, fans[0]), "fan_out": max(1, fans[1])}
        if init:
            spec["init"] = init
        self.layers.append(spec)
        self.targets[variable.path] = variable


class _Describer:
    def __init__(self, keras: Any, translate: bool) -> None:
        self.translate = translate
        L = keras.layers
        # The first entry whose classes match describes the layer (subclasses included).
        self.table: List[Tuple[Tuple[type, ...], Callable[[Any], _Part]]] = [
            (self._classes(L, "Bidirectional"), self._bidirectional),
            (self._classes(L, "RNN"), self._rnn),
            (self._classes(L, "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"), self._conv_transpose),
            (self._classes(L, "DepthwiseConv1D", "DepthwiseConv2D"), self._depthwise),
            (self._classes(L, "SeparableConv1D", "SeparableConv2D"), self._separable),
            (self._classes(L, "Conv1D", "Conv2D", "Conv3D"), self._conv),
            (self._classes(L, "Dense"), self._dense),
            (self._classes(L, "EinsumDense"), self._einsum_dense),
            (self._classes(L, "Embedding"), self._embedding),
            (self._classes(L, "BatchNormalization"), self._batch_norm),
            (self._classes(L, "LayerNormalization", "GroupNormalization"), self._layer_norm),
            (self._classes(L, "RMSNormalization"), self._rms_norm),
        ]

    @staticmethod
    def _classes(module: Any, *names: str) -> Tuple[type, ...]:
        return tuple(getattr(module, n) for n in names if hasattr(module, n))

    def describer(self, layer: Any) -> Optional[Callable[[Any], _Part]]:
        for classes, fn in self.table:
            if classes and isinstance(layer, classes):
                return fn
        return None

    # -- helpers

    def _init(self, roles: Mapping[str, Tuple[Any, str]], **extra: Any) -> Optional[Dict[str, Any]]:
        """The layer's own init (role → translated initializer) when translating, else None."""
        if not self.translate:
            return None
        return {role: dict(_initializer(init, what), **extra) for role, (init, what) in roles.items()}

    @staticmethod
    def _expect(layer: Any, own: Mapping[str, Any], allowed: Iterable[str], required: Iterable[str] = ()) -> None:
        """The layer's own variables are among ``allowed`` (LoRA or quantized variables are not) and
        include ``required``."""
        extra = sorted(set(own) - set(allowed))
        if extra:
            raise _Undescribable(f"it has variables initlab does not know for {type(layer).__name__}: "
                                 + ", ".join(own[n].path for n in extra))
        absent = [n for n in required if n not in own]
        if absent:
            raise _Undescribable(f"it has no {', '.join(absent)} variable (quantized or not built?)")

    # -- dense and convolutions

    def _dense(self, layer: Any) -> _Part:
        own = _own(layer)
        self._expect(layer, own, ("kernel", "bias"), ("kernel",))
        kernel, bias = own["kernel"], own.get("bias")
        part = _Part()
        spec = {"name": _prefix(kernel), "type": "linear", "in_features": _shape(kernel)[0],
                "out_features": _shape(kernel)[1], "bias": bias is not None}
        self._activation(spec, layer)
        roles = {"weight": (layer.kernel_initializer, "kernel_initializer")}
        if bias is not None:
            roles["bias"] = (layer.bias_initializer, "bias_initializer")
        part.typed(spec, {"kernel": kernel, **({"bias": bias} if bias is not None else {})}, self._init(roles))
        self._check_bias_fans(part, layer, bias)
        return part

    def _conv(self, layer: Any, transpose: bool = False) -> _Part:
        own = _own(layer)
        self._expect(layer, own, ("kernel", "bias"), ("kernel",))
        kernel, bias = own["kernel"], own.get("bias")
        shape = _shape(kernel)
        rank = len(shape) - 2
        groups = int(getattr(layer, "groups", 1) or 1)
        if transpose:  # Keras: [*k, filters, in]
            type_, in_ch, out_ch = f"conv_transpose{rank}d", shape[-1], shape[-2]
            if groups != 1:
                raise _Undescribable(f"a transposed convolution with groups={groups}")
        else:  # Keras: [*k, in/groups, filters]
            type_, in_ch, out_ch = f"conv{rank}d", shape[-2] * groups, shape[-1]
        spec = {"name": _prefix(kernel), "type": type_, "in_channels": in_ch, "out_channels": out_ch,
                "kernel_size": shape[:rank], "groups": groups, "bias": bias is not None}
        self._activation(spec, layer)
        roles = {"weight": (layer.kernel_initializer, "kernel_initializer")}
        if bias is not None:
            roles["bias"] = (layer.bias_initializer, "bias_initializer")
        part = _Part()
        part.typed(spec, {"kernel": kernel, **({"bias": bias} if bias is not None else {})}, self._init(roles))
        self._check_bias_fans(part, layer, bias)
        return part

    def _conv_transpose(self, layer: Any) -> _Part:
        return self._conv(layer, transpose=True)

    def _check_bias_fans(self, part: _Part, layer: Any, bias: Any) -> None:
        """A fan-dependent bias initializer sees the bias's own shape in Keras, the weight's fans on the
        server: describe the bias as a raw tensor with Keras's fans then."""
        spec = part.layers[-1]
        if bias is None or not self.translate or spec["init"]["bias"]["scheme"] not in _FAN_SCHEMES:
            return
        bias_init = spec["init"].pop("bias")
        spec["bias"] = False
        del part.targets[f"{spec['name']}/bias"]
        part.tensor(bias, "bias", _keras_fans(_shape(bias), layer.bias_initializer), {"bias": bias_init})

    def _raw(self, layer: Any, kernels: Sequence[Tuple[str, str]], bias_attr: Optional[str] = "bias",
             axes: Optional[Tuple[List[int], List[int]]] = None) -> _Part:
        """Layers the server has no type for: each variable a raw tensor with Keras's fans (``axes``:
        the input and output axes of the kernel, as EinsumDense gives its initializer)."""
        own = _own(layer)
        self._expect(layer, own, [n for n, _ in kernels] + ([bias_attr] if bias_attr else []),
                     [n for n, _ in kernels])
        part = _Part()
        fans = (1, 1)
        for name, init_attr in kernels:
            variable = own[name]
            initializer = getattr(layer, init_attr)
            fans = _keras_fans(_shape(variable), initializer, axes)
            part.tensor(variable, "weight", fans, self._init({"weight": (initializer, init_attr)}))
        if bias_attr and bias_attr in own:
            variable = own[bias_attr]
            # the bias's fans: the last kernel's (as its layer's), or its own when its initializer uses them
            initializer = layer.bias_initializer
            init = self._init({"bias": (initializer, "bias_initializer")})
            bias_fans = _keras_fans(_shape(variable), initializer) if init and init["bias"]["scheme"] in _FAN_SCHEMES \
                else fans
            part.tensor(variable, "bias", bias_fans, init)
        return part

    def _einsum_dense(self, layer: Any) -> _Part:
        return self._raw(layer, [("kernel", "kernel_initializer")], axes=_einsum_axes(layer))

    def _depthwise(self, layer: Any) -> _Part:
        return self._raw(layer, [("kernel", "depthwise_initializer")])

    def _separable(self, layer: Any) -> _Part:
        return self._raw(layer, [("depthwise_kernel", "depthwise_initializer"),
                                 ("pointwise_kernel", "pointwise_initializer")])

    # -- embeddings

    def _embedding(self, layer: Any) -> _Part:
        own = _own(layer)
        self._expect(layer, own, ("embeddings",), ("embeddings",))
        table = own["embeddings"]
        init = self._init({"embedding": (layer.embeddings_initializer, "embeddings_initializer")})
        part = _Part()
        if init and init["embedding"]["scheme"] in _FAN_SCHEMES:
            # Keras's fans of [num, dim] are (num, dim); PyTorch's rule would swap them.
            part.tensor(table, "embedding", _keras_fans(_shape(table)), init)
        else:
            num, dim = _shape(table)
            part.typed({"name": _prefix(table), "type": "embedding", "num_embeddings": num, "embedding_dim": dim},
                       {"embeddings": table}, init)
        return part

    # -- recurrent layers

    def _rnn(self, layer: Any) -> _Part:
        cells = getattr(layer.cell, "cells", None)
        part = _Part()
        for cell in (cells if cells is not None else [layer.cell]):
            sub = self._cell(cell)
            part.layers += sub.layers
            part.targets.update(sub.targets)
        return part

    def _bidirectional(self, layer: Any) -> _Part:
        part = _Part()
        for sub_layer in (layer.forward_layer, layer.backward_layer):
            fn = self.describer(sub_layer)
            if fn is None:
                raise _Undescribable(f"its {sub_layer.name} ({type(sub_layer).__name__}) is not a supported RNN")
            sub = fn(sub_layer)
            part.layers += sub.layers
            part.targets.update(sub.targets)
        return part

    def _cell(self, cell: Any) -> _Part:
        kind = type(cell).__name__
        types = {"SimpleRNNCell": "rnn", "LSTMCell": "lstm", "GRUCell": "gru"}
        if kind not in types:
            raise _Undescribable(f"its cell {cell.name} ({kind}) is not one of {', '.join(types)}")
        own = _own(cell)
        self._expect(cell, own, ("kernel", "recurrent_kernel", "bias"), ("kernel", "recurrent_kernel"))
        kernel, recurrent, bias = own["kernel"], own["recurrent_kernel"], own.get("bias")
        type_ = types[kind]
        roles = {"weight": (cell.kernel_initializer, "kernel_initializer"),
                 "recurrent_weight": (cell.recurrent_initializer, "recurrent_initializer")}
        # Keras initializes the stacked [in, G*H] and [H, G*H] matrices whole (fans, orthogonal).
        init = self._init(roles, per_gate=False)
        if bias is not None and init is not None:  # translating
            if type_ == "lstm" and getattr(cell, "unit_forget_bias", False):
                if type(cell.bias_initializer).__name__ != "Zeros":
                    raise _Undescribable("unit_forget_bias=True with a bias_initializer other than zeros "
                                         "(Keras concatenates the two)")
                init["bias"] = {"scheme": "unit_forget_bias"}
            else:
                init["bias"] = dict(_initializer(cell.bias_initializer, "bias_initializer"), per_gate=False)
        part = _Part()
        if type_ == "gru" and bias is not None and len(_shape(bias)) != 2:
            # reset_after=False: one [3H] bias, which the server's Keras GRU ([2, 3H]) has not.
            # (the layer's own initializers even under a preset, which has no rule for these raw roles)
            forced = {role: dict(_initializer(i, w), per_gate=False) for role, (i, w) in roles.items()}
            part.tensor(kernel, "weight", _keras_fans(_shape(kernel)), {"weight": forced["weight"]})
            part.tensor(recurrent, "recurrent_weight", _keras_fans(_shape(recurrent)),
                        {"recurrent_weight": forced["recurrent_weight"]})
            part.tensor(bias, "bias", _keras_fans(_shape(kernel)),
                        {"bias": _initializer(cell.bias_initializer, "bias_initializer")})
            return part
        spec = {"name": _prefix(kernel), "type": type_, "input_size": _shape(kernel)[0],
                "hidden_size": _shape(recurrent)[0], "bias": bias is not None}
        variables = {"kernel": kernel, "recurrent_kernel": recurrent}
        if bias is not None:
            variables["bias"] = bias
        part.typed(spec, variables, init)
        return part

    # -- normalization

    def _norm_init(self, layer: Any, pairs: Mapping[str, str]) -> Dict[str, Dict[str, Any]]:
        """Role → the layer's translated initializer (always: raw norm tensors have no preset rule)."""
        return {role: _initializer(getattr(layer, attr), attr) for role, attr in pairs.items()}

    def _batch_norm(self, layer: Any) -> _Part:
        own = _own(layer)
        self._expect(layer, own, ("gamma", "beta", "moving_mean", "moving_variance"))
        # The server's moving statistics are zeros and ones (its roles running_mean, running_var),
        # which are Keras's defaults; other moving initializers have no place in a request.
        for attr, default in (("moving_mean_initializer", "Zeros"), ("moving_variance_initializer", "Ones")):
            kind = type(getattr(layer, attr, None)).__name__
            if kind != default:
                raise _Undescribable(f"{attr} {kind} (initlab sets moving statistics to Keras's defaults only)")
        mean, var = own.get("moving_mean"), own.get("moving_variance")
        if mean is None or var is None or len({_tuple(_shape(v)) for v in own.values()}) != 1 \
                or len(_shape(mean)) != 1:
            raise _Undescribable("its variables are not all one [channels] vector (several axes?)")
        affine = "gamma" in own and "beta" in own
        spec = {"name": _prefix(mean), "type": "batch_norm1d", "num_features": _shape(mean)[0], "affine": affine}
        part = _Part()
        if affine:
            init = self._init({"norm_weight": (layer.gamma_initializer, "gamma_initializer"),
                               "norm_bias": (layer.beta_initializer, "beta_initializer")})
            part.typed(spec, own, init)
            return part
        part.typed(spec, {"moving_mean": mean, "moving_variance": var}, None)
        for name, role, attr in (("gamma", "norm_weight", "gamma_initializer"),
                                 ("beta", "norm_bias", "beta_initializer")):
            if name in own:  # scale=False or center=False: the other one alone, as a raw tensor
                part.tensor(own[name], role, _keras_fans(_shape(own[name])),
                            {role: _initializer(getattr(layer, attr), attr)})
        return part

    def _layer_norm(self, layer: Any) -> _Part:
        own = _own(layer)
        self._expect(layer, own, ("gamma", "beta"))
        part = _Part()
        if not own:
            return part
        pairs = {"norm_weight": "gamma_initializer", "norm_bias": "beta_initializer"}
        if "gamma" in own:  # gamma and beta, or gamma alone: a layer_norm with or without bias
            gamma = own["gamma"]
            if "beta" in own and _shape(own["beta"]) != _shape(gamma):
                raise _Undescribable("gamma and beta of different shapes")
            spec = {"name": _prefix(gamma), "type": "layer_norm", "normalized_shape": _shape(gamma),
                    "bias": "beta" in own}
            init = self._norm_init(layer, pairs if "beta" in own else {"norm_weight": pairs["norm_weight"]}) \
                if self.translate else None
            part.typed(spec, own, init)
            return part
        beta = own["beta"]  # scale=False: beta alone
        part.tensor(beta, "norm_bias", _keras_fans(_shape(beta)),
                    {"norm_bias": _initializer(layer.beta_initializer, "beta_initializer")})
        return part

    def _rms_norm(self, layer: Any) -> _Part:
        own = _own(layer)
        self._expect(layer, own, ("scale",), ("scale",))
        part = _Part()
        scale = own["scale"]  # Keras creates it with initializer="ones"
        part.tensor(scale, "norm_weight", _keras_fans(_shape(scale)), {"norm_weight": {"scheme": "ones"}})
        return part

    @staticmethod
    def _activation(spec: Dict[str, Any], layer: Any) -> None:
        name = _activation(layer)
        if name is not None:
            spec["activation"] = name


def _tuple(shape: Sequence[int]) -> Tuple[int, ...]:
    return tuple(shape)


# ----------------------------------------------------------------------------------------------
# Walking the model


class _Plan:
    """The request's layers, where each tensor goes, and what was left out."""

    def __init__(self) -> None:
        self.layers: List[Dict[str, Any]] = []
        self.targets: Dict[str, Any] = {}
        self.skipped: Dict[str, str] = {}  # layer path -> why


def _label(layer: Any) -> str:
    path = getattr(layer, "path", None)
    return path or layer.name


def _walk(layer: Any, describer: _Describer, plan: _Plan, strict: bool, seen: set) -> None:
    if id(layer) in seen:  # a shared layer is initialized once
        return
    seen.add(id(layer))
    fn = describer.describer(layer)
    if fn is not None:
        try:
            part = fn(layer)
            covered = {id(v) for v in part.targets.values()}
            missing = [v.path for v in _all_variables(layer) if id(v) not in covered]
            if missing:
                raise _Undescribable("these variables are not described: " + ", ".join(missing))
        except _Undescribable as e:
            _refuse(layer, str(e), plan, strict)
            return
        plan.layers += part.layers
        plan.targets.update(part.targets)
        return
    # Models and layers made of layers: their sublayers, and the variables they own are undescribable.
    own = _own(layer)
    if own:
        _refuse(layer, "it is not a supported layer type and owns variables ("
                + ", ".join(v.path for v in own.values()) + ")", plan, strict)
    for sub in _sublayers(layer):
        _walk(sub, describer, plan, strict, seen)


def _sublayers(layer: Any) -> List[Any]:
    subs = getattr(layer, "_layers", None)
    if subs is None:
        subs = getattr(layer, "layers", [])
    return list(subs)


def _refuse(layer: Any, why: str, plan: _Plan, strict: bool) -> None:
    label = _label(layer)
    message = f"cannot describe layer {label!r} ({type(layer).__name__}): {why}"
    if strict:
        raise ValueError(f"initlab.keras.init_: {message}. Supported layers: {', '.join(SUPPORTED_LAYERS)}; "
                         f"pass strict=False to skip (and report) layers like this one")
    plan.skipped[label] = why


def _dtype(variables: Iterable[Any]) -> str:
    """The request's dtype: the variables' (the widest when they differ; assign() casts)."""
    names = set()
    for v in variables:
        name = str(getattr(v, "dtype", "float32"))
        names.add(name)
    known = [d for d in _DTYPES if d in names]
    if not known:
        return "float32"
    return known[-1]


def describe(model: Any, *, preset: Optional[str] = None, init: Optional[Mapping[str, Any]] = None,
             recipe: Optional[Mapping[str, Any]] = None,
             overrides: Optional[Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]] = None,
             seed: Optional[int] = None, strict: bool = True) -> Dict[str, Any]:
    """The request body :func:`init_` would send for ``model`` (same arguments), without sending it:
    to inspect it, or to ask the server for ``stats`` only."""
    return _describe(model, preset=preset, init=init, recipe=recipe, overrides=overrides, seed=seed,
                     strict=strict)[0]


def _describe(model: Any, *, preset: Optional[str], init: Optional[Mapping[str, Any]],
              recipe: Optional[Mapping[str, Any]],
              overrides: Optional[Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]],
              seed: Optional[int], strict: bool) -> Tuple[Dict[str, Any], _Plan]:
    keras = _keras()
    if not getattr(model, "built", False):
        raise ValueError("initlab.keras.init_ needs a built model: call it on data, model.build(input_shape), "
                         "or give it an Input, so its variables exist")
    if init is not None and not isinstance(init, Mapping):
        raise TypeError(f"init must be a dict (role → initializer, and/or \"preset\"), got {type(init).__name__}")
    if preset is not None and init is not None and "preset" in init and init["preset"] != preset:
        raise ValueError(f"preset={preset!r} and init['preset']={init['preset']!r} disagree; give one")
    translate = preset is None and init is None
    describer = _Describer(keras, translate)
    plan = _Plan()
    _walk(model, describer, plan, strict, set())
    names: Dict[str, str] = {}
    for name, variable in plan.targets.items():
        if variable.path in names:
            raise ValueError(f"initlab.keras.init_: two variables have the path {variable.path!r}; "
                             "give their layers distinct names")
        names[variable.path] = name
    policy: Dict[str, Any] = {"preset": preset or "keras_default"}
    if init is not None:
        policy.update(init)
    request: Dict[str, Any] = {"layout": "keras", "dtype": _dtype(plan.targets.values()), "init": policy,
                               "layers": plan.layers}
    if seed is not None:
        request["seed"] = int(seed)
    if recipe is not None:
        request["recipe"] = dict(recipe)
    if overrides:
        if isinstance(overrides, Mapping):
            overrides = [{"match": k, "init": v} for k, v in overrides.items()]
        request["overrides"] = [dict(o) for o in overrides]
    return request, plan


# ----------------------------------------------------------------------------------------------
# Fetching and assigning


def _fetch(request: Mapping[str, Any], url: Optional[str], progress: bool,
           allocate: Callable[[str, str, Tuple[int, ...]], Any]) -> Tuple[Dict[str, Any], int]:
    """Fetch the request as safetensors, each tensor read into the buffer ``allocate`` gives;
    returns the file's ``__metadata__`` (``init.*`` decoded) and the bytes of tensor data."""
    _, header = _client.default_client(url).fetch_safetensors(request, allocate, progress=progress)
    size = sum(int(e["data_offsets"][1]) - int(e["data_offsets"][0]) for k, e in header.items()
               if k != "__metadata__")
    return header.get("__metadata__", {}), size


# safetensors dtype code -> the torch dtype whose memory it can be read into as it is
_TORCH_CODES = {"F32": "float32", "F64": "float64", "F16": "float16", "BF16": "bfloat16"}


def _in_place(variable: Any, code: str, shape: Tuple[int, ...]) -> Any:
    """The variable's own memory as a writable buffer when the body's bytes can go straight there
    (the torch backend, a contiguous CPU tensor of the same dtype and shape), else None."""
    value: Any = getattr(variable, "value", None)
    if type(value).__module__.split(".")[0] != "torch" or tuple(value.shape) != tuple(shape):
        return None
    import torch

    if str(value.dtype) != "torch." + _TORCH_CODES.get(code, "-") or value.device.type != "cpu" \
            or not value.is_contiguous():
        return None
    tensor = value.detach()
    if code == "BF16":
        tensor = tensor.view(torch.int16)  # NumPy has no bfloat16: the raw bits
    return tensor.numpy()


def init_(model: Any, *, preset: Optional[str] = None, init: Optional[Mapping[str, Any]] = None,
          recipe: Optional[Mapping[str, Any]] = None,
          overrides: Optional[Union[Mapping[str, Any], Sequence[Mapping[str, Any]]]] = None,
          seed: Optional[int] = None, strict: bool = True, url: Optional[str] = None,
          progress: bool = False) -> InitReport:
    """Initialize every variable of a built Keras 3 ``model`` in place from the initlab server.

    Without ``preset`` and ``init`` each layer keeps its configured initializers (Keras's
    defaults unless you chose others), drawn by the server. ``preset`` (``"keras_default"``,
    ``"pytorch_default"``, ``"small_random"``, ...) or ``init`` (role → initializer, e.g.
    ``{"weight": {"scheme": "kaiming_normal"}}``; roles ``weight``, ``bias``,
    ``recurrent_weight``, ``embedding``, ``norm_weight``, ``norm_bias``) set one policy for the
    whole model instead (roles ``init`` leaves out follow ``preset``, else ``keras_default``).
    ``overrides``: ``[{"match": GLOB, "init": {...}}]`` (or ``{GLOB: init}``) over variable paths
    such as ``"dense/kernel"``. ``recipe``: the server's ``recipe`` object. ``seed``: the same seed
    gives the same values (none: the server draws one, reported).

    A layer initlab cannot describe (or an initializer it cannot translate) raises ValueError
    naming the layer and its class, or with ``strict=False`` is left as it is and reported in
    ``skipped`` (layer path → why; its variables are listed in ``untouched``). Returns an
    :class:`~initlab._report.InitReport`: ``tensors`` (variable path → resolved init),
    ``skipped``, ``untouched``, ``request``, ``seed``, ``bytes``; ``print(report)`` is a table.

    On the torch backend the bytes go straight into the variables' CPU memory, so a transfer that
    breaks off (an error is raised) may leave some variables partly rewritten: call again.
    """
    request, plan = _describe(model, preset=preset, init=init, recipe=recipe, overrides=overrides, seed=seed,
                             strict=strict)
    tensors: Dict[str, Dict[str, Any]] = {}
    resolved_seed = request.get("seed")
    size = 0
    if plan.layers:
        staged: Dict[str, np.ndarray] = {}  # tensors that need assign() (another backend, dtype or device)
        arrived = set()

        def allocate(name: str, code: str, shape: Tuple[int, ...]) -> Any:
            variable = plan.targets.get(name)
            if variable is None:
                return None
            if list(shape) != _shape(variable):
                raise ValueError(f"{variable.path}: the server sent shape {list(shape)}, "
                                 f"the variable has {_shape(variable)}")
            arrived.add(name)
            direct = _in_place(variable, code, shape)
            if direct is not None:
                return direct
            staged[name] = np.empty(shape, dtype=_wire.ST_DTYPES.get(code, np.dtype(np.float32)))
            return staged[name]  # BF16 arrives widened to float32, exactly

        meta, size = _fetch(request, url, progress, allocate)
        missing = sorted(set(plan.targets) - arrived)
        if missing:
            raise ValueError(f"the server's answer lacks {', '.join(missing)} (a request/answer mismatch)")
        for name, variable in plan.targets.items():
            if name in staged:
                variable.assign(staged[name])
            tensors[variable.path] = meta.get("init." + name, {})
        if resolved_seed is None and "seed" in meta:
            resolved_seed = int(meta["seed"])
    untouched = [v.path for v in _all_variables(model) if v.path not in tensors]
    return InitReport(tensors=tensors, skipped=plan.skipped, untouched=untouched, request=request,
                      seed=resolved_seed, bytes=size, helper="initlab.keras.init_")
