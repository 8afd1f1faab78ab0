"""The symmetry lab (GET /) as a learner meets it: a real Chromium runs zeros against He on circles and
watches the charts and the decision boundaries, stops a long run, runs the propagation tab, does it all
again from the keyboard alone, sends bad input, and runs the page's "same in Python" snippets. Run
against a live server (see conftest.py); the page may fetch nothing from another origin."""

import json
import os
import pathlib
import re
import subprocess
import sys

from playwright.sync_api import expect

ROOT = pathlib.Path(__file__).resolve().parents[2]

# A run's bounded wait (never an assertion on time): the experiments below take a second or two on
# a quiet machine; a loaded 2-core CI machine gets plenty more.
RUN_TIMEOUT_MS = 120_000
TERMINAL = re.compile(r"(succeeded|failed|cancelled)$")

EXPERIMENTS = "/api/v1/experiments"


def open_lab(page, server_url):
    page.goto(server_url + "/")
    expect(page).to_have_title(re.compile("symmetry lab"))
    # lab.js has run: it fills the default policies in.
    expect(page.locator("#lab-policies .policy")).to_have_count(3)
    expect(page.get_by_test_id("lab-run")).to_be_enabled()


def set_experiment(page, dataset, learning_rate, iterations, units=None):
    page.select_option("#lab-dataset", dataset)
    page.fill("#lab-lr", str(learning_rate))
    page.fill("#lab-iterations", str(iterations))
    if units is not None:
        page.fill("#lab-units", str(units))


def keep_policies(page, *labels):
    """Removes the default policies whose labels are not given (the defaults: zeros, small, he)."""
    for row in reversed(page.locator("#lab-policies .policy").all()):
        if row.locator(".policy-label").input_value() not in labels:
            row.get_by_role("button", name=re.compile(r"^Remove policy")).click()
    got = [r.locator(".policy-label").input_value() for r in page.locator("#lab-policies .policy").all()]
    assert got == list(labels)


def status_ends_in(page, status):
    expect(page.get_by_test_id("lab-status")).to_have_text(TERMINAL, timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_test_id("lab-status")).to_have_text(re.compile(f"{status}$"))


def points(page, chart):
    """Points per dataset of a chart, as Chart.js holds them."""
    return page.evaluate(f"Chart.getChart('{chart}').data.datasets.map(d => [d.label, d.data.length])")


def boundary_loaded(page, label):
    image = page.get_by_test_id(f"lab-boundary-{label}")
    expect(image).to_be_visible(timeout=RUN_TIMEOUT_MS)
    page.wait_for_function(
        "id => { const i = document.querySelector(`[data-testid='lab-boundary-${id}']`);"
        " return i && i.complete && i.naturalWidth > 0; }",
        arg=label,
    )
    return image


def forget_refusals(page, method, path):
    """The 400s a test asked for are not the page's errors (the fixture fails on any other)."""
    page.traffic.failed = [
        f for f in page.traffic.failed if not re.match(rf"400 {method} \S+{re.escape(path)}$", f)
    ]


def test_zeros_stay_symmetric_and_he_separates_circles(page, server_url, screenshots):
    open_lab(page, server_url)
    set_experiment(page, "circles", 0.5, 3000)
    keep_policies(page, "zeros", "he")

    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(EXPERIMENTS)) as sent:
        page.get_by_test_id("lab-run").click()
    status_ends_in(page, "succeeded")

    # What the page shows is what it sent, byte for byte.
    shown = page.get_by_test_id("lab-request-json").inner_text()
    assert sent.value.post_data == shown
    request = json.loads(shown)
    assert request["dataset"] == {"name": "circles"}
    assert request["training"]["learning_rate"] == 0.5 and request["training"]["iterations"] == 3000
    assert request["policies"] == [
        {"label": "zeros", "init": {"preset": "zeros"}},
        {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}},
    ]

    # The lesson: zeros never leaves one unit and 50 %; He breaks symmetry and separates the circles.
    zeros = page.get_by_test_id("lab-result-zeros")
    he = page.get_by_test_id("lab-result-he")
    assert zeros.get_attribute("data-distinct-units") == "1"
    assert abs(float(zeros.get_attribute("data-accuracy")) - 0.5) < 0.02
    assert int(he.get_attribute("data-distinct-units")) > 1
    assert float(he.get_attribute("data-accuracy")) > 0.8
    expect(page.get_by_test_id("lab-verdict-zeros")).to_contain_text("never broken")
    expect(zeros).to_contain_text("accuracy 50.0% · 1 distinct unit")

    # Both charts drew every recorded iteration (0, 30, ..., 3000) of both policies.
    assert points(page, "lab-loss-chart") == [["zeros", 101], ["he", 101]]
    units = dict(points(page, "lab-units-chart"))
    assert units["zeros: distinct units"] == 101 and units["he: distinct units"] == 101
    assert units["he: max cosine"] == 101
    for chart in ("lab-loss-chart", "lab-units-chart"):
        expect(page.get_by_test_id(chart)).to_have_attribute("aria-label", re.compile(r"\w"))
        box = page.get_by_test_id(chart).bounding_box()
        assert box["width"] > 200 and box["height"] > 150, f"{chart} is not laid out: {box}"

    for label in ("zeros", "he"):
        image = boundary_loaded(page, label)
        assert image.get_attribute("src").endswith(f"/plots/boundary.svg?policy={label}")
    page.screenshot(path=screenshots / "lab-zeros-vs-he.png", full_page=True)


