"""The ``initlab`` command: run as a user would (a subprocess, ``python3 -m initlab``), against the
live server (INITLAB_URL); and the wheel pip builds carries the console script and py.typed."""

import json
import os
import shutil
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import requests

import initlab
from initlab import _client, _wire

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
PACKAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SPEC = {"seed": 21, "dtype": "float32", "layers": [
    {"name": "conv", "type": "conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": 3},
    {"name": "fc", "type": "linear", "in_features": 36, "out_features": 5}]}


def run(*args, stdin=None, cwd=None):
    """``python3 -m initlab ARGS`` with this checkout's source first on the path."""
    env = {**os.environ, "PYTHONPATH": os.path.abspath(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "initlab", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(SPEC))
    return path


def served(server_url, fmt, spec=SPEC, **params):
    response = requests.post(server_url + _client.ENDPOINT, params={"format": fmt, **params}, json=spec, timeout=60)
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("name,fmt", [("model.safetensors", "safetensors"), ("model.npz", "npz"),
                                      ("model.json", "json")])
def test_generate_writes_the_body_byte_for_byte(server_url, spec_file, tmp_path, name, fmt):
    out = tmp_path / name
    done = run("generate", str(spec_file), "-o", str(out), "--url", server_url)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == served(server_url, fmt)  # the format came from the extension
    assert not (tmp_path / (name + ".part")).exists()


def test_generate_npy_with_format_tensor_progress_and_stdin(server_url, tmp_path):
    out = tmp_path / "weights.bin"
    done = run("generate", "-", "-o", str(out), "--format", "npy", "--tensor", "fc.weight", "--progress",
               "--url", server_url, stdin=json.dumps(SPEC))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == served(server_url, "npy", tensor="fc.weight")
    assert "B/s" in done.stderr or "iB/s" in done.stderr  # tqdm's bar, on stderr
    with open(out, "rb") as f:
        assert _wire.read_npy(f).shape == (5, 36)


def test_the_url_defaults_to_initlab_url(server_url, spec_file, tmp_path, monkeypatch):
    monkeypatch.setenv("INITLAB_URL", server_url)
    out = tmp_path / "m.safetensors"
    assert run("generate", str(spec_file), "-o", str(out)).returncode == 0
    assert out.read_bytes() == served(server_url, "safetensors")


def test_a_refused_spec_prints_the_detail_and_exits_1(server_url, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"seed": 1, "layers": [{"name": "x", "type": "dense_layer"}]}))
    out = tmp_path / "m.safetensors"
    done = run("generate", str(bad), "-o", str(out), "--url", server_url)
    assert done.returncode == 1
    assert "unknown type 'dense_layer'" in done.stderr and "linear" in done.stderr
    assert done.stdout == "" and not out.exists() and os.listdir(tmp_path) == ["bad.json"]
    done = run("metadata", str(bad), "--url", server_url)
    assert done.returncode == 1 and "unknown type 'dense_layer'" in done.stderr


def test_usage_errors_exit_1_with_the_reason(server_url, spec_file, tmp_path):
    done = run("generate", str(spec_file), "-o", str(tmp_path / "model.bin"), "--url", server_url)
    assert done.returncode == 1 and "cannot tell the format from" in done.stderr and "--format" in done.stderr
    done = run("generate", str(tmp_path / "missing.json"), "-o", str(tmp_path / "m.npz"))
    assert done.returncode == 1 and "cannot read the spec" in done.stderr
    done = run("generate", str(spec_file), "-o", str(tmp_path / "m.npz"), "--url", "http://127.0.0.1:9")
    assert done.returncode == 1 and "cannot reach initlab" in done.stderr


def test_metadata_prints_the_decoded_metadata(server_url, spec_file):
    done = run("metadata", str(spec_file), "--url", server_url)
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed == initlab.metadata(SPEC, url=server_url)
    assert printed["init.fc.weight"]["fan_in"] == 36


def test_download(server_url, spec_file, tmp_path):
    out = tmp_path / "ckpt"
    done = run("download", str(spec_file), str(out), "--server", server_url, "--parallel", "2",
               "--chunk-size", "1KiB", "--progress")
    assert done.returncode == 0, done.stderr
    assert "1 files" in done.stdout
    with open(out / "model.safetensors", "rb") as f:
        allocate, arrays = _wire.numpy_allocator()
        _wire.read_safetensors(f, allocate)
    expected = initlab.generate(SPEC, url=server_url)
    assert set(arrays) == set(expected)
    assert all(np.array_equal(arrays[k], expected[k]) for k in expected)
    done = run("download", str(spec_file), str(out), "--server", "http://127.0.0.1:9", "--retries", "1")
    assert done.returncode == 1 and "initlab download: no server created the checkpoint" in done.stderr


def test_the_wheel_has_the_console_script_and_py_typed(tmp_path):
    """pip builds the wheel a user installs; it declares the ``initlab`` script and is typed, and
    the script runs from a venv it is installed into."""
    source = tmp_path / "source"  # a copy: the build writes build/ and *.egg-info beside the sources
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", ".pytest_cache",
                                                                   "__pycache__", "tests"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = [n for n in os.listdir(tmp_path) if n.endswith(".whl")]
    with zipfile.ZipFile(tmp_path / wheel) as archive:
        names = archive.namelist()
        [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        text = archive.read(entry_points).decode()
    assert "[console_scripts]" in text and "initlab = initlab.cli:main" in text
    for module in ["py.typed", "__init__.py", "__main__.py", "cli.py", "_wire.py", "_client.py", "_download.py"]:
        assert "initlab/" + module in names, module
    assert "initlab_client.py" in names and "initlab_download.py" in names
    # installed into a venv (its own copy, even where another initlab is installed system-wide;
    # requests/numpy/tqdm from the system site)
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                          "--ignore-installed",
                          str(tmp_path / wheel)], capture_output=True, text=True, timeout=300, env=clean)
    assert pip.returncode == 0, pip.stderr
    helped = subprocess.run([str(venv / "bin" / "initlab"), "generate", "--help"], capture_output=True, text=True,
                            timeout=60, env=clean)
    assert helped.returncode == 0 and "--format" in helped.stdout
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import initlab, initlab.cli; print(initlab.__file__)"],
                           capture_output=True, text=True, timeout=60, env=clean)
    assert str(venv) in where.stdout, where.stdout + where.stderr
