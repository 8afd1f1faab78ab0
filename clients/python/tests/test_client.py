"""The Python client against a running initlab server (INITLAB_URL) and real PyTorch modules.

Every spec below names its layers exactly as the torch module's attributes, so the tensor names
are the model's state_dict keys and load_state_dict(strict=True) is the check that names, shapes
and the set of parameters agree with PyTorch.
"""

import json
import sys

import numpy as np
import pytest
import requests
import safetensors.numpy
import safetensors.torch
import torch
import torch.nn as nn
import torch.nn.functional as F

from conftest import Answered
import initlab_client as il

PRESETS = ["pytorch_default", "keras_default", "flax_default", "small_random", "zeros"]

# ----------------------------------------------------------------------------------------------
# Models and the specs that describe them

VOCAB, D_MODEL, HEADS, PAD = 64, 32, 4, 0


class GPTBlock(nn.Module):
    """Token embedding with a padding row, then one pre-norm transformer block."""

    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, D_MODEL, padding_idx=PAD)
        self.ln_1 = nn.LayerNorm(D_MODEL)
        self.attn = nn.MultiheadAttention(D_MODEL, HEADS, batch_first=True)
        self.ln_2 = nn.LayerNorm(D_MODEL)
        self.fc = nn.Linear(D_MODEL, 4 * D_MODEL)
        self.proj = nn.Linear(4 * D_MODEL, D_MODEL)

    def forward(self, idx):
        x = self.wte(idx)
        h = self.ln_1(x)
        t = idx.shape[1]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        a, _ = self.attn(h, h, h, attn_mask=causal, need_weights=False)
        x = x + a
        return x + self.proj(F.gelu(self.fc(self.ln_2(x))))


GPT_LAYERS = [
    {"name": "wte", "type": "embedding", "num_embeddings": VOCAB, "embedding_dim": D_MODEL, "padding_idx": PAD},
    {"name": "ln_1", "type": "layer_norm", "normalized_shape": D_MODEL},
    {"name": "attn", "type": "multihead_attention", "embed_dim": D_MODEL, "num_heads": HEADS, "batch_first": True},
    {"name": "ln_2", "type": "layer_norm", "normalized_shape": D_MODEL},
    {"name": "fc", "type": "linear", "in_features": D_MODEL, "out_features": 4 * D_MODEL},
    {"name": "proj", "type": "linear", "in_features": 4 * D_MODEL, "out_features": D_MODEL},
]


class BiLSTMTagger(nn.Module):
    """A 2-layer bidirectional LSTM and a linear head over both directions."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, num_layers=2, bidirectional=True, batch_first=True)
        self.head = nn.Linear(32, 5)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out)


LSTM_LAYERS = [
    {"name": "lstm", "type": "lstm", "input_size": 8, "hidden_size": 16, "num_layers": 2, "bidirectional": True,
     "batch_first": True},
    {"name": "head", "type": "linear", "in_features": 32, "out_features": 5},
]


class ConvNet(nn.Module):
    """Conv + batch norm, a grouped conv, a grouped transposed conv that upsamples, a 1x1 conv."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, groups=4, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.up = nn.ConvTranspose2d(32, 8, 4, stride=2, padding=1, groups=2)
        self.out = nn.Conv2d(8, 3, 1)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.relu(self.bn2(self.conv2(x)))
        return self.out(F.relu(self.up(x)))


CONV_LAYERS = [
    {"name": "conv1", "type": "conv2d", "in_channels": 3, "out_channels": 16, "kernel_size": 3, "padding": 1,
     "activation": "relu"},
    {"name": "bn1", "type": "batch_norm2d", "num_features": 16},
    {"name": "conv2", "type": "conv2d", "in_channels": 16, "out_channels": 32, "kernel_size": [3, 3], "groups": 4,
     "bias": False, "activation": "relu"},
    {"name": "bn2", "type": "batch_norm2d", "num_features": 32},
    {"name": "up", "type": "conv_transpose2d", "in_channels": 32, "out_channels": 8, "kernel_size": 4, "stride": 2,
     "groups": 2, "activation": "relu"},
    {"name": "out", "type": "conv2d", "in_channels": 8, "out_channels": 3, "kernel_size": 1},
]

MODELS = {
    "gpt_block": (GPTBlock, GPT_LAYERS, lambda: torch.randint(1, VOCAB, (2, 7))),
    "bilstm": (BiLSTMTagger, LSTM_LAYERS, lambda: torch.randn(2, 7, 8)),
    "convnet": (ConvNet, CONV_LAYERS, lambda: torch.randn(2, 3, 8, 8)),
}


def spec_for(model_name, seed=7, **fields):
    return {"seed": seed, "layers": MODELS[model_name][1], **fields}


