"""initlab.keras.init_ against a running initlab server (INITLAB_URL) and real Keras 3 models.

The reference for every value is initlab.generate(report.request): init_ must put exactly those
bits into the variables of the same names. The reference for every fan is Keras itself: its own
compute_fans, and the values Keras drew when it built the model (they must fit the bound initlab
resolves). Keras runs on the torch backend unless KERAS_BACKEND says otherwise.
"""

import os
import re

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")
if not keras.__version__.startswith("3"):
    pytest.skip(f"initlab.keras needs Keras 3, found {keras.__version__}", allow_module_level=True)

from keras import layers  # noqa: E402
from keras.src.initializers.random_initializers import compute_fans  # noqa: E402  (Keras's own rule)

import initlab  # noqa: E402
import initlab.keras as ik  # noqa: E402


def numpy(variable):
    return np.asarray(keras.ops.convert_to_numpy(variable))


def params(model):
    """Every variable but the RNG states of dropout (SeedGenerator), by path."""
    return {v.path: v for v in model.variables if v.name != "seed_generator_state"}


def small_model():
    """The issue's model: Dense, Conv2D, BatchNormalization, LSTM, Embedding, MultiHeadAttention,
    LayerNormalization, with a nested Sequential."""
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    image = keras.Input((8, 8, 3), name="image")
    x = layers.Embedding(50, 16, name="embed")(tokens)
    x = layers.LSTM(16, return_sequences=True, name="lstm")(x)
    x = layers.MultiHeadAttention(num_heads=2, key_dim=8, name="attn")(x, x)
    x = layers.LayerNormalization(name="ln")(x)
    x = layers.GlobalAveragePooling1D()(x)
    y = layers.Conv2D(16, 3, activation="relu", name="conv")(image)
    y = layers.BatchNormalization(name="bn")(y)
    y = layers.Flatten()(y)
    z = layers.Concatenate()([x, y])
    head = keras.Sequential([layers.Dense(32, activation="relu", name="hidden"), layers.Dense(3, name="out")],
                            name="head")
    return keras.Model([tokens, image], head(z))


def inputs():
    rng = np.random.default_rng(0)
    return [rng.integers(0, 50, size=(2, 6)).astype("int32"), rng.standard_normal((2, 8, 8, 3)).astype("float32")]


class Scale(layers.Layer):
    """A custom layer with a weight of its own: nothing initlab can describe."""

    def build(self, shape):
        self.w = self.add_weight(shape=(shape[-1],), initializer="ones", name="w")

    def call(self, x):
        return x * self.w


