package dev.initlab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The symmetry lab (static/index.html, lab.js, lab.css) as the jar serves it on a real
 * port: the page at {@code /} with the hooks the browser tests use, and every asset it
 * loads, Chart.js from its webjar included (a missing webjar fails here, not only in the
 * browser step). clients/browser/test_lab.py drives the page itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LabPageTests {

	/** The data-testid hooks of issue 17 that are in the page itself. */
	static final List<String> TEST_IDS = List.of("lab-run", "lab-stop", "lab-status", "lab-loss-chart",
			"lab-units-chart", "lab-request-json", "prop-run", "prop-chart");

	static final Pattern ASSET = Pattern.compile("<(?:script|link)\\b[^>]*\\b(?:src|href)=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(10))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	@Test
	void theLabIsTheFrontPage() throws Exception {
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		for (String id : TEST_IDS) {
			assertThat(page.body()).as(id).contains("data-testid=\"" + id + "\"");
		}
		assertThat(page.body()).contains("<label for=\"lab-lr\">", "aria-live=\"polite\"");
	}

	@Test
	void everyAssetThePageLoadsIsServedFromTheJar() throws Exception {
		List<String> assets = new ArrayList<>();
		Matcher m = ASSET.matcher(get("/").body());
		while (m.find()) {
			assets.add(m.group(1));
		}
		// relative URLs, so that the page also works under a proxy's path prefix; no CDN
		assertThat(assets).containsExactlyInAnyOrder("lab.css", "webjars/chart.js/dist/chart.umd.js", "lab.js");
		for (String asset : assets) {
			HttpResponse<String> response = get("/" + asset);
			assertThat(response.statusCode()).as(asset).isEqualTo(200);
			String type = response.headers().firstValue("Content-Type").orElse("");
			assertThat(type).as(asset).startsWith(asset.endsWith(".css") ? "text/css" : "text/javascript");
		}
		HttpResponse<String> chartJs = get("/webjars/chart.js/dist/chart.umd.js");
		assertThat(chartJs.body()).startsWith("/*!").contains("Chart.js v4");
		assertThat(chartJs.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
	}

	@Test
	void theScriptCallsThePublicApiOnly() throws Exception {
		String script = get("/lab.js").body();
		assertThat(script).contains("`${API}/experiments`", "/events`", "plots/boundary.svg?policy=",
				"`${API}/propagation`", "new EventSource(", "'X-API-Key'", "lab-boundary-");
		// the limit properties whose problems it maps to a field are this application's
		Matcher m = Pattern.compile("'(initlab\\.[a-z.-]+)'").matcher(script);
		int properties = 0;
		while (m.find()) {
			assertThat(this.environment.containsProperty(m.group(1))).as(m.group(1)).isTrue();
			properties++;
		}
		assertThat(properties).isGreaterThanOrEqualTo(10);
	}

	@Test
	void aPageThatIsNotThereIsStillAProblem() throws Exception {
		HttpResponse<String> missing = get("/lab.html");
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