def bits(array):
    """The raw bytes of an array, so comparisons are bit for bit (-0.0 != 0.0, NaN == NaN)."""
    return np.ascontiguousarray(array).tobytes()


def assert_same_arrays(left, right, what):
    assert list(left) == list(right), f"{what}: names or order differ"
    for name in left:
        a, b = left[name], right[name]
        assert a.dtype == b.dtype, f"{what}: {name} dtype {a.dtype} vs {b.dtype}"
        assert a.shape == b.shape, f"{what}: {name} shape {a.shape} vs {b.shape}"
        assert bits(a) == bits(b), f"{what}: {name} values differ"


# ----------------------------------------------------------------------------------------------
# PyTorch: every preset loads strictly into every model


@pytest.mark.parametrize("preset", PRESETS)
@pytest.mark.parametrize("model_name", list(MODELS))
def test_load_into_every_preset(server_url, model_name, preset):
    factory, _, example_input = MODELS[model_name]
    torch.manual_seed(0)
    model = factory()
    spec = spec_for(model_name, init={"preset": preset})

    result = il.load_into(model, spec, url=server_url)

    assert result.missing_keys == [] and result.unexpected_keys == []
    # The model now holds exactly the served values (float32 in, float32 parameters).
    served = il.generate(spec, url=server_url)
    state = model.state_dict()
    for name, array in served.items():
        assert bits(state[name].numpy()) == bits(array), name
    # Every learnable parameter and running stat came from the server (num_batches_tracked is a
    # counter PyTorch fills in itself).
    assert set(state) - set(served) <= {k for k in state if k.endswith("num_batches_tracked")}
    with torch.no_grad():
        model.eval()
        out = model(example_input())
    assert torch.isfinite(out).all()


def test_pytorch_default_matches_torch_bounds(server_url):
    """pytorch_default draws from the same distributions as torch.nn's reset_parameters."""
    served = il.generate(spec_for("gpt_block", init={"preset": "pytorch_default"}), url=server_url)
    meta = il.metadata(spec_for("gpt_block", init={"preset": "pytorch_default"}), url=server_url)
    bound = 1 / np.sqrt(D_MODEL)  # kaiming_uniform(a=sqrt(5)) on a Linear: 1/sqrt(fan_in)
    assert meta["init.fc.weight"]["fan_in"] == D_MODEL
    assert meta["init.fc.weight"]["bound"] == pytest.approx(bound)
    assert np.abs(served["fc.weight"]).max() <= bound
    assert np.abs(served["fc.bias"]).max() <= bound
    np.testing.assert_array_equal(served["ln_1.weight"], np.ones(D_MODEL, np.float32))
    np.testing.assert_array_equal(served["ln_1.bias"], np.zeros(D_MODEL, np.float32))
    np.testing.assert_array_equal(served["attn.in_proj_bias"], np.zeros(3 * D_MODEL, np.float32))
    # nn.Embedding: N(0, 1)
    assert 0.8 < served["wte.weight"][1:].std() < 1.2


def test_load_into_refuses_keras_layout(server_url):
    with pytest.raises(ValueError, match="layout"):
        il.load_into(GPTBlock(), spec_for("gpt_block", layout="keras"), url=server_url)


def test_load_into_strict_reports_a_mismatch(server_url):
    spec = spec_for("convnet")
    spec["layers"] = [layer for layer in spec["layers"] if layer["name"] != "out"]
    with pytest.raises(RuntimeError, match="out.weight"):
        il.load_into(ConvNet(), spec, url=server_url)


# ----------------------------------------------------------------------------------------------
# Formats agree


@pytest.mark.parametrize("dtype,np_dtype", [("float32", np.float32), ("float16", np.float16),
                                            ("float64", np.float64)])
@pytest.mark.parametrize("model_name", list(MODELS))
def test_safetensors_npz_json_identical(server_url, model_name, dtype, np_dtype):
    spec = spec_for(model_name, dtype=dtype, init={"preset": "pytorch_default"})
    by_safetensors = il.generate(spec, format="safetensors", url=server_url)
    by_npz = il.generate(spec, format="npz", url=server_url)
    by_json = il.generate(spec, format="json", url=server_url)

    assert all(a.dtype == np_dtype for a in by_safetensors.values())
    assert_same_arrays(by_safetensors, by_npz, "safetensors vs npz")
    assert_same_arrays(by_safetensors, by_json, "safetensors vs json")
    # and what safetensors.torch gives PyTorch is the same again
    raw = requests.post(server_url + il.ENDPOINT, params={"format": "safetensors"}, json=spec, timeout=60).content
    via_torch = {k: v.numpy() for k, v in safetensors.torch.load(raw).items()}
    assert_same_arrays(by_safetensors, {k: via_torch[k] for k in by_safetensors}, "client vs safetensors.torch")


