"""initlab.init_ of a ~1 GiB float32 PyTorch model, end to end, against torch's own default init of
the same model, in one run on the same machine.

Models (--model):
  linear  16 x nn.Linear(4096, 4096, bias=False): 2^28 float32 parameters, exactly 1 GiB (the
          default request limit, initlab.generation.max-elements), described layer by layer;
  gpt2    transformers' GPT2LMHeadModel with n_embd 1024, n_layer 17 (266 M parameters, 1.07 GB,
          lm_head tied), sent by its config (the architectures path).

Rows (medians of --repeat runs after one warm-up):
  init_            initlab.init_(model): describe, POST, stream the safetensors straight into the
                   parameters' memory, report; bytes/s = tensor bytes set / wall time
  fetch, dropped   the same request through the same client with every tensor's bytes dropped
                   (read into a small scratch buffer): the server's stream and the socket alone
  curl             curl -o /dev/null of the same request (if curl is installed): the floor
  init_, replayed  init_ with the server's answer replayed from a file by a small loopback server
                   (a subprocess answering every POST with os.sendfile): the client side alone,
                   whatever the server's speed
  torch default    each module's reset_parameters() (linear) or the model's own init
                   (gpt2: model.apply(model._init_weights), transformers' own), on this process's
                   torch threads

Usage: INITLAB_URL=http://127.0.0.1:18085 python3 bench/init_model.py [--model linear|gpt2] [--repeat 5]
       bash bench/run.sh bench/init_model.py            (starts the packaged server; BENCH_ARGS passes options)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "clients" / "python" / "src"))
import initlab  # noqa: E402  (this checkout's package, whatever is installed)
from initlab import _client  # noqa: E402


def build(kind):
    if kind == "linear":
        return nn.Sequential(*[nn.Linear(4096, 4096, bias=False) for _ in range(16)])
    try:
        import torchvision  # noqa: F401  (transformers imports it when it is installed)
    except RuntimeError as e:
        # a torchvision whose C++ extension cannot load (a CUDA build beside a CPU torch) fails to
        # import; declaring the two operator schemas it registers lets the import finish
        if "torchvision::" not in str(e):
            raise
        for name in [m for m in sys.modules if m.split(".")[0] == "torchvision"]:
            del sys.modules[name]
        build.library = torch.library.Library("torchvision", "FRAGMENT")
        for schema in ("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
                       "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor"):
            build.library.define(schema)
    import transformers

    config = transformers.GPT2Config(n_embd=1024, n_layer=17, n_head=16, bos_token_id=0, eos_token_id=0)
    return transformers.GPT2LMHeadModel(config)


def torch_default(model, kind):
    with torch.no_grad():
        if kind == "linear":
            for module in model.modules():
                if hasattr(module, "reset_parameters"):
                    module.reset_parameters()
        else:
            model.apply(model._init_weights)  # what construction runs (init_weights() is a no-op once done)


REPLAY_SERVER = r"""
import http.server, os, sys
body, catalog, port = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
size = os.path.getsize(body)

class Replay(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):  # the architectures catalog, copied from the real server
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(catalog)))
        self.end_headers()
        self.wfile.write(catalog)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-safetensors")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.flush()
        with open(body, "rb") as f:
            sent = 0
            while sent < size:
                sent += os.sendfile(self.connection.fileno(), f.fileno(), sent, size - sent)

http.server.ThreadingHTTPServer(("127.0.0.1", port), Replay).serve_forever()
"""


def replay(url, request, directory):
    """A loopback server answering with the real server's safetensors body for `request`."""
    import socket
    import urllib.request

    path = Path(directory) / "body.safetensors"
    with urllib.request.urlopen(urllib.request.Request(
            url + "/api/v1/initializations?format=safetensors", data=json.dumps(request).encode(),
            headers={"Content-Type": "application/json"})) as response, open(path, "wb") as out:
        shutil.copyfileobj(response, out, 16 << 20)
    with urllib.request.urlopen(url + "/api/v1/architectures") as response:
        catalog = response.read().decode()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", REPLAY_SERVER, str(path), catalog, str(port)])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    return process, f"http://127.0.0.1:{port}"


CPU = {}  # row -> this process's CPU seconds per run (all its threads; not the server's, not curl's)


def timed(fn, repeat):
    fn()  # warm-up: connection, JIT, page faults of fresh memory
    samples, cpu = [], []
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    timed.cpu = statistics.median(cpu)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=("linear", "gpt2"), default="linear")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()
    url = _client.base_url(None)

    model = build(args.model)
    params = sum(p.numel() for p in model.parameters())
    report = initlab.init_(model, seed=1, url=url)
    size = report.bytes
    print(f"model: {args.model}, {params:,} parameters, {size:,} bytes of tensors set "
          f"({'model ' + report.architecture if report.architecture else str(len(report.request['layers'])) + ' layers'}); "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads; server {url}")
    request = report.request

    client = _client.default_client(url)
    results = {"init_": timed(lambda: initlab.init_(model, seed=1, url=url), args.repeat)}
    CPU["init_"] = timed.cpu
    results["fetch, dropped"] = timed(lambda: client.fetch_safetensors(request, lambda *a: None), args.repeat)
    CPU["fetch, dropped"] = timed.cpu
    if shutil.which("curl"):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(request, f)
        command = ["curl", "-sf", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json",
                   "--data-binary", "@" + f.name, url + "/api/v1/initializations?format=safetensors"]
        results["curl"] = timed(lambda: subprocess.run(command, check=True), args.repeat)
        os.unlink(f.name)
    with tempfile.TemporaryDirectory() as directory:
        process, replay_url = replay(url, request, directory)
        try:
            results["init_, replayed"] = timed(lambda: initlab.init_(model, seed=1, url=replay_url), args.repeat)
            CPU["init_, replayed"] = timed.cpu
        finally:
            process.terminate()
            process.wait()
    results["torch default"] = timed(lambda: torch_default(model, args.model), args.repeat)
    CPU["torch default"] = timed.cpu

    base = statistics.median(results["torch default"])
    print(f"{'':16s} {'median s':>9s} {'min s':>7s} {'max s':>7s} {'GB/s':>6s} {'x torch':>8s} "
          f"{'client cpu s':>13s}")
    for name, samples in results.items():
        median = statistics.median(samples)
        cpu = "" if name == "curl" else f"{CPU[name]:13.3f}"
        print(f"{name:16s} {median:9.3f} {min(samples):7.3f} {max(samples):7.3f} {size / median / 1e9:6.2f} "
              f"{median / base:8.2f} {cpu}")
    if args.json:
        Path(args.json).write_text(json.dumps({"model": args.model, "parameters": params, "bytes": size,
                                               "seconds": results, "client_cpu_seconds": CPU}, indent=2))


if __name__ == "__main__":
    main()
