#!/usr/bin/env python3
"""Writes layers_reference.json: parameter names, order, shapes and fans of real modules.

For each layer the fixture holds the layer object in initlab's wire vocabulary (what a
request's "layers" entry carries) and what the framework itself declares for it:

- PyTorch: the torch module is built from the wire object's own fields (initlab's field
  names are torch's keyword arguments, so nn.Linear(**fields) is the very call), put into a
  container under the layer's name, and its state_dict() keys, in order, with shapes are
  recorded; for every tensor of two or more dimensions, torch's own
  _calculate_fan_in_and_fan_out -- for recurrent weights of one gate block, the [H, in]
  slice, as initlab's API defines them -- and, for recurrent tensors, how many gate
  blocks are stacked. An embedding records the row torch leaves at zero (padding_idx).
  num_batches_tracked is dropped: initlab omits it on purpose, and the script asserts
  that a fresh module loads the state_dict without it (strict=True) and keeps its own 0.
- Keras (where a Keras layer builds the same parameters): the layer is built on an input
  shape and its weights' short names (kernel, recurrent_kernel, bias, embeddings, gamma,
  beta, moving_mean, moving_variance), shapes and Keras's own compute_fans are recorded.

Run from this folder (Keras needs a backend; the JAX one is used and recorded):
    KERAS_BACKEND=jax python3 make_layers.py
Output is deterministic (nothing is random here) for the versions recorded in the
fixture. LayerReferenceTests (src/test/java/dev/initlab/layers) reads it.
"""

import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
from torch.nn import init  # noqa: E402

from fixture_json import dump

try:
    import keras  # noqa: E402
    from keras.src.initializers.random_initializers import compute_fans  # noqa: E402
except ImportError:  # the PyTorch half of the fixture does not need Keras
    keras = None

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "layers_reference.json")

TORCH_CLASSES = {
    "linear": nn.Linear,
    "conv1d": nn.Conv1d, "conv2d": nn.Conv2d, "conv3d": nn.Conv3d,
    "conv_transpose1d": nn.ConvTranspose1d, "conv_transpose2d": nn.ConvTranspose2d,
    "conv_transpose3d": nn.ConvTranspose3d,
    "embedding": nn.Embedding,
    "rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU,
    "layer_norm": nn.LayerNorm,
    "batch_norm1d": nn.BatchNorm1d, "batch_norm2d": nn.BatchNorm2d, "batch_norm3d": nn.BatchNorm3d,
    "multihead_attention": nn.MultiheadAttention,
}

GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def keras_layer(text, input_shape):
    """A Keras case: the constructor as text (evaluated with `keras` in scope) and the input shape without batch."""
    return {"layer": text, "input_shape": input_shape}