def test_run_with_the_defaults(page, server_url, screenshots):
    """The issue's newcomer: opens the page, presses Run without touching a control, and watches the
    lecture's planar flower: zeros stays one unit, He (and small random) break symmetry."""
    open_lab(page, server_url)
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith(EXPERIMENTS)) as sent:
        page.get_by_test_id("lab-run").click()
    status_ends_in(page, "succeeded")

    request = json.loads(sent.value.post_data)
    assert request["dataset"]["name"] == "planar_flower"
    assert [p["label"] for p in request["policies"]] == ["zeros", "small", "he"]
    zeros = page.get_by_test_id("lab-result-zeros")
    assert zeros.get_attribute("data-distinct-units") == "1"
    for label in ("small", "he"):
        result = page.get_by_test_id(f"lab-result-{label}")
        assert int(result.get_attribute("data-distinct-units")) > 1, label
        # The lecture's 4 tanh units separate the flower to about 90 %; zeros cannot beat one unit.
        assert float(result.get_attribute("data-accuracy")) > float(zeros.get_attribute("data-accuracy")) + 0.2
    for label in ("zeros", "small", "he"):
        boundary_loaded(page, label)
    page.screenshot(path=screenshots / "lab-defaults.png", full_page=True)


def test_stop_cancels_a_long_run(page, server_url, screenshots):
    open_lab(page, server_url)
    # 3 policies x 100,000 updates of a 32-unit net on the flower: tens of seconds at least.
    set_experiment(page, "planar_flower", 1.2, 100000, units=32)
    page.get_by_test_id("lab-run").click()
    expect(page.get_by_test_id("lab-stop")).to_be_enabled()
    # Live: records arrive while it runs.
    page.wait_for_function("Chart.getChart('lab-loss-chart').data.datasets[0].data.length > 2")
    expect(page.get_by_test_id("lab-status")).to_have_text(re.compile(r"running$"))

    with page.expect_request(lambda r: r.method == "DELETE" and EXPERIMENTS in r.url):
        page.get_by_test_id("lab-stop").click()
    status_ends_in(page, "cancelled")
    expect(page.get_by_test_id("lab-run")).to_be_enabled()
    expect(page.get_by_test_id("lab-stop")).to_be_disabled()
    # No decision boundary for a run that did not finish.
    expect(page.locator("[data-testid^='lab-boundary-']")).to_have_count(0)
    page.screenshot(path=screenshots / "lab-stopped.png", full_page=True)


def test_propagation_tab(page, server_url, screenshots):
    open_lab(page, server_url)
    page.get_by_role("tab", name=re.compile("Propagation")).click()
    expect(page.get_by_test_id("prop-chart")).to_be_visible()
    expect(page.get_by_test_id("lab-run")).to_be_hidden()

    with page.expect_response(lambda r: r.url.endswith("/api/v1/propagation")) as answered:
        page.get_by_test_id("prop-run").click()
    assert answered.value.status == 200
    expect(page.get_by_test_id("prop-status")).to_have_text(re.compile(r"done$"))

    # 50 ReLU layers of 256: Xavier's variance halves per layer, He's stays.
    expect(page.get_by_test_id("prop-verdict-xavier")).to_contain_text("xavier: vanishing")
    expect(page.get_by_test_id("prop-verdict-he")).to_contain_text("he: stable")
    assert points(page, "prop-chart") == [
        ["xavier: activation std", 50],
        ["xavier: gradient std", 50],
        ["he: activation std", 50],
        ["he: gradient std", 50],
    ]
    assert page.evaluate("Chart.getChart('prop-chart').options.scales.y.type") == "logarithmic"
    box = page.get_by_test_id("prop-chart").bounding_box()
    assert box["width"] > 200 and box["height"] > 150
    request = json.loads(page.get_by_test_id("lab-request-json").inner_text())
    assert request["depth"] == 50 and request["width"] == 256 and request["activation"] == "relu"
    page.screenshot(path=screenshots / "lab-propagation.png", full_page=True)

    # Residual blocks, and a recipe through a custom policy: He's variance doubles per block, SkipInit's
    # zeroed last branch layers keep the identity.
    page.select_option("#prop-block", "none")
    page.fill("#prop-depth", "12")
    row = page.locator("#prop-policies .policy").nth(0)
    row.locator(".policy-init").select_option("custom")
    row.locator(".policy-label").fill("skipinit")
    row.locator(".policy-json").fill(
        '{"init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}, "recipe": {"name": "skipinit"}}'
    )
    page.get_by_test_id("prop-run").click()
    expect(page.get_by_test_id("prop-verdict-skipinit")).to_contain_text("skipinit: stable")
    expect(page.get_by_test_id("prop-verdict-he")).to_contain_text("he: exploding")
    request = json.loads(page.get_by_test_id("lab-request-json").inner_text())
    assert request["block"] == {"type": "residual", "branch_layers": 2, "norm": "none"}
    assert request["policies"][0]["recipe"] == {"name": "skipinit"}
    assert page.evaluate("Chart.getChart('prop-chart').options.scales.x.title.text") == "residual block"
    page.screenshot(path=screenshots / "lab-propagation-residual.png", full_page=True)


