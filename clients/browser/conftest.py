"""A real headless Chromium against a running initlab server.

The server: INITLAB_URL (default http://localhost:8080). The browser: INITLAB_CHROMIUM (default
/usr/bin/chromium, Debian's `chromium` package), driven by Playwright; Playwright's own browser
downloads are never used. Neither missing is a skip: both are failures.

Screenshots for diagnosis go to INITLAB_SCREENSHOTS (default target/browser/ in the repository):
one per step the tests name, and one of the page as it was when a test failed.
"""

import os
import pathlib
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Without the background-networking flags Chromium opens connections of its own (component
# updates, sync, field trials...) that a closed network refuses. --headless and --no-sandbox are
# also what Playwright passes; they are spelled out so the list is the whole story.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A bounded wait (never an assertion on time): elements appear within this on a loaded 2-core
# machine.
ELEMENT_TIMEOUT_MS = 30_000

# Browsers ask every origin for a favicon; initlab has none outside Swagger UI.
IGNORED_FAILURES = {"/favicon.ico"}


def pytest_runtest_makereport(item, call):
    if call.when == "call":
        item.failed_call = call.excinfo is not None


@pytest.fixture(scope="session")
def server_url():
    url = os.environ.get("INITLAB_URL", "http://localhost:8080").rstrip("/")
    try:
        with urllib.request.urlopen(url + "/actuator/health/readiness", timeout=10) as ready:
            status = ready.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError as e:
        pytest.fail(f"no initlab server at {url} ({e}); start one and set INITLAB_URL")
    assert status == 200, f"{url} is not ready: HTTP {status}"
    return url


@pytest.fixture(scope="session")
def screenshots():
    path = pathlib.Path(os.environ.get("INITLAB_SCREENSHOTS", ROOT / "target" / "browser"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    """One Chromium for the whole session, with a fresh profile (--user-data-dir)."""
    executable = os.environ.get("INITLAB_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        pytest.fail(
            f"no Chromium at {executable}: install Debian's package (apt-get install -y chromium) "
            "or set INITLAB_CHROMIUM"
        )
    expect.set_options(timeout=ELEMENT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        # A persistent context is how Playwright takes a --user-data-dir of our choosing.
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


class Traffic:
    """What a page asked for: requests to other origins (aborted: Swagger UI's assets must come
    from the server, never a CDN), responses >= 400, and uncaught script errors."""

    def __init__(self, origin):
        self.origin = origin
        self.requested = []
        self.foreign = []
        self.failed = []
        self.script_errors = []

    def route(self, route):
        url = route.request.url
        self.requested.append(url)
        if url.startswith(("data:", "blob:")) or _origin(url) == self.origin:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def response(self, response):
        if response.status >= 400 and urlsplit(response.url).path not in IGNORED_FAILURES:
            self.failed.append(f"{response.status} {response.request.method} {response.url}")


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def page(browser_context, server_url, screenshots, request):
    """A new tab; on teardown, the test fails if it fetched anything from another origin, got an
    error response or threw a script error. A failed test leaves a full-page screenshot."""
    traffic = Traffic(_origin(server_url))
    tab = browser_context.new_page()
    tab.set_default_timeout(ELEMENT_TIMEOUT_MS)
    tab.route("**/*", traffic.route)
    tab.on("response", traffic.response)
    tab.on("pageerror", lambda error: traffic.script_errors.append(str(error)))
    tab.traffic = traffic
    yield tab
    failed = getattr(request.node, "failed_call", False)
    if failed:
        tab.screenshot(path=screenshots / f"{request.node.name}-failure.png", full_page=True)
    tab.close()
    if failed:
        # The test's own failure is the report; this is context for it (shown with it).
        print(f"foreign requests: {traffic.foreign}\nerror responses: {traffic.failed}")
        print(f"script errors: {traffic.script_errors}")
        return
    assert not traffic.foreign, f"fetched from outside the server: {traffic.foreign}"
    assert not traffic.failed, f"error responses: {traffic.failed}"
    assert not traffic.script_errors, f"uncaught script errors: {traffic.script_errors}"
