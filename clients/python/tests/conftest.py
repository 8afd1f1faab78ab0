import os
import sys

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