def focused(page):
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return e === document.body ? null : (e.id || e.dataset.testid || e.className || e.tagName); }"
    )


def back_to(page, control):
    for _ in range(60):
        if focused(page) == control:
            return
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"Shift+Tab never reached {control}")


def test_keyboard_only(page, server_url, screenshots):
    open_lab(page, server_url)
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        name = focused(page)
        if name is None or name in reached:  # past the last control, or round to the first again
            break
        reached.append(name)
        # Every control the keyboard reaches says what it is (the accessible name Playwright computes,
        # as a screen reader would: <label>, aria-label, or the button's text).
        expect(page.locator("*:focus")).to_have_accessible_name(re.compile(r"\w"), timeout=2000)
    order = [
        "api-key", "tab-lab", "lab-dataset", "lab-layers", "lab-units", "lab-activation", "lab-optimizer",
        "lab-lr", "lab-iterations", "lab-seed", "lab-policy0-init", "lab-policy0-label", "lab-policy0-remove",
        "lab-policy2-label", "lab-policy2-remove", "lab-add-policy", "lab-run", "lab-to-python", "copy-json",
        "lab-request-json",
        "copy-python", "lab-python",
    ]
    missing = [c for c in order if c not in reached]
    assert not missing, f"not reached by Tab: {missing}; reached: {reached}"
    assert [c for c in reached if c in order] == order, f"tab order: {reached}"
    # Stop is disabled until a run starts, so the keyboard skips it.
    assert "lab-stop" not in reached

    # A run from the keyboard: back to the iterations, shorten the run, on to Run, press Enter.
    back_to(page, "lab-iterations")
    page.keyboard.press("Control+A")
    page.keyboard.type("500")
    while focused(page) != "lab-run":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    status_ends_in(page, "succeeded")
    assert json.loads(page.get_by_test_id("lab-request-json").inner_text())["training"]["iterations"] == 500
    # The focus is still somewhere a keyboard can go on from (the Run button again).
    assert focused(page) == "lab-run"

    # The propagation tab by arrow key, then its own controls by Tab, run with Space.
    back_to(page, "tab-lab")
    page.keyboard.press("ArrowRight")
    assert focused(page) == "tab-prop"
    expect(page.get_by_test_id("prop-chart")).to_be_visible()
    prop = []
    while focused(page) != "prop-run" and len(prop) < 40:
        page.keyboard.press("Tab")
        prop.append(focused(page))
        expect(page.locator("*:focus")).to_have_accessible_name(re.compile(r"\w"), timeout=2000)
    assert prop[:4] == ["prop-depth", "prop-width", "prop-activation", "prop-block"], prop
    page.keyboard.press("Space")
    expect(page.get_by_test_id("prop-status")).to_have_text(re.compile(r"done$"), timeout=RUN_TIMEOUT_MS)
    page.screenshot(path=screenshots / "lab-keyboard.png", full_page=True)