def test_builtin_safetensors_reader_matches_the_library(server_url):
    spec = spec_for("gpt_block", dtype="float16")
    raw = requests.post(server_url + il.ENDPOINT, params={"format": "safetensors"}, json=spec, timeout=60).content
    library = safetensors.numpy.load(raw)
    builtin = il._parse_safetensors(raw)
    assert_same_arrays(builtin, {k: library[k] for k in builtin}, "built-in vs safetensors.numpy")
    assert all(a.flags.writeable for a in builtin.values())


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_works_without_the_safetensors_package(server_url, monkeypatch, dtype):
    """requests + numpy are enough: the built-in reader takes over, for generate and load_into."""
    spec = spec_for("gpt_block", dtype=dtype)
    with_library = il.generate(spec, url=server_url)
    model_with = GPTBlock()
    il.load_into(model_with, spec, url=server_url)
    for module in ["safetensors", "safetensors.numpy", "safetensors.torch"]:
        monkeypatch.setitem(sys.modules, module, None)  # import now raises ImportError
    with pytest.raises(ImportError):
        import safetensors.numpy  # noqa: F401
    assert_same_arrays(il.generate(spec, url=server_url), with_library, "without safetensors")
    model_without = GPTBlock()
    assert il.load_into(model_without, spec, url=server_url).missing_keys == []
    for name, value in model_with.state_dict().items():
        assert torch.equal(value, model_without.state_dict()[name]), name


def test_bfloat16_comes_back_as_float32_holding_the_bfloat16_values(server_url):
    spec = spec_for("gpt_block", dtype="bfloat16")
    by_safetensors = il.generate(spec, format="safetensors", url=server_url)
    by_json = il.generate(spec, format="json", url=server_url)
    assert all(a.dtype == np.float32 for a in by_safetensors.values())
    assert_same_arrays(by_safetensors, by_json, "bfloat16: safetensors vs json")
    raw = requests.post(server_url + il.ENDPOINT, params={"format": "safetensors"}, json=spec, timeout=60).content
    via_torch = safetensors.torch.load(raw)
    for name, array in by_safetensors.items():
        assert via_torch[name].dtype == torch.bfloat16
        assert bits(via_torch[name].float().numpy()) == bits(array), name
        # the low 16 bits of a bfloat16 widened to float32 are zero
        assert not (array.view(np.uint32) & 0xFFFF).any(), name
    # and load_into accepts it into a float32 model
    assert il.load_into(GPTBlock(), spec, url=server_url).missing_keys == []


def test_npy_picks_one_tensor(server_url):
    spec = spec_for("gpt_block")
    everything = il.generate(spec, url=server_url)
    for name in ["fc.weight", "attn.out_proj.weight", "wte.weight"]:
        one = il.generate(spec, format="npy", tensor=name, url=server_url)
        assert list(one) == [name]
        assert_same_arrays(one, {name: everything[name]}, f"npy {name}")
    # tensor= works for the other formats too
    assert list(il.generate(spec, format="npz", tensor="fc.bias", url=server_url)) == ["fc.bias"]
    # several tensors and no tensor=: the server says how to choose
    with pytest.raises(il.InitlabError, match=r"tensor=NAME"):
        il.generate(spec, format="npy", url=server_url)


# ----------------------------------------------------------------------------------------------
# Keras layout, padding row, errors, reproducibility, metadata


def test_keras_layout_names_and_shapes(server_url):
    gpt = il.generate(spec_for("gpt_block", layout="keras", init={"preset": "keras_default"}), url=server_url)
    assert gpt["fc/kernel"].shape == (D_MODEL, 4 * D_MODEL)  # [in, out]
    assert gpt["fc/bias"].shape == (4 * D_MODEL,)
    assert gpt["proj/kernel"].shape == (4 * D_MODEL, D_MODEL)
    assert gpt["wte/embeddings"].shape == (VOCAB, D_MODEL)
    assert gpt["ln_1/gamma"].shape == (D_MODEL,) and gpt["ln_1/beta"].shape == (D_MODEL,)
    torch_shape = tuple(GPTBlock().fc.weight.shape)
    assert gpt["fc/kernel"].shape == torch_shape[::-1]

    conv = il.generate(spec_for("convnet", layout="keras"), url=server_url)
    assert conv["conv1/kernel"].shape == (3, 3, 3, 16)  # [*k, in, out]
    assert conv["bn1/gamma"].shape == (16,)
    assert conv["bn1/moving_variance"].shape == (16,)
    assert not any("." in name.split("/")[-1] for name in conv)


