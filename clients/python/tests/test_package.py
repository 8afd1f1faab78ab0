"""initlab.Client and the module functions over it, against the live server (INITLAB_URL):
zero-copy generate, one connection for many calls, the API key, progress bars, the
fetch_safetensors hook, errors."""

import io
import threading
import tracemalloc

import numpy as np
import pytest
import requests
import safetensors.numpy
import urllib3.util.connection

import initlab
from initlab import _client, _wire
from conftest import Answered

SIDE = 4096


def big_spec():
    return {"seed": 5, "dtype": "float32", "init": {"weight": {"scheme": "kaiming_normal"}},
            "layers": [{"name": "w", "type": "tensor", "shape": [SIDE, SIDE]}]}


def small_spec(dtype="float32"):
    return {"seed": 8, "dtype": dtype, "layers": [
        {"name": "emb", "type": "embedding", "num_embeddings": 50, "embedding_dim": 16},
        {"name": "lstm", "type": "lstm", "input_size": 16, "hidden_size": 8},
        {"name": "fc", "type": "linear", "in_features": 8, "out_features": 3}]}


def old_path(url, spec, fmt, **params):
    """What the one-file client did: the whole body as bytes, then parsed into a second copy."""
    content = requests.post(url + _client.ENDPOINT, params={"format": fmt, **params}, json=spec, timeout=120).content
    if fmt == "npy":
        return {"w": np.load(io.BytesIO(content))}
    return dict(safetensors.numpy.load(content))


@pytest.fixture
def connections(monkeypatch):
    """How many TCP connections urllib3 opens."""
    opened = []
    real = urllib3.util.connection.create_connection

    def counting(*args, **kwargs):
        opened.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", counting)
    return opened


@pytest.mark.parametrize("fmt", ["npy", "safetensors"])
def test_generate_returns_the_memory_the_socket_wrote(server_url, fmt):
    size = SIDE * SIDE * 4
    client = initlab.Client(server_url)
    client.generate(big_spec(), fmt)  # warm: the connection and imports are not what is measured
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        arrays = client.generate(big_spec(), fmt)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # one copy (measured 1.00x); the old path, the control, peaks at >= 2x (test_wire.py)
    assert peak < 1.1 * size, f"{fmt}: generate peaked at {peak / size:.2f}x the tensor"
    expected = old_path(server_url, big_spec(), fmt)
    [(name, array)] = arrays.items()
    assert name == "w" and array.dtype == np.float32 and array.shape == (SIDE, SIDE)
    assert array.tobytes() == expected["w"].tobytes()
    assert array.flags.writeable


@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
def test_every_format_gives_the_old_paths_values(server_url, dtype):
    spec = small_spec(dtype)
    expected = old_path(server_url, spec, "safetensors")
    for fmt in ["safetensors", "npz", "json"]:
        arrays = initlab.generate(spec, fmt, url=server_url)
        assert list(arrays) == ["emb.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
                                "lstm.bias_hh_l0", "fc.weight", "fc.bias"], fmt  # the server's order
        for name, array in arrays.items():
            assert array.dtype == expected[name].dtype, (fmt, name)
            assert array.tobytes() == expected[name].tobytes(), (fmt, name)
    one = initlab.generate(spec, "npy", tensor="lstm.weight_hh_l0", url=server_url)
    assert one["lstm.weight_hh_l0"].tobytes() == expected["lstm.weight_hh_l0"].tobytes()


def test_a_client_keeps_one_connection(server_url, connections):
    spec = small_spec()
    with initlab.Client(server_url) as client:
        for fmt in ["safetensors", "npy", "npz", "json", "safetensors"]:
            client.generate(spec, fmt, tensor="fc.weight" if fmt == "npy" else None)
        client.fetch_safetensors(spec)
    assert len(connections) == 1
    # the module functions share a default Client per url too
    connections.clear()
    for _ in range(3):
        initlab.generate(spec, url=server_url + "/")
    assert len(connections) <= 1  # 0 when an earlier test already opened it
    # the control: requests.post opens a connection per call
    connections.clear()
    for _ in range(3):
        requests.post(server_url + _client.ENDPOINT, json=spec, timeout=60).content
    assert len(connections) == 3


def test_the_default_client_is_one_per_url_and_thread(server_url):
    client = initlab.default_client(server_url)
    assert initlab.default_client(server_url + "/") is client
    assert initlab.default_client(server_url + _client.ENDPOINT) is client
    assert initlab.default_client("http://127.0.0.1:9") is not client
    other = []
    thread = threading.Thread(target=lambda: other.append(initlab.default_client(server_url)))
    thread.start()
    thread.join()
    assert other[0] is not client and other[0].url == client.url


def test_a_broken_body_does_not_poison_the_connection(server_url):
    """A request that fails mid-body closes its connection; the next call works."""
    client = initlab.Client(server_url)
    real_read = _wire.read_npy

    def failing(body, **kwargs):
        body.read(10)
        raise RuntimeError("stop here")

    _wire.read_npy = failing
    try:
        with pytest.raises(RuntimeError):
            client.generate(big_spec(), "npy")
    finally:
        _wire.read_npy = real_read
    arrays = client.generate(small_spec(), "safetensors")
    assert arrays["fc.weight"].shape == (3, 8)