# (wire layer object, Keras equivalent or None). The Keras equivalents build the same
# parameters: groups=1 for transposed convolutions (Keras has no groups there), and the
# stacked bidirectional LSTM as two Bidirectional(LSTM) layers.
CASES = [
    ({"name": "fc", "type": "linear", "in_features": 20, "out_features": 30},
     keras_layer("keras.layers.Dense(30)", [20])),
    ({"name": "fc", "type": "linear", "in_features": 20, "out_features": 30, "bias": False},
     keras_layer("keras.layers.Dense(30, use_bias=False)", [20])),
    ({"name": "conv", "type": "conv1d", "in_channels": 16, "out_channels": 33, "kernel_size": 3},
     keras_layer("keras.layers.Conv1D(33, 3)", [10, 16])),
    ({"name": "conv", "type": "conv1d", "in_channels": 8, "out_channels": 16, "kernel_size": [5], "groups": 4},
     keras_layer("keras.layers.Conv1D(16, 5, groups=4)", [10, 8])),
    ({"name": "conv", "type": "conv2d", "in_channels": 6, "out_channels": 12, "kernel_size": [3, 5], "groups": 3},
     keras_layer("keras.layers.Conv2D(12, (3, 5), groups=3)", [10, 10, 6])),
    ({"name": "conv", "type": "conv3d", "in_channels": 6, "out_channels": 6, "kernel_size": 3, "groups": 2,
      "bias": False},
     keras_layer("keras.layers.Conv3D(6, 3, groups=2, use_bias=False)", [5, 5, 5, 6])),
    ({"name": "up", "type": "conv_transpose1d", "in_channels": 6, "out_channels": 9, "kernel_size": 3, "groups": 3},
     None),
    ({"name": "up", "type": "conv_transpose1d", "in_channels": 16, "out_channels": 8, "kernel_size": 4},
     keras_layer("keras.layers.Conv1DTranspose(8, 4)", [10, 16])),
    ({"name": "up", "type": "conv_transpose2d", "in_channels": 16, "out_channels": 33, "kernel_size": [3, 5]},
     keras_layer("keras.layers.Conv2DTranspose(33, (3, 5))", [10, 10, 16])),
    ({"name": "up", "type": "conv_transpose2d", "in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 2},
     None),
    ({"name": "up", "type": "conv_transpose3d", "in_channels": 6, "out_channels": 12, "kernel_size": 3, "groups": 3},
     None),
    ({"name": "up", "type": "conv_transpose3d", "in_channels": 8, "out_channels": 4, "kernel_size": [2, 3, 3],
      "bias": False},
     keras_layer("keras.layers.Conv3DTranspose(4, (2, 3, 3), use_bias=False)", [5, 5, 5, 8])),
    ({"name": "emb", "type": "embedding", "num_embeddings": 10, "embedding_dim": 4},
     keras_layer("keras.layers.Embedding(10, 4)", [3])),
    ({"name": "emb", "type": "embedding", "num_embeddings": 10, "embedding_dim": 4, "padding_idx": 2}, None),
    ({"name": "emb", "type": "embedding", "num_embeddings": 10, "embedding_dim": 4, "padding_idx": -1}, None),
    ({"name": "rnn", "type": "rnn", "input_size": 5, "hidden_size": 7, "nonlinearity": "relu", "bias": False},
     keras_layer("keras.layers.SimpleRNN(7, activation='relu', use_bias=False)", [3, 5])),
    ({"name": "rnn", "type": "rnn", "input_size": 5, "hidden_size": 7},
     keras_layer("keras.layers.SimpleRNN(7)", [3, 5])),
    ({"name": "lstm", "type": "lstm", "input_size": 5, "hidden_size": 7},
     keras_layer("keras.layers.LSTM(7)", [3, 5])),
    ({"name": "lstm", "type": "lstm", "input_size": 5, "hidden_size": 7, "num_layers": 2, "bidirectional": True},
     keras_layer("[keras.layers.Bidirectional(keras.layers.LSTM(7, return_sequences=True)), "
                 "keras.layers.Bidirectional(keras.layers.LSTM(7))]", [3, 5])),
    ({"name": "gru", "type": "gru", "input_size": 5, "hidden_size": 7},
     keras_layer("keras.layers.GRU(7)", [3, 5])),
    ({"name": "gru", "type": "gru", "input_size": 5, "hidden_size": 7, "num_layers": 2, "bias": False}, None),
    ({"name": "ln", "type": "layer_norm", "normalized_shape": [4, 5]},
     keras_layer("keras.layers.LayerNormalization(axis=[-2, -1])", [4, 5])),
    ({"name": "ln", "type": "layer_norm", "normalized_shape": 8},
     keras_layer("keras.layers.LayerNormalization()", [8])),
    ({"name": "ln", "type": "layer_norm", "normalized_shape": 8, "elementwise_affine": False},
     keras_layer("keras.layers.LayerNormalization(center=False, scale=False)", [8])),
    ({"name": "ln", "type": "layer_norm", "normalized_shape": 8, "bias": False},
     keras_layer("keras.layers.LayerNormalization(center=False)", [8])),
    ({"name": "bn", "type": "batch_norm1d", "num_features": 8},
     keras_layer("keras.layers.BatchNormalization()", [8])),
    ({"name": "bn", "type": "batch_norm2d", "num_features": 8, "affine": False},
     keras_layer("keras.layers.BatchNormalization(center=False, scale=False)", [5, 5, 8])),
    ({"name": "bn", "type": "batch_norm3d", "num_features": 8, "track_running_stats": False}, None),
    ({"name": "bn", "type": "batch_norm2d", "num_features": 8, "affine": False, "track_running_stats": False}, None),
    ({"name": "attn", "type": "multihead_attention", "embed_dim": 32, "num_heads": 4}, None),
    ({"name": "attn", "type": "multihead_attention", "embed_dim": 32, "num_heads": 4, "bias": False}, None),
]


def torch_call(layer):
    args = ", ".join(f"{k}={v!r}" for k, v in layer.items() if k not in ("name", "type"))
    return f"nn.{TORCH_CLASSES[layer['type']].__name__}({args})"


def torch_module(layer):
    """The torch module the wire object describes: its fields are torch's keyword arguments."""
    kwargs = {k: v for k, v in layer.items() if k not in ("name", "type")}
    return TORCH_CLASSES[layer["type"]](**kwargs)


def pytorch_entries(layer):
    module = torch_module(layer)
    container = nn.Module()
    container.add_module(layer["name"], module)
    state = container.state_dict()
    dropped = [k for k in state if k.endswith(".num_batches_tracked")]
    track = getattr(module, "track_running_stats", False)
    assert dropped == ([f"{layer['name']}.num_batches_tracked"] if track else []), dropped
    if dropped:
        # initlab omits num_batches_tracked: torch loads the rest strictly and the module
        # keeps its own counter (0 when fresh), so nothing is lost.
        fresh = nn.Module()
        fresh.add_module(layer["name"], torch_module(layer))
        trimmed = {k: v for k, v in state.items() if k not in dropped}
        result = fresh.load_state_dict(trimmed, strict=True)
        assert not result.missing_keys and not result.unexpected_keys, result
        assert getattr(fresh, layer["name"]).num_batches_tracked.item() == 0
    gates = GATES.get(layer["type"])
    entries = []
    for key, tensor in state.items():
        if key in dropped:
            continue
        entry = {"name": key, "shape": list(tensor.shape)}
        if gates is not None:
            hidden = layer["hidden_size"]
            assert tensor.shape[0] == gates * hidden, (key, tensor.shape)
            entry["gate_blocks"] = gates
        if tensor.dim() >= 2:
            block = tensor[: layer["hidden_size"]] if gates is not None else tensor
            fan_in, fan_out = init._calculate_fan_in_and_fan_out(block)
            entry["fan_in"] = fan_in
            entry["fan_out"] = fan_out
        if layer["type"] == "embedding":
            zero = [i for i in range(tensor.shape[0]) if bool((tensor[i] == 0).all())]
            entry["zero_row"] = zero[0] if zero else None
            assert len(zero) <= 1, zero
        entries.append(entry)
    return entries, dropped


def keras_entries(case):
    layers = eval(case["layer"], {"keras": keras})  # the constructor text recorded in the fixture
    if not isinstance(layers, list):
        layers = [layers]
    model = keras.Sequential([keras.Input(shape=tuple(case["input_shape"]))] + layers)
    weights = []
    for w in model.weights:
        shape = [int(d) for d in w.shape]
        entry = {"name": w.name, "path": w.path.split("/", 1)[1], "shape": shape}
        if w.name in ("kernel", "recurrent_kernel", "embeddings"):
            fan_in, fan_out = compute_fans(tuple(shape))
            entry["keras_fan_in"] = int(fan_in)
            entry["keras_fan_out"] = int(fan_out)
        weights.append(entry)
    return dict(case, weights=weights)


def main():
    entries = []
    for layer, keras_case in CASES:
        params, dropped = pytorch_entries(layer)
        entry = {"torch": torch_call(layer), "layer": layer, "pytorch": params, "dropped": dropped}
        if keras_case is not None and keras is not None:
            entry["keras"] = keras_entries(keras_case)
        entries.append(entry)
    fixture = {
        "generated_by": "src/test/resources/reference/make_layers.py",
        "torch_version": torch.__version__.split("+")[0],
        "keras_version": keras.__version__ if keras is not None else None,
        "keras_backend": keras.backend.backend() if keras is not None else None,
        "layers": entries,
    }
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(dump(fixture))
    print(f"wrote {OUT}: {len(entries)} layers, {sum('keras' in e for e in entries)} with Keras weights")




if __name__ == "__main__":
    main()