@pytest.mark.parametrize("preset", [p for p in PRESETS if p != "zeros"])
def test_padding_row_is_zero(server_url, preset):
    spec = spec_for("gpt_block", init={"preset": preset})
    for fmt in ["safetensors", "json"]:
        wte = il.generate(spec, format=fmt, tensor="wte.weight", url=server_url)["wte.weight"]
        assert not wte[PAD].any(), f"{fmt}: padding row {PAD} is not zero"
        assert np.all(np.abs(wte[np.arange(VOCAB) != PAD]).sum(axis=1) > 0), f"{fmt}: another row is zero"
    model = GPTBlock()
    il.load_into(model, spec, url=server_url)
    assert not model.wte.weight[PAD].any()


@pytest.mark.parametrize("fmt", il.FORMATS)
def test_error_raises_with_the_detail(server_url, fmt):
    spec = {"seed": 1, "layers": [{"name": "x", "type": "dense_layer", "units": 3}]}
    with pytest.raises(il.InitlabError) as caught:
        il.generate(spec, format=fmt, url=server_url)
    error = caught.value
    assert error.status == 400
    assert "unknown type 'dense_layer'" in error.detail
    assert error.detail in str(error)
    assert "linear" in error.detail  # names the allowed values
    assert error.errors and error.errors[0]["field"].startswith("layers[0]")
    with pytest.raises(il.InitlabError, match="dense_layer"):
        il.load_into(GPTBlock(), spec, url=server_url)
    with pytest.raises(il.InitlabError, match="dense_layer"):
        il.metadata(spec, url=server_url)


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(il.InitlabError, match="cannot reach initlab"):
        il.generate(spec_for("bilstm"), url="http://127.0.0.1:9")


@pytest.mark.parametrize("fmt", ["safetensors", "npz", "json"])
def test_same_spec_twice_gives_identical_bytes(server_url, fmt):
    spec = spec_for("gpt_block", seed=123456789)
    first, second = (requests.post(server_url + il.ENDPOINT, params={"format": fmt}, json=spec, timeout=60)
                     for _ in range(2))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert_same_arrays(il.generate(spec, format=fmt, url=server_url),
                       il.generate(spec, format=fmt, url=server_url), fmt)


def test_a_drawn_seed_reproduces(server_url):
    spec = {"layers": LSTM_LAYERS}  # no seed: the server draws one and records it
    raw = requests.post(server_url + il.ENDPOINT, params={"format": "safetensors"}, json=spec, timeout=60).content
    seed = int(il.metadata(raw)["seed"])
    again = requests.post(server_url + il.ENDPOINT, params={"format": "safetensors"},
                          json={**spec, "seed": seed}, timeout=60).content
    assert again == raw


def test_metadata(server_url):
    spec = spec_for("convnet", init={"weight": {"scheme": "kaiming_normal"}})
    meta = il.metadata(spec, url=server_url)
    assert meta["seed"] == "7" and meta["layout"] == "pytorch" and meta["dtype"] == "float32"
    assert "rng" in meta
    conv2 = meta["init.conv2.weight"]
    assert conv2["scheme"] == "kaiming_normal"
    assert conv2["fan_in"] == (16 // 4) * 9 and conv2["fan_out"] == 32 * 9
    assert conv2["gain"] == pytest.approx(np.sqrt(2.0))  # activation relu
    assert conv2["std"] == pytest.approx(np.sqrt(2.0 / 36))
    up = meta["init.up.weight"]  # transposed: weight [in, out/groups, k, k], fan_in = (out/groups)*k*k
    assert up["fan_in"] == (8 // 2) * 16
    assert set(k for k in meta if k.startswith("init.")) == {"init." + n for n in il.generate(spec, url=server_url)}
    # from bytes already fetched: the same
    raw = requests.post(server_url + il.ENDPOINT, params={"format": "safetensors"}, json=spec, timeout=60).content
    assert il.metadata(raw) == meta
    assert all(isinstance(v, str) for k, v in meta.items() if not k.startswith("init."))
    json.dumps(meta)  # plain JSON types only


def test_api_key_from_the_environment_goes_in_x_api_key(monkeypatch, sent_request):
    # no server needed: the request the client would send is captured (the default Client posts
    # through its requests.Session, read at each request so a key set later counts)
    sent = sent_request
    spec = {"seed": 0, "layers": [{"name": "fc", "type": "linear", "in_features": 2, "out_features": 1}]}
    monkeypatch.setenv("INITLAB_API_KEY", "s3cret")
    with pytest.raises(Answered):
        il.generate(spec, url="http://127.0.0.1:9")
    assert sent["headers"]["X-API-Key"] == "s3cret"
    monkeypatch.delenv("INITLAB_API_KEY")
    with pytest.raises(Answered):
        il.generate(spec, url="http://127.0.0.1:9")
    assert "X-API-Key" not in sent["headers"]
