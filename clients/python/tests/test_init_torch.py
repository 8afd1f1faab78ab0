"""initlab.init_(module) against a live server, with real PyTorch, transformers and torchvision.

Every test compares what init_ wrote into the model with what the server generates for the
request init_ reports it sent (initlab.generate, a separate code path: requests + the package's
safetensors parser), bit for bit, and checks the request itself against the module.
"""
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

import initlab
from initlab import InitlabError
from test_architectures import NANOGPT_ENV, import_torchvision, nanogpt_module

import_torchvision()  # transformers imports torchvision; on this machine's build that needs the shim
import transformers  # noqa: E402


class Net(nn.Module):
    """A small CNN + LSTM + attention model: one module of each common type, plus a tied head."""

    def __init__(self, vocab=40, dim=16):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=3)
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                                      nn.AdaptiveAvgPool2d((1, dim // 4)))
        self.lstm = nn.LSTM(dim, dim // 2, num_layers=2, bidirectional=True, batch_first=True)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.norm = nn.LayerNorm(dim)
        self.proj = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.embed.weight  # tied, as language models do

    def forward(self, tokens, image):
        x = self.embed(tokens)
        x = x + self.features(image).flatten(1)[:, None, :]
        x, _ = self.lstm(x)
        x = self.norm(x + self.attn(x, x, x, need_weights=False)[0])
        return self.head(torch.relu(self.proj(x)))


def poisoned(model):
    """NaN in every floating parameter and buffer, so a tensor init_ does not set is noticed."""
    with torch.no_grad():
        for t in model.state_dict(keep_vars=True).values():
            if t.is_floating_point():
                t.fill_(float("nan"))
    return model


def assert_equals_generate(model, report, url):
    """Every state_dict tensor init_ set equals the server's tensor of the same request, bit for bit."""
    expected = initlab.generate(report.request, url=url)
    state = model.state_dict()
    for key, resolved in report.tensors.items():
        source = resolved.get("tied_to", key) if key not in expected else key
        want = expected[source]
        got = state[key]
        if got.dtype == torch.bfloat16:
            got = got.float()  # generate gives bfloat16 values as float32, exactly
        assert np.array_equal(got.numpy(), want), key
    return expected


def test_import_does_not_import_torch():
    code = "import sys, initlab; assert 'torch' not in sys.modules, 'import initlab imported torch'; " \
           "assert callable(initlab.init_); assert 'torch' in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_reads_into_the_parameters_without_a_second_copy(server_url):
    """A 256 MiB model: init_ raises the process's peak RSS by far less than the model's size
    (a staging copy or the body's bytes would add 256 MiB). In a fresh process, whose peak is
    the model's pages plus the imports when init_ starts."""
    code = f"""
import resource, torch, initlab
model = torch.nn.Linear(8192, 8192, bias=False)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = initlab.init_(model, seed=1, url={server_url!r})
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
assert report.bytes == 8192 * 8192 * 4 and float(model.weight.abs().max()) > 0
print((after - before) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    grown_mib = int(out.stdout.split()[-1])
    assert grown_mib < 64, f"peak RSS grew by {grown_mib} MiB while reading a 256 MiB model"


def test_cnn_lstm_attention_model(server_url):
    torch.manual_seed(0)
    model = poisoned(Net())
    pointers = {k: t.data_ptr() for k, t in model.state_dict().items()}
    report = initlab.init_(model, seed=11, url=server_url)

    layers = {layer["name"]: layer for layer in report.request["layers"]}
    assert layers["embed"] == {"name": "embed", "type": "embedding", "num_embeddings": 40, "embedding_dim": 16,
                               "padding_idx": 3}
    assert layers["features.0"]["type"] == "conv2d" and layers["features.0"]["kernel_size"] == [3, 3]
    assert layers["features.1"]["type"] == "batch_norm2d"
    assert layers["lstm"] == {"name": "lstm", "type": "lstm", "input_size": 16, "hidden_size": 8, "num_layers": 2,
                              "bias": True, "bidirectional": True}
    assert layers["attn"] == {"name": "attn", "type": "multihead_attention", "embed_dim": 16, "num_heads": 4,
                              "bias": True}
    assert "attn.out_proj" not in layers  # described by the attention layer, not again as a Linear
    assert "head" not in layers  # its only parameter is the embedding's: described (and sent) once
    assert layers["norm"]["type"] == "layer_norm"
    assert report.request["seed"] == 11 and report.request["dtype"] == "float32" and report.seed == 11

    expected = assert_equals_generate(model, report, server_url)
    state = model.state_dict()
    # every state_dict key is set except the int64 counter the layer types do not send
    assert set(report.tensors) | set(report.untouched) == set(state)
    assert report.untouched == ["features.1.num_batches_tracked"]
    assert not any(torch.isnan(t).any() for t in state.values() if t.is_floating_point())
    assert not report.skipped and not report.guessed
    # read into the parameters' own memory, not replaced by new tensors
    assert {k: t.data_ptr() for k, t in state.items()} == pointers
    # padding row zero, the rest drawn (N(0, 1), pytorch_default's embedding)
    assert torch.count_nonzero(model.embed.weight[3]) == 0 and torch.count_nonzero(model.embed.weight[4]) == 16
    # the tie holds, with the embedding's values (the first key), as torch leaves a tied head
    assert model.head.weight is model.embed.weight
    assert report.tensors["head.weight"]["tied_to"] == "embed.weight"
    assert np.array_equal(model.head.weight.detach().numpy(), expected["embed.weight"])
    assert report.tensors["lstm.weight_hh_l1_reverse"]["scheme"] == "uniform"
    assert report.tensors["lstm.weight_hh_l1_reverse"]["high"] == pytest.approx(1 / np.sqrt(8))
    assert report.tensors["attn.in_proj_weight"]["scheme"] == "xavier_uniform"
    assert "embed.weight" in repr(report) and "tied to embed.weight" in report.summary(limit=None)

    out = model(torch.randint(0, 40, (2, 5)), torch.randn(2, 1, 8, 8))
    assert out.shape == (2, 5, 40) and torch.isfinite(out).all()


def test_seed_reproducible_and_presets_pass_through(server_url):
    a, b, c = Net(), Net(), Net()
    initlab.init_(a, seed=5, url=server_url)
    initlab.init_(b, seed=5, url=server_url)
    initlab.init_(c, seed=6, url=server_url)
    assert torch.equal(a.proj.weight, b.proj.weight) and torch.equal(a.lstm.weight_ih_l0, b.lstm.weight_ih_l0)
    assert not torch.equal(a.proj.weight, c.proj.weight)

    k = Net()
    report = initlab.init_(k, seed=5, preset="keras_default", url=server_url)
    assert report.request["init"] == {"preset": "keras_default"}
    assert report.tensors["proj.weight"]["scheme"] == "xavier_uniform"
    assert not torch.equal(k.proj.weight, a.proj.weight)
    assert torch.count_nonzero(k.proj.bias) == 0  # Keras: zero biases; torch's default draws them
    assert_equals_generate(k, report, server_url)

    o = Net()
    report = initlab.init_(o, seed=5, init={"weight": {"scheme": "orthogonal"}},
                           overrides=[{"match": "proj.bias", "init": {"scheme": "constant", "value": 0.5}}],
                           url=server_url)
    assert report.request["init"] == {"weight": {"scheme": "orthogonal"}}
    w = o.proj.weight.detach().double()
    assert torch.allclose(w @ w.T, torch.eye(16, dtype=torch.float64), atol=1e-5)
    assert torch.all(o.proj.bias == 0.5) and report.tensors["proj.bias"]["override"] == 0
    assert_equals_generate(o, report, server_url)

    with pytest.raises(InitlabError) as error:
        initlab.init_(Net(), preset="no_such_preset", url=server_url)
    assert error.value.status == 400 and "no_such_preset" in str(error.value)


class Scale(nn.Module):
    """A module of the user's own with a 1-D parameter whose role cannot be told."""

    def __init__(self, n):
        super().__init__()
        self.gamma = nn.Parameter(torch.full((n,), 7.0))

    def forward(self, x):
        return x * self.gamma


class Dense(nn.Module):
    """A module of the user's own holding a weight and a bias directly: raw `tensor` layers."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(n_out, n_in))
        self.bias = nn.Parameter(torch.empty(n_out))


def test_strict_names_the_module_and_strict_false_skips_it(server_url):
    wrapped = nn.Sequential(nn.Linear(4, 8), nn.Sequential(nn.ReLU(), Scale(8)), nn.Linear(8, 2))
    with pytest.raises(initlab.UnsupportedModuleError) as error:
        initlab.init_(wrapped, url=server_url)
    e = error.value
    assert e.module_path == "1.1" and e.module_class.endswith("Scale")
    assert "'1.1'" in str(e) and "Scale" in str(e) and "gamma" in str(e) and "Supported: Linear" in str(e)
    assert isinstance(e, ValueError)
    assert torch.all(wrapped[1][1].gamma == 7.0)  # nothing fetched, nothing changed

    # negative control: without the undescribable module the same model initializes
    assert initlab.init_(nn.Sequential(wrapped[0], nn.ReLU(), wrapped[2]), url=server_url).tensors

    before = wrapped[0].weight.detach().clone()
    report = initlab.init_(wrapped, strict=False, seed=2, url=server_url)
    assert list(report.skipped) == ["1.1"] and "gamma" in report.skipped["1.1"]
    assert report.untouched == ["1.1.gamma"] and torch.all(wrapped[1][1].gamma == 7.0)
    assert not torch.equal(before, wrapped[0].weight)
    assert set(report.tensors) == {"0.weight", "0.bias", "2.weight", "2.bias"}
    assert "skipped 1.1" in repr(report)
    assert_equals_generate(wrapped, report, server_url)

    # torch.nn modules in forms the layer types cannot hold are refused the same way
    for module, path, words in [(nn.Sequential(nn.LSTM(4, 8, proj_size=2)), "0", "proj_size"),
                                (nn.Sequential(nn.MultiheadAttention(8, 2, kdim=4, vdim=4)), "0", "kdim"),
                                (nn.Sequential(nn.Linear(2, 2), nn.PReLU()), "1", "PReLU")]:
        with pytest.raises(initlab.UnsupportedModuleError) as error:
            initlab.init_(module, url=server_url)
        assert error.value.module_path == path and words in str(error.value)


def test_raw_parameters_other_layer_types_and_the_root_module(server_url):
    model = nn.ModuleDict({
        "dense": Dense(6, 3), "bil": nn.Bilinear(3, 5, 2), "gn": nn.GroupNorm(2, 4), "rms": nn.RMSNorm(4),
        "inorm": nn.InstanceNorm1d(4, affine=True), "bag": nn.EmbeddingBag(9, 4, padding_idx=1),
        "deconv": nn.ConvTranspose1d(4, 6, 3, groups=2), "gru": nn.GRU(3, 5), "rnn": nn.RNN(3, 5, nonlinearity="relu"),
        "conv3": nn.Conv3d(2, 2, (1, 2, 3), bias=False)})
    poisoned(model)
    report = initlab.init_(model, seed=4, url=server_url)
    layers = {layer["name"]: layer for layer in report.request["layers"]}
    assert layers["dense.weight"] == {"name": "dense.weight", "type": "tensor", "shape": [3, 6], "role": "weight"}
    assert layers["dense.bias"]["role"] == "bias" and layers["dense.bias"]["fan_in"] == 6
    assert layers["rnn"]["nonlinearity"] == "relu" and layers["deconv"]["type"] == "conv_transpose1d"
    assert report.guessed == ["dense.weight"] and "by their shape alone" in repr(report)
    assert_equals_generate(model, report, server_url)
    # what torch.nn's own reset_parameters does, in distribution and bounds
    assert report.tensors["dense.bias"]["high"] == pytest.approx(1 / np.sqrt(6))
    assert report.tensors["bil.weight"]["bound"] == pytest.approx(1 / np.sqrt(3))  # torch: 1/sqrt(in1_features)
    assert torch.all(model["gn"].weight == 1) and torch.all(model["gn"].bias == 0)
    assert torch.all(model["rms"].weight == 1) and torch.all(model["inorm"].weight == 1)
    assert torch.count_nonzero(model["bag"].weight[1]) == 0
    assert not any(torch.isnan(t).any() for t in model.state_dict().values() if t.is_floating_point())

    # the module itself as the root: its tensors have no prefix
    lstm = poisoned(nn.LSTM(3, 4))
    report = initlab.init_(lstm, seed=4, url=server_url)
    assert set(report.tensors) == {"weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"}
    assert not any(torch.isnan(p).any() for p in lstm.parameters())


def test_dtypes_and_a_module_used_twice(server_url):
    shared = nn.Linear(4, 4)
    model = nn.Sequential(shared, nn.Tanh(), shared).double()
    report = initlab.init_(model, seed=1, url=server_url)
    assert report.request["dtype"] == "float64" and [l["name"] for l in report.request["layers"]] == ["0"]
    assert report.tensors["2.weight"]["tied_to"] == "0.weight"
    assert model[0].weight.dtype == torch.float64
    assert_equals_generate(model, report, server_url)

    # written in place like an in-place op: a graph that saved the old values refuses to backward
    loss = (model[0].weight ** 2).sum()
    initlab.init_(model, seed=2, url=server_url)
    with pytest.raises(RuntimeError, match="inplace"):
        loss.backward()

    half = nn.Sequential(nn.Linear(8, 8)).to(torch.bfloat16)
    report = initlab.init_(half, seed=1, url=server_url)
    assert report.request["dtype"] == "bfloat16"
    assert_equals_generate(half, report, server_url)

    with torch.device("meta"):
        ghost = nn.Linear(4, 4)
    with pytest.raises(ValueError, match="meta device"):
        initlab.init_(ghost, url=server_url)
    report = initlab.init_(ghost.to_empty(device="cpu"), seed=1, url=server_url)
    assert set(report.tensors) == {"weight", "bias"} and torch.isfinite(ghost.weight).all()

    # dtype= generates another dtype and converts into the parameters' own
    f32 = nn.Sequential(nn.Linear(8, 8))
    report = initlab.init_(f32, seed=1, dtype="bfloat16", url=server_url)
    assert f32[0].weight.dtype == torch.float32
    assert torch.equal(f32[0].weight, half[0].weight.float())


def test_gpt2_by_its_config(server_url):
    config = transformers.GPT2Config(n_layer=2, n_embd=64, n_head=4, vocab_size=1000, n_positions=64,
                                     bos_token_id=0, eos_token_id=0)
    model = poisoned(transformers.GPT2LMHeadModel(config))
    report = initlab.init_(model, seed=7, url=server_url)
    assert report.architecture == "transformers/GPT2LMHeadModel"
    # only the fields that differ from GPT2Config's defaults and change parameters
    assert report.request["model"] == {"architecture": "transformers/GPT2LMHeadModel",
                                       "config": {"vocab_size": 1000, "n_positions": 64, "n_embd": 64,
                                                  "n_layer": 2, "n_head": 4}}
    # the same as a request written by hand for that model
    by_hand = {"seed": 7, "model": {"architecture": "transformers/GPT2LMHeadModel",
                                    "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 1000,
                                               "n_positions": 64}}}
    expected = initlab.generate(by_hand, url=server_url)
    state = model.state_dict()
    assert set(report.tensors) == set(state) == set(expected) and not report.untouched
    for key, tensor in state.items():
        assert np.array_equal(tensor.numpy(), expected[key]), key
    assert model.lm_head.weight is model.transformer.wte.weight
    assert report.tensors["lm_head.weight"]["tied_to"] == "transformer.wte.weight"
    assert report.tensors["transformer.h.1.attn.c_proj.weight"]["std"] == pytest.approx(0.02 / np.sqrt(4))
    assert "GPT2 residual projection" in report.summary(limit=None)
    with torch.no_grad():
        logits = model(torch.randint(0, 1000, (2, 12))).logits
    assert logits.shape == (2, 12, 1000) and torch.isfinite(logits).all()

    # a parameter added after construction is not the architecture's: an error naming it, or
    # with strict=False left alone and reported
    extended = transformers.GPT2LMHeadModel(config)
    extended.adapter = nn.Linear(64, 8)
    kept = extended.adapter.weight.detach().clone()
    with pytest.raises(InitlabError, match="adapter.weight"):
        initlab.init_(extended, seed=7, url=server_url)
    report = initlab.init_(extended, seed=7, strict=False, url=server_url)
    assert set(report.skipped) == {"adapter.weight", "adapter.bias"} and torch.equal(extended.adapter.weight, kept)
    assert torch.equal(extended.transformer.wte.weight, model.transformer.wte.weight)

    # recipe and preset pass through to the model request
    skip = transformers.GPT2LMHeadModel(config)
    report = initlab.init_(skip, seed=7, recipe="skipinit", url=server_url)
    assert report.request["recipe"] == {"name": "skipinit"}
    assert torch.count_nonzero(skip.transformer.h[0].attn.c_proj.weight) == 0
    assert torch.count_nonzero(skip.transformer.h[0].mlp.c_fc.weight) > 0
    bare = transformers.GPT2LMHeadModel(config)
    report = initlab.init_(bare, seed=7, preset="pytorch_default", url=server_url)
    assert not torch.equal(bare.transformer.h[0].attn.c_proj.weight, model.transformer.h[0].attn.c_proj.weight)
    assert_equals_generate(bare, report, server_url)

    # a transformers class the catalog does not list goes module by module; transformers' Conv1D
    # ([in, out]) is a pair of tensors with its own fans (nx, nf), not PyTorch's rule on [in, out]
    base = poisoned(transformers.GPT2Model(config))
    report = initlab.init_(base, seed=7, progress=True, url=server_url)
    assert report.architecture is None and "h.0.attn.c_attn" not in report.request["layers"]
    resolved = report.tensors["h.0.attn.c_attn.weight"]
    assert (resolved["fan_in"], resolved["fan_out"]) == (64, 192) and resolved["bound"] == pytest.approx(1 / 8)
    assert report.tensors["h.0.attn.c_attn.bias"]["high"] == pytest.approx(1 / 8)
    assert_equals_generate(base, report, server_url)
    assert not any(torch.isnan(p).any() for p in base.parameters())


def test_resnet_by_its_config(server_url):
    torchvision = import_torchvision()
    model = poisoned(torchvision.models.resnet18(weights=None, num_classes=7))
    report = initlab.init_(model, seed=3, url=server_url)
    assert report.request["model"] == {"architecture": "torchvision/resnet18", "config": {"num_classes": 7}}
    assert set(report.tensors) == set(model.state_dict())  # num_batches_tracked included
    assert_equals_generate(model, report, server_url)
    assert report.tensors["conv1.weight"]["mode"] == "fan_out"  # torchvision's own init


@pytest.mark.skipif(not os.environ.get(NANOGPT_ENV),
                    reason=f"{NANOGPT_ENV} is not set: point it at a checkout of karpathy/nanoGPT (its model.py)")
def test_nanogpt_by_its_config(server_url):
    nanogpt = nanogpt_module()
    model = poisoned(nanogpt.GPT(nanogpt.GPTConfig(block_size=32, vocab_size=100, n_layer=2, n_head=2, n_embd=32,
                                                   bias=False)))
    report = initlab.init_(model, seed=3, url=server_url)
    assert report.request["model"] == {"architecture": "nanogpt/GPT", "config": {
        "block_size": 32, "vocab_size": 100, "n_layer": 2, "n_head": 2, "n_embd": 32, "bias": False}}
    assert set(report.tensors) == set(model.state_dict())
    assert_equals_generate(model, report, server_url)
    assert model.lm_head.weight is model.transformer.wte.weight
