package dev.initlab.api;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.initlab.admission.Admission;
import dev.initlab.admission.AdmissionProperties;
import dev.initlab.experiments.ExperimentLimits;
import dev.initlab.experiments.SymmetryCheckRunner;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code initlab.generation.stats-max-elements}, set low here, as the wire sees it: a
 * larger tensor's stats describe its first values and say so, smaller ones keep the exact
 * stats' shape. That the sample is exactly the stored prefix, for every seeding,
 * generator and fill, is {@code StatsSampleTests}; nothing here is statistical.
 */
@WebMvcTest(controllers = InitializationController.class,
		properties = { "initlab.generation.stats-max-elements=" + StatsSampleWireTests.LIMIT,
				"initlab.generation.stats-exact-max-elements=0" })
@Import({ Planner.class, GenerationExecutor.class, SymmetryCheckRunner.class, ProblemDetailsAdvice.class,
		Admission.class })
@EnableConfigurationProperties({ GenerationLimits.class, ExperimentLimits.class, AdmissionProperties.class })
class StatsSampleWireTests {

	static final int LIMIT = 100;

	static final String URI = "/api/v1/initializations";

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** wte 50 x 16 = 800 elements, tied to lm_head; biases and norms 16 to 64. */
	static final String GPT2 = """
			{"architecture": "transformers/GPT2LMHeadModel",
			 "config": {"n_layer": 1, "n_embd": 16, "n_head": 4, "vocab_size": 50, "n_positions": 8}}""";

	@Autowired
	MockMvcTester mvc;

	@Test
	void largerTensorsGetTheStatsOfTheirFirstStoredValuesAndSaySo() {
		JsonNode statsOnly = ok("{\"seed\": 3, \"model\": " + GPT2 + ", \"include\": [\"stats\"]}");
		JsonNode both = ok("{\"seed\": 3, \"model\": " + GPT2 + ", \"include\": [\"stats\", \"data\"]}");
		int sampled = 0;
		for (int i = 0; i < statsOnly.get("tensors").size(); i++) {
			JsonNode t = statsOnly.get("tensors").get(i);
			JsonNode stats = t.get("stats");
			List<Double> values = flatten(both.get("tensors").get(i).get("data"));
			String name = t.get("name").asString();
			// the same stats whether the data comes along or not
			assertThat(both.get("tensors").get(i).get("stats")).as(name).isEqualTo(stats);
			if (values.size() > LIMIT) {
				sampled++;
				assertThat(stats.get("sampled").asBoolean()).as(name).isTrue();
				assertThat(stats.get("sample_size").asLong()).as(name).isEqualTo(LIMIT);
				assertDescribes(stats, values.subList(0, LIMIT), name);
			}
			else {
				assertThat(stats.propertyNames()).as(name)
					.containsExactly("mean", "std", "min", "max", "expected_mean", "expected_std");
				assertDescribes(stats, values, name);
			}
		}
		// wte, wpe (8 x 16), c_attn, attn.c_proj, c_fc, mlp.c_proj, lm_head
		assertThat(sampled).isEqualTo(7);
		// the expected moments are the distribution's, sampled or not
		assertThat(statsOnly.get("tensors").get(0).get("stats").get("expected_std").asDouble()).isEqualTo(0.02);
	}

	/**
	 * Negative control: the first values' stats are not those of the whole tensor (the
	 * check above can tell).
	 */
	@Test
	void theSampleIsNotTheWholeTensor() {
		JsonNode both = ok("{\"seed\": 3, \"model\": " + GPT2 + ", \"include\": [\"stats\", \"data\"]}");
		JsonNode wte = both.get("tensors").get(0);
		List<Double> all = flatten(wte.get("data"));
		assertThat(all).hasSize(800);
		double mean = all.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
		assertThat(Math.abs(wte.get("stats").get("mean").asDouble() - mean)).isGreaterThan(1e-12);
	}

	private static void assertDescribes(JsonNode stats, List<Double> values, String what) {
		double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
		double m2 = values.stream().mapToDouble((v) -> (v - mean) * (v - mean)).sum();
		assertThat(stats.get("min").asDouble()).as(what)
			.isEqualTo(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
		assertThat(stats.get("max").asDouble()).as(what)
			.isEqualTo(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
		assertThat(stats.get("mean").asDouble()).as(what).isCloseTo(mean, within(1e-15));
		assertThat(stats.get("std").asDouble()).as(what).isCloseTo(Math.sqrt(m2 / values.size()), within(1e-15));
	}

	private static List<Double> flatten(JsonNode data) {
		List<Double> out = new ArrayList<>();
		if (data.isArray()) {
			for (JsonNode d : data) {
				out.addAll(flatten(d));
			}
		}
		else {
			// float32 is written as its shortest decimal; the float it parses to is the
			// value
			out.add((double) (float) data.asDouble());
		}
		return out;
	}

	private JsonNode ok(String body) {
		MvcTestResult result = this.mvc.post()
			.uri(URI)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
		assertThat(result).hasStatus(HttpStatus.OK);
		return JSON.readTree(result.getResponse().getContentAsByteArray());
	}

}
