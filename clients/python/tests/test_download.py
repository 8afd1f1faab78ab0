"""initlab_download against a real server (INITLAB_URL; skipped without it): the files equal a
plain GET of each, byte for byte; an interrupted download resumes with only the missing bytes; a
server that is down, or that answers ranges wrongly, is skipped and its ranges are fetched
elsewhere; with no good server the error names the file and the range.

The faulty replicas are a small proxy in front of the real server that breaks what it forwards
(503, a body cut short, a wrong Content-Range, a foreign ETag), so every byte still comes from
the real server."""

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

import initlab_download as dl

URL = os.environ.get("INITLAB_URL")
pytestmark = pytest.mark.skipif(not URL, reason="needs a running server: set INITLAB_URL")

# Six 300x300 float32 tensors (360,000 bytes each) in 1 MB shards: 3 shards of two tensors, and
# the index; 64 KiB ranges cut each shard into 11 of them, the last one short.
SPEC = {
    "seed": 15,
    "layers": [{"name": f"t{i}", "type": "tensor", "shape": [300, 300], "role": "weight"} for i in range(6)],
    "max_shard_size": "1MB",
}
CHUNK = 64 * 1024


class Interrupted(Exception):
    pass


def sha256_of_get(url):
    digest = hashlib.sha256()
    with requests.get(url, stream=True, timeout=60) as response:
        assert response.status_code == 200, response.text[:300]
        for block in response.iter_content(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def sha256_of_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@pytest.fixture(scope="module")
def checkpoint():
    created = dl.create_checkpoint(SPEC, [URL])
    names = [f["name"] for f in created["files"]]
    assert len([n for n in names if n.endswith(".safetensors")]) == 3, names
    assert "model.safetensors.index.json" in names, names
    base = URL.rstrip("/")
    created["sha256"] = {f["name"]: sha256_of_get(base + dl._file_path(f, created["id"])) for f in created["files"]}
    return created


def assert_identical(directory, checkpoint):
    on_disk = sorted(n for n in os.listdir(directory) if n != dl.MANIFEST)
    assert on_disk == sorted(checkpoint["sha256"]), "leftover or missing files"
    for name, digest in checkpoint["sha256"].items():
        assert sha256_of_file(os.path.join(directory, name)) == digest, name


def test_parallel_ranges_equal_a_plain_get(tmp_path, checkpoint):
    counted = []
    result = dl.download(SPEC, tmp_path, servers=[URL, URL], parallel=4, chunk_size=CHUNK, on_bytes=counted.append)
    assert result["id"] == checkpoint["id"]
    assert_identical(tmp_path, checkpoint)
    assert sum(counted) == sum(f["size"] for f in checkpoint["files"])
    assert all(f["etag"] and f["etag"].startswith('"') for f in result["files"]), "strong ETags expected"


def test_a_rerun_skips_finished_files(tmp_path, checkpoint):
    dl.download(SPEC, tmp_path, servers=[URL], chunk_size=CHUNK)
    counted = []
    dl.download(SPEC, tmp_path, servers=[URL], chunk_size=CHUNK, on_bytes=counted.append)
    assert sum(counted) == 0
    assert_identical(tmp_path, checkpoint)


def interrupt(directory, after):
    """Start a download and abort it once `after` bytes have arrived (as a killed process would,
    minus the kill): the .part files and their sidecars stay."""
    seen = [0]
    lock = threading.Lock()

    def on_bytes(n):
        with lock:
            seen[0] += n
            if seen[0] >= after:
                raise Interrupted()

    with pytest.raises(Interrupted):
        dl.download(SPEC, directory, servers=[URL], parallel=2, chunk_size=CHUNK, on_bytes=on_bytes)


def done_bytes(directory):
    total = 0
    for name in os.listdir(directory):
        if name.endswith(".part.json"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                total += sum(b - a for a, b in json.load(f)["done"])
    return total


def test_an_interrupted_download_resumes_with_only_the_missing_bytes(tmp_path, checkpoint):
    total = sum(f["size"] for f in checkpoint["files"])
    interrupt(tmp_path, total // 2)
    assert any(n.endswith(".part") for n in os.listdir(tmp_path))
    kept = done_bytes(tmp_path)
    assert 0 < kept < total
    counted = []
    dl.download(SPEC, tmp_path, servers=[URL], parallel=3, chunk_size=CHUNK, on_bytes=counted.append)
    # Whole ranges are kept; the ones cut short by the interruption are fetched again.
    assert sum(counted) == total - kept
    assert_identical(tmp_path, checkpoint)


def test_a_killed_download_process_resumes(tmp_path):
    """The command line, SIGKILLed as soon as its sidecar records a finished range, then run
    again: the second run fetches exactly the bytes the sidecar did not record."""
    spec = {"seed": 16, "layers": [{"name": "w", "type": "tensor", "shape": [8192, 8192], "role": "weight"}]}
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    out = tmp_path / "out"
    module_dir = os.path.dirname(os.path.abspath(dl.__file__))
    command = [sys.executable, "-m", "initlab_download", str(spec_file), str(out), "--server", URL]
    process = subprocess.Popen(
        command + ["--parallel", "1", "--chunk-size", "1MiB"],
        cwd=module_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    sidecar = out / "model.safetensors.part.json"
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if json.loads(sidecar.read_text())["done"]:
                    break
            except (OSError, ValueError):
                pass  # not written yet, or caught mid-replace
            time.sleep(0.002)
        assert process.poll() is None, f"the download ended before it could be killed: {process.stderr.read()!r}"
        process.kill()
    finally:
        process.kill()
        process.wait()
    created = dl.create_checkpoint(spec, [URL])
    [entry] = created["files"]
    kept = done_bytes(out)
    assert 0 < kept < entry["size"]
    counted = []
    result = dl.download(spec, out, servers=[URL], parallel=2, chunk_size=1 << 20, on_bytes=counted.append)
    assert sum(counted) == entry["size"] - kept
    plain = sha256_of_get(URL.rstrip("/") + dl._file_path(entry, created["id"]))
    assert sha256_of_file(result["files"][0]["path"]) == plain


def test_a_changed_etag_starts_that_file_over(tmp_path, checkpoint):
    total = sum(f["size"] for f in checkpoint["files"])
    interrupt(tmp_path, total // 2)
    sidecars = sorted(n for n in os.listdir(tmp_path) if n.endswith(".part.json"))
    assert sidecars
    stale = tmp_path / sidecars[0]
    state = json.loads(stale.read_text())
    state["etag"] = '"not-the-servers"'
    stale.write_text(json.dumps(state))
    kept = done_bytes(tmp_path) - sum(b - a for a, b in state["done"])
    counted = []
    dl.download(SPEC, tmp_path, servers=[URL], chunk_size=CHUNK, on_bytes=counted.append)
    assert sum(counted) == total - kept
    assert_identical(tmp_path, checkpoint)


class FaultyReplica:
    """A proxy to the real server that answers HEAD and POST faithfully and spoils every range
    GET in one way (mode): 503, a body cut short, a wrong Content-Range, or another ETag."""

    def __init__(self, mode):
        target = URL.rstrip("/")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self, method):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                upstream = requests.request(method, target + self.path, data=body, headers=headers, timeout=60)
                return upstream

            def reply(self, status, headers, body, declared=None):
                self.send_response(status)
                for k, v in headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-range", "etag"):
                        self.send_header(k, v)
                for k in ("Content-Range", "ETag"):
                    if k in headers:
                        self.send_header(k, headers[k])
                self.send_header("Content-Length", str(len(body) if declared is None else declared))
                self.end_headers()
                self.wfile.write(body)

            def do_HEAD(self):
                upstream = self.forward("HEAD")
                self.reply(upstream.status_code, dict(upstream.headers), b"", upstream.headers.get("Content-Length"))

            def do_POST(self):
                upstream = self.forward("POST")
                self.reply(upstream.status_code, dict(upstream.headers), upstream.content)

            def do_GET(self):
                if mode == "503":
                    self.reply(503, {"Content-Type": "text/plain"}, b"overloaded")
                    return
                upstream = self.forward("GET")
                headers = dict(upstream.headers)
                body = upstream.content
                if mode == "short":  # declares the whole range, sends half, closes
                    self.reply(upstream.status_code, headers, body[: len(body) // 2], len(body))
                    self.close_connection = True
                    return
                if mode == "content-range":
                    first, rest = headers["Content-Range"].split(" ")[1].split("-", 1)
                    headers["Content-Range"] = f"bytes {int(first) + 1}-{rest}"
                if mode == "etag":
                    headers["ETag"] = '"from-another-version"'
                self.reply(upstream.status_code, headers, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(params=["503", "short", "content-range", "etag"])
def faulty(request):
    replica = FaultyReplica(request.param)
    yield replica
    replica.close()


def test_a_server_that_is_down_is_skipped(tmp_path, checkpoint):
    # Port 1 on loopback refuses connections: the POST, the HEADs and the ranges go elsewhere.
    result = dl.download(SPEC, tmp_path, servers=["http://127.0.0.1:1", URL], parallel=4, chunk_size=CHUNK)
    assert_identical(tmp_path, checkpoint)
    # Round robin gives it every other range; once it refused a connection (the HEADs already)
    # it is set aside, so far fewer attempts fail than the ranges it was given.
    ranges = sum(-(-f["size"] // CHUNK) for f in checkpoint["files"])
    assert len(result["failed_attempts"]) < ranges / 4, result["failed_attempts"]


def test_ranges_a_faulty_server_spoils_are_fetched_from_another(tmp_path, checkpoint, faulty):
    result = dl.download(SPEC, tmp_path, servers=[faulty.url, URL], parallel=4, chunk_size=CHUNK, retries=3)
    assert_identical(tmp_path, checkpoint)
    assert result["failed_attempts"] and all(faulty.url in m for m in result["failed_attempts"])


def test_with_no_good_server_the_error_names_the_file_and_range(tmp_path, checkpoint, faulty):
    with pytest.raises(dl.DownloadError) as raised:
        dl.download(SPEC, tmp_path, servers=[faulty.url], parallel=2, chunk_size=CHUNK, retries=2)
    message = str(raised.value)
    assert any(message.startswith(f["name"] + ": bytes ") for f in checkpoint["files"]), message
    assert "failed 2 times" in message
    assert not any(n.endswith(".safetensors") for n in os.listdir(tmp_path)), "no unverified file may be final"