class Block(layers.Layer):
    """A custom layer made only of supported layers: walked, not refused."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fc = layers.Dense(12, name="fc")
        self.norm = layers.LayerNormalization(name="norm")

    def build(self, shape):
        self.fc.build(shape)
        self.norm.build(tuple(shape[:-1]) + (12,))

    def call(self, x):
        return self.norm(self.fc(x))


def assert_matches_generate(model, report, server_url):
    """Every variable holds exactly what the server generates for report.request."""
    reference = initlab.generate(report.request, url=server_url)
    for path, variable in params(model).items():
        if path not in report.tensors:
            continue
        assert path in reference, f"{path} is not a tensor of the request"
        want = reference[path]
        got = numpy(variable)
        assert got.shape == want.shape, path
        assert got.dtype == want.dtype, path
        assert np.ascontiguousarray(got).tobytes() == np.ascontiguousarray(want).tobytes(), f"{path} differs from generate()"


def test_every_variable_equals_generate_and_the_model_still_predicts(server_url):
    model = small_model()
    before = {p: numpy(v) for p, v in params(model).items()}
    report = ik.init_(model, seed=11, url=server_url)

    assert report.skipped == {} and report.untouched == []
    assert set(report.tensors) == set(params(model)), "every variable (trainable or not) is covered"
    assert report.bytes == sum(numpy(v).nbytes for v in params(model).values())
    assert re.search(r"head/hidden/kernel +xavier_uniform +bound=", report.summary())
    assert {v.path for v in model.trainable_variables} <= set(report.tensors)
    assert report.request["layout"] == "keras" and report.request["dtype"] == "float32"
    assert report.seed == 11
    assert_matches_generate(model, report, server_url)
    # the values are the server's, not Keras's own draw that was there before
    assert not np.array_equal(before["head/hidden/kernel"], numpy(params(model)["head/hidden/kernel"]))

    out = model.predict(inputs(), verbose=0)
    assert out.shape == (2, 3) and np.all(np.isfinite(out))


def test_default_policy_is_keras_own(server_url):
    model = small_model()
    keras_drawn = {p: numpy(v) for p, v in params(model).items()}
    report = ik.init_(model, seed=1, url=server_url)
    t = report.tensors
    assert t["head/hidden/kernel"]["scheme"] == "xavier_uniform"
    assert t["head/hidden/bias"]["scheme"] == "zeros"
    assert t["conv/kernel"]["scheme"] == "xavier_uniform"
    assert t["lstm/lstm_cell/recurrent_kernel"]["scheme"] == "orthogonal"
    assert t["lstm/lstm_cell/bias"]["scheme"] == "unit_forget_bias"
    assert (t["embed/embeddings"]["low"], t["embed/embeddings"]["high"]) == (-0.05, 0.05)
    assert (t["bn/gamma"]["scheme"], t["bn/moving_variance"]["scheme"]) == ("ones", "ones")

    values = {p: numpy(v) for p, v in params(model).items()}
    u = 16
    bias = values["lstm/lstm_cell/bias"]
    assert np.all(bias[u:2 * u] == 1) and np.all(bias[:u] == 0) and np.all(bias[2 * u:] == 0)
    # one orthogonal [u, 4u] matrix, as Keras draws it (not four per-gate blocks)
    rec = values["lstm/lstm_cell/recurrent_kernel"].astype(np.float64)
    assert np.allclose(rec @ rec.T, np.eye(u), atol=1e-5)

    # Fans as Keras computes them (EinsumDense's axes included), and Keras's own draw fits the bound
    # initlab resolves: each kernel has >= 256 values, so max|x| < 0.9 bound has odds <= 0.9^256 ~ 2e-12.
    for path in ("head/hidden/kernel", "conv/kernel", "lstm/lstm_cell/kernel", "attn/query/kernel",
                 "attn/attention_output/kernel"):
        init = t[path]
        bound = init["bound"]
        assert np.isclose(bound, np.sqrt(6 / (init["fan_in"] + init["fan_out"]))), path
        assert keras_drawn[path].size >= 256
        assert np.abs(keras_drawn[path]).max() <= bound * (1 + 1e-6), f"{path}: Keras's draw exceeds initlab's bound"
        assert np.abs(keras_drawn[path]).max() > 0.9 * bound, f"{path}: initlab's bound is wider than Keras's"
        assert np.abs(values[path]).max() <= bound * (1 + 1e-6)
    for path in ("head/hidden/kernel", "conv/kernel", "lstm/lstm_cell/kernel"):
        assert (t[path]["fan_in"], t[path]["fan_out"]) == compute_fans(params(model)[path].shape), path


def test_configured_initializers_are_kept(server_url):
    inp = keras.Input((40,))
    x = layers.Dense(30, kernel_initializer="he_normal", bias_initializer=keras.initializers.Constant(0.1),
                     name="he")(inp)
    x = layers.Dense(20, kernel_initializer=keras.initializers.RandomNormal(0.0, 0.02), name="small")(x)
    x = layers.Dense(10, kernel_initializer=keras.initializers.TruncatedNormal(0.0, 0.5), name="trunc")(x)
    model = keras.Model(inp, x)
    report = ik.init_(model, seed=2, url=server_url)
    assert_matches_generate(model, report, server_url)
    he = report.tensors["he/kernel"]
    assert (he["scheme"], he["scale"], he["mode"], he["distribution"]) == (
        "variance_scaling", 2.0, "fan_in", "truncated_normal")
    sigma = np.sqrt(2 / 40) / 0.87962566103423978  # Keras's HeNormal: truncated at 2 sigma
    k = numpy(params(model)["he/kernel"])
    assert np.abs(k).max() <= 2 * sigma * (1 + 1e-6)
    assert np.all(numpy(params(model)["he/bias"]) == np.float32(0.1))
    assert report.tensors["small/kernel"]["std"] == 0.02
    trunc = numpy(params(model)["trunc/kernel"])
    assert np.abs(trunc).max() <= 1.0 + 1e-6 and report.tensors["trunc/kernel"]["scheme"] == "truncated_normal"


def test_more_layer_types_and_nesting(server_url):
    inp = keras.Input((8, 8, 4))
    x = layers.Conv2DTranspose(6, 3, name="up")(inp)
    x = layers.DepthwiseConv2D(3, depth_multiplier=2, name="dw")(x)
    x = layers.SeparableConv2D(5, 3, depth_multiplier=2, name="sep")(x)
    x = layers.GroupNormalization(groups=5, name="gn")(x)
    x = layers.Reshape((36, 5))(x)
    x = layers.Conv1D(6, 3, groups=2, name="grouped")(layers.Dense(6, name="widen")(x))
    x = layers.Bidirectional(layers.GRU(4, return_sequences=True), name="bigru")(x)
    x = layers.GRU(4, reset_after=False, return_sequences=True, name="gru_v1")(x)
    x = layers.SimpleRNN(4, return_sequences=True, name="srnn")(x)
    x = Block(name="block")(x)
    x = layers.BatchNormalization(scale=False, name="bn_noscale")(x)
    x = layers.RMSNormalization(name="rms")(x)
    x = layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d", name="einsum")(x)
    model = keras.Model(inp, x)
    report = ik.init_(model, seed=4, url=server_url)
    assert report.skipped == {}
    assert set(report.tensors) == set(params(model))
    assert_matches_generate(model, report, server_url)
    assert "block/fc/kernel" in report.tensors and "bigru/backward_gru/gru_cell/kernel" in report.tensors
    # Keras's fans where PyTorch's rule would differ (depthwise kernel [k, k, in, multiplier])
    for path in ("dw/kernel", "sep/depthwise_kernel", "sep/pointwise_kernel", "up/kernel", "grouped/kernel"):
        init = report.tensors[path]
        assert (init["fan_in"], init["fan_out"]) == compute_fans(params(model)[path].shape), path
    assert model.predict(np.zeros((1, 8, 8, 4), "float32"), verbose=0).shape == (1, 34, 3)


def test_strict_error_names_the_layer(server_url):
    inp = keras.Input((5,))
    model = keras.Model(inp, layers.Dense(2, name="out")(Scale(name="my_scale")(inp)))
    with pytest.raises(ValueError) as error:
        ik.init_(model, seed=0, url=server_url)
    message = str(error.value)
    assert "'my_scale'" in message and "(Scale)" in message and "my_scale/w" in message
    assert "Dense" in message and "strict=False" in message


def test_a_supported_layer_with_unknown_variables_is_refused(server_url):
    inp = keras.Input((5,))
    dense = layers.Dense(4, name="tuned")
    model = keras.Model(inp, dense(inp))
    dense.enable_lora(2)  # adds lora_kernel_a / lora_kernel_b, which init_ must not leave half-set
    with pytest.raises(ValueError, match=r"'tuned' \(Dense\).*tuned/lora_kernel_a"):
        ik.init_(model, seed=0, url=server_url)
    report = ik.init_(model, seed=0, strict=False, url=server_url)
    assert list(report.skipped) == ["tuned"] and report.tensors == {}


def test_strict_error_names_an_untranslatable_initializer(server_url):
    class Halves(keras.initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return keras.ops.full(shape, 0.5, dtype=dtype)

    inp = keras.Input((5,))
    model = keras.Model(inp, layers.Dense(2, kernel_initializer=Halves(), name="odd")(inp))
    with pytest.raises(ValueError, match=r"'odd' \(Dense\).*kernel_initializer Halves"):
        ik.init_(model, seed=0, url=server_url)
    # with a preset the layer's initializers do not matter
    report = ik.init_(model, seed=0, preset="keras_default", url=server_url)
    assert report.tensors["odd/kernel"]["scheme"] == "xavier_uniform"


def test_strict_false_skips_and_reports(server_url):
    inp = keras.Input((5,))
    model = keras.Model(inp, layers.Dense(2, name="out")(Scale(name="my_scale")(inp)))
    report = ik.init_(model, seed=0, strict=False, url=server_url)
    assert list(report.skipped) == ["my_scale"] and report.untouched == ["my_scale/w"]
    assert "my_scale/w" in report.skipped["my_scale"] and "skipped my_scale" in report.summary()
    assert set(report.tensors) == {"out/kernel", "out/bias"}
    assert np.all(numpy(params(model)["my_scale/w"]) == 1)  # left as Keras made it
    assert_matches_generate(model, report, server_url)


def test_seed_reproducible_and_preset_changes_values(server_url):
    model = small_model()

    def snapshot():
        return {p: numpy(v).copy() for p, v in params(model).items()}

    ik.init_(model, seed=7, url=server_url)
    first = snapshot()
    ik.init_(model, seed=7, url=server_url)
    again = snapshot()
    assert all(np.array_equal(first[p], again[p]) for p in first)
    ik.init_(model, seed=8, url=server_url)
    other_seed = snapshot()
    assert not np.array_equal(first["head/hidden/kernel"], other_seed["head/hidden/kernel"])

    report = ik.init_(model, seed=7, preset="pytorch_default", url=server_url)
    torchy = snapshot()
    assert_matches_generate(model, report, server_url)
    assert not np.array_equal(first["head/hidden/kernel"], torchy["head/hidden/kernel"])
    assert report.tensors["head/hidden/kernel"]["preset"] == "pytorch_default"
    # torch.nn.LSTM: every weight U(-1/sqrt(H), 1/sqrt(H)), biases too (not unit_forget_bias)
    lstm_kernel = report.tensors["lstm/lstm_cell/kernel"]
    assert (lstm_kernel["scheme"], lstm_kernel["low"], lstm_kernel["high"]) == ("uniform", -0.25, 0.25)
    assert np.any(torchy["lstm/lstm_cell/bias"] != 0)
    # the same seed under keras_default explicitly gives the default's values
    ik.init_(model, seed=7, preset="keras_default", url=server_url)
    assert all(np.array_equal(first[p], v) for p, v in snapshot().items())


def test_drawn_seed_is_reported_and_reproduces(server_url):
    model = small_model()
    report = ik.init_(model, url=server_url, progress=True)
    assert isinstance(report.seed, int) and "seed" not in report.request
    assert_matches_generate(model, dict_report(report, seed=report.seed), server_url)
    assert ik.describe(model, seed=report.seed) == dict(report.request, seed=report.seed)


def dict_report(report, **changes):
    return ik.InitReport(tensors=report.tensors, request=dict(report.request, **changes))


def test_init_and_overrides(server_url):
    model = small_model()
    report = ik.init_(model, seed=3, init={"weight": {"scheme": "kaiming_normal"}},
                      overrides={"head/out/kernel": {"scheme": "zeros"}}, url=server_url)
    assert_matches_generate(model, report, server_url)
    assert report.tensors["head/hidden/kernel"]["scheme"] == "kaiming_normal"
    assert report.tensors["head/hidden/kernel"]["nonlinearity"] == "relu"  # the Dense's activation
    assert report.tensors["head/hidden/bias"]["scheme"] == "zeros"  # roles init leaves out: keras_default
    assert np.all(numpy(params(model)["head/out/kernel"]) == 0)


def test_dtype_follows_the_variables(server_url):
    inp = keras.Input((6,), dtype="float64")
    model = keras.Model(inp, layers.Dense(4, dtype="float64", name="d64")(inp))
    if numpy(params(model)["d64/kernel"]).dtype != np.float64:
        pytest.skip(f"Keras's {keras.backend.backend()} backend stores float64 as float32 here (JAX without x64)")
    report = ik.init_(model, seed=0, url=server_url)
    assert report.request["dtype"] == "float64"
    assert numpy(params(model)["d64/kernel"]).dtype == np.float64
    assert_matches_generate(model, report, server_url)


def test_mixed_dtypes_are_drawn_in_the_widest_and_cast(server_url):
    inp = keras.Input((6,))
    x = layers.Dense(5, dtype="float16", name="half")(inp)
    model = keras.Model(inp, layers.Dense(4, name="full")(x))
    report = ik.init_(model, seed=0, url=server_url)
    assert report.request["dtype"] == "float32"
    reference = initlab.generate(report.request, url=server_url)
    half = numpy(params(model)["half/kernel"])
    assert half.dtype == np.float16 and np.array_equal(half, reference["half/kernel"].astype(np.float16))
    assert np.array_equal(numpy(params(model)["full/kernel"]), reference["full/kernel"])


def test_unbuilt_model_is_refused():
    model = keras.Sequential([layers.Dense(3)])
    with pytest.raises(ValueError, match="built"):
        ik.init_(model)


def test_importing_initlab_does_not_import_keras():
    import subprocess
    import sys

    code = ("import sys, initlab, initlab.keras; "
            "assert 'keras' not in sys.modules, 'import initlab imported keras'; "
            "assert callable(initlab.keras.init_)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
