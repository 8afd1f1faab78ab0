package dev.initlab.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.initlab.experiments.ExperimentLimits;
import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;
import dev.initlab.jobs.JobProperties;
import dev.initlab.jobs.JobService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * {@code /api/v1/experiments} through the MVC slice with the real runner and job queue
 * (one worker, a queue of one, so the 429 is reachable).
 */
@WebMvcTest(ExperimentController.class)
@Import({ Planner.class, ExperimentRunner.class, JobService.class, ProblemDetailsAdvice.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, JobProperties.class })
@TestPropertySource(properties = { "initlab.jobs.workers=1", "initlab.jobs.queue-capacity=1" })
class ExperimentControllerTests {

	static final String URI = "/api/v1/experiments";

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String LECTURE = """
			{"seed": 1, "dataset": {"name": "planar_flower", "n_samples": 100},
			 "model": {"hidden_layers": [4], "activation": "tanh", "output": "sigmoid"},
			 "training": {"optimizer": "gd", "learning_rate": 1.2, "iterations": 300, "record_every": 100},
			 "policies": [
			   {"label": "zeros", "init": {"preset": "zeros"}},
			   {"label": "small random", "init": {"preset": "small_random"}},
			   {"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}, "bias": {"scheme": "zeros"}}}]}
			""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void preferWaitReturnsTheFinishedLecture() {
		MvcTestResult result = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Prefer", "wait=60")
			.content(LECTURE)
			.exchange();
		assertThat(result).hasStatus(HttpStatus.OK).hasHeader("Preference-Applied", "wait=60");
		assertThat(result.getResponse().getHeader("Location")).startsWith("/api/v1/experiments/");
		JsonNode body = json(result);
		assertThat(body.get("status").asString()).isEqualTo("succeeded");
		assertThat(body.get("seed").asLong()).isEqualTo(1);
		JsonNode results = body.get("results");
		assertThat(results).hasSize(3);
		JsonNode zeros = results.get(0);
		assertThat(zeros.get("label").asString()).isEqualTo("zeros");
		JsonNode history = zeros.get("history");
		assertThat(history).hasSize(4);
		assertThat(history.get(0).get("iteration").asInt()).isZero();
		assertThat(history.get(3).get("iteration").asInt()).isEqualTo(300);
		for (JsonNode entry : history) {
			// the symmetric failure: one distinct unit, rank 0, cosine 1, loss ln 2 for
			// ever
			assertThat(entry.get("symmetry").get("distinct_units").asInt()).isEqualTo(1);
			assertThat(entry.get("symmetry").get("rank").asInt()).isZero();
			assertThat(entry.get("symmetry").get("max_cosine").asDouble()).isEqualTo(1.0);
			assertThat(entry.get("loss").asDouble()).isEqualTo(Math.log(2));
			assertThat(entry.get("grad_norms")).hasSize(2);
			assertThat(entry.get("saturation_fraction")).hasSize(1);
			assertThat(entry.get("dead_fraction")).hasSize(1);
		}
		assertThat(zeros.get("final").get("iteration").asInt()).isEqualTo(300);
		assertThat(zeros.get("final").has("test_accuracy")).isTrue();
		assertThat(zeros.get("final").get("test_accuracy").isNull()).isTrue();
		assertThat(zeros.get("verdict").asString()).contains("All 4 hidden units are still identical")
			.contains("symmetry was never broken");
		JsonNode he = results.get(2);
		assertThat(he.get("final").get("symmetry").get("distinct_units").asInt()).isEqualTo(4);
		assertThat(he.get("final").get("loss").asDouble()).isLessThan(history.get(3).get("loss").asDouble());
		assertThat(he.get("verdict").asString()).contains("distinct");
		String id = body.get("id").asString();
		JsonNode again = json(this.mvc.get().uri(URI + "/" + id).exchange());
		assertThat(again.get("status").asString()).isEqualTo("succeeded");
		assertThat(again.get("results").get(2).get("final")).isEqualTo(he.get("final"));
	}

	@Test
	void sameRequestGivesTheSameResults() {
		JsonNode a = json(this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Prefer", "wait=60")
			.content(LECTURE)
			.exchange());
		JsonNode b = json(this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Prefer", "wait=60")
			.content(LECTURE)
			.exchange());
		assertThat(a.get("results")).isEqualTo(b.get("results"));
	}

	@Test
	void withoutPreferTheJobIsAcceptedAndCanBeCancelled() {
		String longRun = LECTURE.replace("\"iterations\": 300, \"record_every\": 100",
				"\"iterations\": 100000, \"record_every\": 1000");
		MvcTestResult accepted = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.content(longRun)
			.exchange();
		assertThat(accepted).hasStatus(HttpStatus.ACCEPTED);
		String location = accepted.getResponse().getHeader("Location");
		assertThat(location).startsWith("/api/v1/experiments/");
		assertThat(json(accepted).get("status").asString()).isIn("queued", "running");
		// the worker outlives each test: wait until it has taken this job off the queue
		// (it may still be returning from an earlier test's job), or the queue of one
		// is already full below
		await("the worker takes the job off the queue").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(10))
			.dontCatchUncaughtExceptions()
			.until(() -> json(this.mvc.get().uri(location).exchange()).get("status").asString(),
					not(equalTo("queued")));
		// fill the one worker and the queue of one: the next is refused with Retry-After
		MvcTestResult queued = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.content(longRun)
			.exchange();
		MvcTestResult refused = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.content(longRun)
			.exchange();
		assertThat(refused).hasStatus(HttpStatus.TOO_MANY_REQUESTS).hasHeader("Retry-After", "5");
		assertThat(refused.getResponse().getContentType()).isEqualTo("application/problem+json");
		assertThat(body(refused)).contains("initlab.jobs.queue-capacity");
		JsonNode cancelled = json(this.mvc.delete().uri(location).exchange());
		assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
		String queuedId = json(queued).get("id").asString();
		JsonNode second = json(this.mvc.delete().uri(URI + "/" + queuedId).exchange());
		assertThat(second.get("status").asString()).isEqualTo("cancelled");
	}

	@Test
	void plotsAreSvgWithOneLinePerPolicy() {
		String id = json(this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Prefer", "wait=60")
			.content(LECTURE)
			.exchange()).get("id").asString();
		for (String kind : new String[] { "loss", "accuracy", "symmetry" }) {
			MvcTestResult svg = this.mvc.get().uri(URI + "/" + id + "/plots/" + kind + ".svg").exchange();
			assertThat(svg).hasStatus(HttpStatus.OK);
			assertThat(svg.getResponse().getContentType()).startsWith("image/svg+xml");
			String text = body(svg);
			assertThat(text).contains("<svg").contains("zeros").contains("small random").contains("he");
		}
		assertThat(this.mvc.get().uri(URI + "/" + id + "/plots/nope.svg").exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void invalidRequestsAreProblemsNamingTheField() {
		problem(LECTURE.replace("planar_flower", "flower"), "dataset.name", "planar_flower, xor, circles");
		problem(LECTURE.replace("\"tanh\"", "\"swish\""), "model.activation", "tanh, relu");
		problem(LECTURE.replace("\"gd\"", "\"sgd\""), "training.optimizer", "gd, momentum, adam");
		problem(LECTURE.replace("\"preset\": \"zeros\"", "\"preset\": \"nope\""), "policies[0].init.preset",
				"pytorch_default");
		MvcTestResult limit = post(LECTURE.replace("\"iterations\": 300", "\"iterations\": 100000000"));
		assertThat(limit).hasStatus(HttpStatus.BAD_REQUEST);
		assertThat(body(limit)).contains("initlab.experiments.max-iterations").contains("100000000");
		assertThat(this.mvc.get().uri(URI + "/no-such-id").exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void lsuvRunsInAnExperimentAndReportsItsIterationsPerLinearLayer() {
		MvcTestResult result = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Prefer", "wait=60")
			.content(Examples.EXPERIMENT_LSUV.replace("\"iterations\": 2000", "\"iterations\": 200"))
			.exchange();
		assertThat(result).hasStatus(HttpStatus.OK);
		JsonNode results = json(result).get("results");
		JsonNode orthogonal = results.get(0);
		JsonNode lsuv = results.get(1);
		JsonNode outputAlone = results.get(2);
		assertThat(orthogonal.has("lsuv_iterations")).isFalse();
		// one entry per linear layer (2 hidden and the output), as grad_norms
		assertThat(lsuv.get("lsuv_iterations")).hasSize(3);
		assertThat(lsuv.get("history").get(0).get("grad_norms")).hasSize(3);
		for (JsonNode n : lsuv.get("lsuv_iterations")) {
			assertThat(n.isInt()).isTrue();
		}
		assertThat(outputAlone.get("lsuv_iterations").get(2).isNull()).isTrue();
		// the same draws, rescaled: iteration 0 is not the orthogonal start
		assertThat(lsuv.get("history").get(0).get("iteration").asInt()).isZero();
		assertThat(lsuv.get("history").get(0).get("loss").asDouble())
			.isNotEqualTo(orthogonal.get("history").get(0).get("loss").asDouble());
	}

	@Test
	void overridesInExperimentsNameTheLinearLayers() {
		String override = LECTURE.replace("{\"label\": \"zeros\", \"init\": {\"preset\": \"zeros\"}}",
				"{\"label\": \"zeros\", \"init\": {\"preset\": \"zeros\"}, "
						+ "\"layers\": [{\"layers\": [3], \"init\": {\"preset\": \"small_random\"}}]}");
		problem(override, "policies[0].layers[0].layers[0]", "allowed: 1 to 2");
		MvcTestResult ok = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Prefer", "wait=60")
			.content(override.replace("[3]", "[1]"))
			.exchange();
		assertThat(ok).hasStatus(HttpStatus.OK);
		// the zeros policy with small random first-layer weights is no longer symmetric
		assertThat(json(ok).get("results").get(0).get("history").get(0).get("symmetry").get("distinct_units").asInt())
			.isEqualTo(4);
	}

	private void problem(String request, String field, String allowed) {
		MvcTestResult result = post(request);
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		JsonNode body = json(result);
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo(field);
		assertThat(body.get("errors").get(0).get("message").asString()).contains(allowed);
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri(URI).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private static JsonNode json(MvcTestResult result) {
		return JSON.readTree(body(result));
	}

	private static String body(MvcTestResult result) {
		return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
	}

}