def test_the_api_key_goes_in_x_api_key(monkeypatch, sent_request):
    sent = sent_request
    monkeypatch.setenv("INITLAB_API_KEY", "from-env")
    with pytest.raises(Answered):
        initlab.Client("http://127.0.0.1:9", api_key="given").generate(small_spec())
    assert sent["headers"] == {"Accept-Encoding": "identity", "X-API-Key": "given"}
    with pytest.raises(Answered):
        initlab.Client("http://127.0.0.1:9").generate(small_spec(), "json")
    assert sent["headers"] == {"X-API-Key": "from-env"}  # JSON may be compressed


class RecordingBar:
    made = []

    def __init__(self, total=None, **kwargs):
        self.total, self.count, self.closed = total, 0, False
        RecordingBar.made.append(self)

    def update(self, n):
        self.count += n

    def close(self):
        self.closed = True


@pytest.mark.parametrize("fmt", ["npy", "safetensors", "npz"])
def test_progress_counts_every_byte_of_content_length(server_url, monkeypatch, fmt):
    import tqdm.auto

    monkeypatch.setattr(tqdm.auto, "tqdm", RecordingBar)
    RecordingBar.made = []
    spec = {**big_spec(), "layers": [{"name": "w", "type": "tensor", "shape": [1024, 1024]}]}
    plain = requests.post(server_url + _client.ENDPOINT, params={"format": fmt}, json=spec, timeout=60)
    length = len(plain.content)
    announced = plain.headers.get("Content-Length")  # npz is streamed chunked: no total, a counter
    assert announced == (None if fmt == "npz" else str(length))
    initlab.Client(server_url, progress=True).generate(spec, fmt)
    [bar] = RecordingBar.made
    assert bar.total == (None if announced is None else length) and bar.count == length and bar.closed
    initlab.Client(server_url).generate(spec, fmt)  # progress off: no bar
    initlab.generate(spec, fmt, url=server_url)
    assert len(RecordingBar.made) == 1
    initlab.generate(spec, fmt, url=server_url, progress=True)
    assert len(RecordingBar.made) == 2 and RecordingBar.made[1].count == length


def test_fetch_safetensors_with_and_without_allocate(server_url):
    client = initlab.Client(server_url)
    arrays, header = client.fetch_safetensors(small_spec("bfloat16"))
    assert arrays["fc.weight"].dtype == np.float32  # bfloat16 values, widened
    assert header["fc.weight"]["dtype"] == "BF16" and header["__metadata__"]["init.fc.weight"]["fan_in"] == 8
    seen = []

    def allocate(name, code, shape):
        seen.append((name, code, shape))
        return np.empty(shape, dtype="<u2") if name == "fc.weight" else None

    nothing, again = client.fetch_safetensors(small_spec("bfloat16"), allocate)
    assert nothing is None and again == header
    offsets = [header[name]["data_offsets"][0] for name, _, _ in seen]
    assert offsets == sorted(offsets) and len(seen) == 7  # file-offset order, every tensor offered
    assert ("fc.weight", "BF16", (3, 8)) in seen


def test_problem_details_raise_initlab_error_with_the_detail(server_url):
    bad = {"seed": 1, "layers": [{"name": "x", "type": "linear", "in_features": 0, "out_features": 2}]}
    client = initlab.Client(server_url)
    for call in [lambda: client.fetch_safetensors(bad), lambda: client.generate(bad, "npy"),
                 lambda: client.metadata(bad)]:
        with pytest.raises(initlab.InitlabError) as caught:
            call()
        assert caught.value.status == 400 and "in_features" in caught.value.detail
    assert client.generate(small_spec(), "npz")  # the connection survived the 400s


@pytest.mark.parametrize("fmt", ["npy", "safetensors", "npz"])
def test_a_truncated_response_is_a_clear_error(fmt, truncating_server):
    arrays = {"a": np.arange(1000, dtype=np.float32)}
    if fmt == "safetensors":
        body = safetensors.numpy.save(arrays)
    else:
        buffer = io.BytesIO()
        np.save(buffer, arrays["a"]) if fmt == "npy" else np.savez(buffer, **arrays)
        body = buffer.getvalue()
    url = truncating_server(body, 100)
    with pytest.raises(initlab.BodyError, match=r"after \d+ of \d+ bytes"):
        initlab.Client(url).generate({"layers": []}, fmt)


def test_download_through_a_client(server_url, tmp_path):
    spec = small_spec()
    result = initlab.Client(server_url).download(spec, str(tmp_path), parallel=2, chunk_size=1000)
    [entry] = result["files"]
    with open(entry["path"], "rb") as f:
        allocate, arrays = _wire.numpy_allocator()
        _wire.read_safetensors(f, allocate)
    expected = initlab.generate(spec, url=server_url)
    assert set(arrays) == set(expected)
    for name in expected:
        assert arrays[name].tobytes() == expected[name].tobytes(), name
