import socket
import threading

import pytest
import requests

import initlab_client  # noqa: E402  (the installed package: pip install ./clients/python)


@pytest.fixture(scope="session")
def server_url():
    """The server under test: INITLAB_URL (default http://localhost:8080). It must be up: these
    tests check a real server, so an unreachable one is a failure, not a skip."""
    url = initlab_client.base_url()
    try:
        ready = requests.get(url + "/actuator/health/readiness", timeout=10)
    except requests.ConnectionError as e:
        pytest.fail(f"no initlab server at {url} ({e}); start one and set INITLAB_URL")
    assert ready.status_code == 200, f"{url} is not ready: {ready.status_code} {ready.text[:200]}"
    return url


class Answered(Exception):
    """Raised instead of sending a request that `sent_request` captured."""


@pytest.fixture
def sent_request(monkeypatch):
    """Captures the keyword arguments of the next requests.Session.request (the headers, params,
    body a client would send) into the returned dict and raises Answered instead of sending."""
    sent = {}

    def capture(session, method, url, **kwargs):
        sent.update(kwargs)
        raise Answered()

    monkeypatch.setattr(requests.Session, "request", capture)
    return sent


@pytest.fixture
def truncating_server():
    """A function (body, cut) -> URL of a one-shot HTTP server on loopback that announces
    len(body) bytes and closes the connection after len(body) - cut of them."""
    threads = []

    def start(body: bytes, cut: int) -> str:
        listener = socket.create_server(("127.0.0.1", 0))

        def serve():
            try:
                conn, _ = listener.accept()
                with conn:
                    request = b""
                    while b"\r\n\r\n" not in request:
                        request += conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                                 b"Content-Length: %d\r\n\r\n" % len(body) + body[:len(body) - cut])
            finally:
                listener.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        threads.append(thread)
        return f"http://127.0.0.1:{listener.getsockname()[1]}"

    yield start
    for thread in threads:
        thread.join(5)