def test_bad_input_shows_the_problem_next_to_its_field(page, server_url, screenshots):
    open_lab(page, server_url)

    # A learning rate of 0: the API's detail under the learning-rate field.
    page.fill("#lab-lr", "0")
    with page.expect_response(lambda r: r.url.endswith(EXPERIMENTS)) as answered:
        page.get_by_test_id("lab-run").click()
    assert answered.value.status == 400
    problem = answered.value.json()
    assert problem["errors"][0]["field"] == "training.learning_rate"
    expect(page.get_by_test_id("lab-lr-error")).to_have_text(problem["detail"])
    expect(page.locator("#lab-lr")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#lab-lr")).to_be_focused()
    expect(page.get_by_test_id("lab-status")).to_contain_text("refused")
    expect(page.get_by_test_id("lab-run")).to_be_enabled()
    page.screenshot(path=screenshots / "lab-bad-learning-rate.png", full_page=True)

    # Iterations above the limit: a limit-exceeded problem names its property, shown under iterations.
    page.fill("#lab-lr", "1.2")
    page.fill("#lab-iterations", "1000000")
    with page.expect_response(lambda r: r.url.endswith(EXPERIMENTS)) as answered:
        page.get_by_test_id("lab-run").click()
    problem = answered.value.json()
    assert problem["property"] == "initlab.experiments.max-iterations"
    expect(page.get_by_test_id("lab-iterations-error")).to_have_text(problem["detail"])
    expect(page.get_by_test_id("lab-lr-error")).to_be_hidden()  # the previous error is gone
    expect(page.locator("#lab-lr")).not_to_have_attribute("aria-invalid", "true")

    # A custom init the server does not know: the detail beside that policy.
    page.fill("#lab-iterations", "100")
    row = page.locator("#lab-policies .policy").nth(1)
    row.locator(".policy-init").select_option("custom")
    row.locator(".policy-json").fill('{"weight": {"scheme": "no_such_scheme"}}')
    with page.expect_response(lambda r: r.url.endswith(EXPERIMENTS)) as answered:
        page.get_by_test_id("lab-run").click()
    problem = answered.value.json()
    assert problem["errors"][0]["field"].startswith("policies[1]")
    expect(row.locator(".policy-error")).to_have_text(problem["detail"])

    # JSON that does not parse never leaves the page.
    row.locator(".policy-json").fill('{"weight": ')
    page.get_by_test_id("lab-run").click()
    expect(row.locator(".policy-error")).to_contain_text("not valid JSON")
    expect(page.locator("body")).to_contain_text("The lesson")  # never a blank page
    forget_refusals(page, "POST", EXPERIMENTS)
    page.screenshot(path=screenshots / "lab-bad-input.png", full_page=True)


def test_an_api_key_goes_with_every_request(page, server_url, screenshots):
    """With a key the page reads the events through fetch (an EventSource cannot send a header) and
    the boundary pictures too. This server has no keys, so it ignores the header; what is tested is
    that the page sends it everywhere and still follows the run to its end."""
    sent = []
    page.on("request", lambda r: "/api/" in r.url and sent.append((r.method, r.url, r.headers.get("x-api-key"))))
    open_lab(page, server_url)
    page.fill("#api-key", "lab-test-key")
    page.locator("#api-key").press("Tab")
    set_experiment(page, "xor", 1.2, 400)
    keep_policies(page, "zeros", "he")
    page.get_by_test_id("lab-run").click()
    status_ends_in(page, "succeeded")
    for label in ("zeros", "he"):
        assert boundary_loaded(page, label).get_attribute("src").startswith("blob:")
    assert [u for m, u, _ in sent if u.endswith("/events")], f"no event stream requested: {sent}"
    assert all(key == "lab-test-key" for _, _, key in sent), sent
    assert page.evaluate("sessionStorage.getItem('initlab.apiKey')") == "lab-test-key"
    assert points(page, "lab-loss-chart") == [["zeros", 101], ["he", 101]]


def run_snippet(code, server_url):
    env = dict(os.environ, INITLAB_URL=server_url, PYTHONPATH=str(ROOT / "clients" / "python" / "src"))
    env.pop("INITLAB_API_KEY", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"the page's Python failed:\n{code}\n{done.stderr}"
    return done.stdout


def test_the_same_in_python(page, server_url):
    open_lab(page, server_url)
    set_experiment(page, "xor", 1.2, 500)
    page.get_by_test_id("lab-run").click()
    status_ends_in(page, "succeeded")
    # The snippet sends the request the page sent and prints the same verdicts.
    out = run_snippet(page.get_by_test_id("lab-python").inner_text(), server_url)
    assert re.search(r"^\S+ succeeded$", out, re.M), out
    for label in ("zeros", "small", "he"):
        verdict = page.get_by_test_id(f"lab-verdict-{label}").inner_text()
        assert f"{label}: accuracy" in out and verdict in out, out
    assert "zeros: accuracy 50.0%, distinct units 1." in out

    page.get_by_role("tab", name=re.compile("Propagation")).click()
    page.fill("#prop-depth", "10")
    page.get_by_test_id("prop-run").click()
    expect(page.get_by_test_id("prop-status")).to_have_text(re.compile(r"done$"))
    out = run_snippet(page.get_by_test_id("lab-python").inner_text(), server_url)
    for label in ("xavier", "he"):
        verdict = page.get_by_test_id(f"prop-verdict-{label}").inner_text().split(" · ")[0]
        assert verdict.split(": ")[1] in out and f"{label}: " in out, out
