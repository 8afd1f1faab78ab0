"""Swagger UI as a user meets it: a real Chromium opens /swagger-ui.html, runs the documented
examples with "Try it out" and Execute, reads the rendered responses, then opens an experiment's
SVG plots in the same browser. Run against a live server (see conftest.py and docs/OPERATIONS.md)."""

import json
import re

from playwright.sync_api import expect

# An Execute is a bounded wait, longer than an element's: the experiment example asks the server
# to wait up to 30 s for its result.
EXECUTE_TIMEOUT_MS = 90_000


def open_swagger_ui(page, server_url):
    page.goto(server_url + "/swagger-ui.html")
    # The document has loaded and rendered when the info block names the API.
    expect(page.locator(".information-container .title")).to_contain_text("initlab")


def try_it_out(page, operation_id, example):
    """Expand an operation, switch it to "Try it out" and pick a request body example."""
    operation = page.locator(f"#operations-{operation_id}")
    operation.locator(".opblock-summary").click()
    button = operation.locator("button.try-out__btn")
    expect(button).to_be_visible()
    # The app turns try-it-out on by default (springdoc.swagger-ui.try-it-out-enabled), in which
    # case the button already offers "Cancel"; a user clicks "Try it out" only when offered.
    if button.inner_text().strip() == "Try it out":
        button.click()
    expect(button).to_have_text("Cancel")
    operation.locator(".examples-select select").select_option(example)
    return operation


def execute(operation, screenshots, name):
    """Click Execute and return the rendered live response: status, body text, headers text."""
    operation.locator("button.execute").click()
    response = operation.locator(".live-responses-table tr.response")
    expect(response).to_be_visible(timeout=EXECUTE_TIMEOUT_MS)
    operation.screenshot(path=screenshots / f"{name}.png")
    status = response.locator(".response-col_status").inner_text().strip()
    body = response.locator(".highlight-code pre")
    expect(body).to_be_visible()
    headers = response.locator("h5:text-is('Response headers') + pre").inner_text()
    return status, body.inner_text(), headers


def test_swagger_ui_is_served_by_the_app(page, server_url):
    open_swagger_ui(page, server_url)
    expect(page.locator(".opblock")).not_to_have_count(0)
    # Swagger UI's own assets, from the app's webjar (the page fixture aborts and reports any
    # request to another origin, a CDN included).
    paths = {re.sub(r"^https?://[^/]+", "", url) for url in page.traffic.requested}
    for asset in ("/swagger-ui/swagger-ui-bundle.js", "/swagger-ui/swagger-ui.css", "/v3/api-docs"):
        assert asset in paths, f"{asset} was not loaded from the server; requested: {sorted(paths)}"


def test_initialization_example(page, server_url, screenshots):
    open_swagger_ui(page, server_url)
    operation = try_it_out(page, "initializations-generate", "mlp")
    expect(operation.locator("textarea.body-param__text")).to_have_value(re.compile(r'"name": "fc1"'))

    status, body, _ = execute(operation, screenshots, "initialization-example")

    assert status == "200", f"HTTP {status}: {body[:2000]}"
    assert '"fc1.weight"' in body
    result = json.loads(body)
    assert result["seed"] == 42
    tensors = {t["name"]: t for t in result["tensors"]}
    assert list(tensors) == ["fc1.weight", "fc1.bias", "out.weight", "out.bias"]
    assert [tensors[name]["shape"] for name in tensors] == [[3, 4], [3], [2, 3], [2]]
    assert tensors["fc1.weight"]["init"]["scheme"] == "kaiming_normal"
    assert tensors["out.weight"]["init"]["scheme"] == "xavier_uniform"
    assert tensors["fc1.bias"]["data"] == [0, 0, 0]
    # He normal for ReLU with fan_in 4: std = sqrt(2/4).
    assert abs(tensors["fc1.weight"]["init"]["std"] - 0.5**0.5) < 1e-12
    assert len(tensors["fc1.weight"]["data"]) == 3 and all(len(row) == 4 for row in tensors["fc1.weight"]["data"])
    request_url = operation.locator(".request-url pre").inner_text().strip()
    assert request_url == server_url + "/api/v1/initializations?format=json"


PLOTS = {
    "loss": ("Loss by iteration", "loss"),
    "accuracy": ("Training accuracy by iteration", "training accuracy"),
    "symmetry": ("Distinct hidden units by iteration", "distinct hidden units"),
}


def test_experiment_example_and_its_plots(page, server_url, screenshots):
    open_swagger_ui(page, server_url)
    operation = try_it_out(page, "experiments-create", "lecture")
    # The Prefer header is filled from the OpenAPI document's example, so Execute waits for the
    # result (200) instead of answering 202 at once.
    expect(operation.locator("tr[data-param-name='Prefer'] input")).to_have_value("wait=30")

    status, body, headers = execute(operation, screenshots, "experiment-example")

    assert status == "200", f"HTTP {status}: {body[:2000]}"
    assert '"status": "succeeded"' in body
    result = json.loads(body)
    labels = [r["label"] for r in result["results"]]
    assert labels == ["zeros", "small random", "he"]
    final = {r["label"]: r["final"] for r in result["results"]}
    # The lecture's point: zero init never breaks symmetry, random init does.
    assert final["zeros"]["symmetry"]["distinct_units"] == 1
    assert final["he"]["symmetry"]["distinct_units"] == 4
    assert "never broken" in result["results"][0]["verdict"]
    assert f"location: /api/v1/experiments/{result['id']}" in headers
    assert "preference-applied: wait=30" in headers

    # The plots of this experiment, in the same browser.
    for kind, (title, y_label) in PLOTS.items():
        url = f"{server_url}/api/v1/experiments/{result['id']}/plots/{kind}.svg"
        response = page.goto(url)
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert page.evaluate("document.documentElement.localName") == "svg", f"{url} is not an SVG document"
        svg = page.locator("svg").first
        expect(svg).to_be_visible()
        page.screenshot(path=screenshots / f"experiment-plot-{kind}.png")
        # Every label is laid out with a width, i.e. rendered, not merely present in the source.
        texts = page.evaluate(
            "[...document.querySelectorAll('text')]"
            ".map(t => [t.textContent, t.getBBox().width])"
        )
        rendered = {text for text, width in texts if width > 0}
        for label in [title, "iteration", y_label, *labels]:
            assert label in rendered, f"{kind}.svg does not render '{label}'; rendered: {sorted(rendered)}"
