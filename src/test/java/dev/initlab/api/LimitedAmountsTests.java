package dev.initlab.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.initlab.problems.Limit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every integer field a configured limit bounds, at every endpoint, answers an amount
 * above its limit with the limit problem (the amount, the limit, the property), however
 * large the amount: within int, beyond int, beyond int64, and written as a float
 * ({@code 1e30}). Below the limit, a float stays a type error and a negative number
 * beyond int a range error (the negative controls).
 */
@SpringBootTest
@AutoConfigureMockMvc
class LimitedAmountsTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String EXPERIMENT = """
			{"seed": 1, "dataset": {"name": "planar_flower", "n_samples": %s, "test": {"n_samples": %s}},
			 "model": {"hidden_layers": [%s]}, "training": {"iterations": %s, "record_every": 1000},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
			""";

	static final String SYMMETRY_CHECK = """
			{"seed": 1, "layers": [{"name": "fc1", "type": "linear", "in_features": 2, "out_features": 4},
			                       {"name": "out", "type": "linear", "in_features": 4, "out_features": 1}],
			 "init": {"weight": {"scheme": "kaiming_normal"}},
			 "symmetry_check": {"dataset": {"name": "planar_flower", "n_samples": %s, "test": {"n_samples": %s}},
			                    "training": {"iterations": %s, "record_every": 1000}}}
			""";

	static final String PROPAGATION = """
			{"seed": 0, "depth": %s, "width": %s, "batch_size": %s,
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
			""";

	static final String PROPAGATION_BLOCK = """
			{"seed": 0, "depth": 2, "width": 8, "batch_size": 8,
			 "block": {"type": "residual", "branch_layers": %s},
			 "policies": [{"label": "he", "init": {"weight": {"scheme": "kaiming_normal"}}}]}
			""";

	/**
	 * One limited field: where it is, how to put a value there, its property and the
	 * limit application.properties gives it.
	 */
	record Field(String uri, String field, String template, int slot, int slots, String okValue, String property,
			long limit) {

		String body(String value) {
			Object[] values = new Object[this.slots];
			java.util.Arrays.fill(values, this.okValue);
			values[this.slot] = value;
			return this.template.formatted(values);
		}

		@Override
		public String toString() {
			return this.uri.substring(this.uri.lastIndexOf('/') + 1) + " " + this.field;
		}

	}

	static final List<Field> FIELDS = List.of(
			new Field("/api/v1/experiments", "dataset.n_samples", EXPERIMENT, 0, 4, "100",
					"initlab.experiments.max-samples", 10000),
			new Field("/api/v1/experiments", "dataset.test.n_samples", EXPERIMENT, 1, 4, "100",
					"initlab.experiments.max-samples", 10000),
			new Field("/api/v1/experiments", "model.hidden_layers[0]", EXPERIMENT, 2, 4, "100",
					"initlab.experiments.max-width", 256),
			new Field("/api/v1/experiments", "training.iterations", EXPERIMENT, 3, 4, "100",
					"initlab.experiments.max-iterations", 100000),
			new Field("/api/v1/initializations", "symmetry_check.dataset.n_samples", SYMMETRY_CHECK, 0, 3, "100",
					"initlab.experiments.max-samples", 10000),
			new Field("/api/v1/initializations", "symmetry_check.dataset.test.n_samples", SYMMETRY_CHECK, 1, 3, "100",
					"initlab.experiments.max-samples", 10000),
			new Field("/api/v1/initializations", "symmetry_check.training.iterations", SYMMETRY_CHECK, 2, 3, "100",
					"initlab.experiments.max-iterations", 100000),
			new Field("/api/v1/propagation", "depth", PROPAGATION, 0, 3, "8", "initlab.propagation.max-depth", 500),
			new Field("/api/v1/propagation", "width", PROPAGATION, 1, 3, "8", "initlab.propagation.max-width", 2048),
			new Field("/api/v1/propagation", "batch_size", PROPAGATION, 2, 3, "8", "initlab.propagation.max-batch",
					4096),
			new Field("/api/v1/propagation", "block.branch_layers", PROPAGATION_BLOCK, 0, 1, "2",
					"initlab.propagation.max-branch-layers", 8));

	/** Amounts above every limit, as written in the body. */
	static final List<String> TOO_LARGE = List.of("2147483648", "1000000000000", "10000000000000",
			"9223372036854775808", "1000000000000000000000000000000", "1e30", "1.5E+30", "1e300", "123456.5");

	static Stream<Arguments> tooLarge() {
		List<Arguments> cases = new ArrayList<>();
		for (Field field : FIELDS) {
			cases.add(Arguments.of(field, Long.toString(field.limit() + 1)));
			for (String value : TOO_LARGE) {
				cases.add(Arguments.of(field, value));
			}
		}
		return cases.stream();
	}

	static Stream<Arguments> fields() {
		return FIELDS.stream().map(Arguments::of);
	}

	@Autowired
	MockMvcTester mvc;

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("tooLarge")
	void anAmountAboveTheLimitGetsTheLimitProblem(Field field, String value) {
		MvcTestResult result = post(field.uri(), field.body(value));
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		JsonNode body = json(result);
		assertThat(body.get("type").asString()).as(body.toString()).endsWith("/limit-exceeded");
		assertThat(body.get("property").asString()).isEqualTo(field.property());
		assertThat(body.get("limit").asLong()).isEqualTo(field.limit());
		BigDecimal requested = body.get("requested").decimalValue();
		assertThat(requested).isGreaterThanOrEqualTo(new BigDecimal(value));
		if (!field.field().endsWith("test.n_samples")) {
			// (the test set's limit counts training and test samples together)
			assertThat(requested).isEqualByComparingTo(new BigDecimal(value));
		}
		assertThat(body.get("detail").asString()).contains(Long.toString(field.limit())).contains(field.property());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fields")
	void belowTheLimitAFloatIsStillATypeErrorNamingTheField(Field field) {
		MvcTestResult result = post(field.uri(), field.body("2.5"));
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		JsonNode body = json(result);
		assertThat(body.get("type").asString()).endsWith("/invalid-request");
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo(field.field());
		assertThat(body.get("errors").get(0).get("message").asString()).contains("an integer");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fields")
	void aNegativeAmountBeyondIntIsARangeErrorNamingTheField(Field field) {
		MvcTestResult result = post(field.uri(), field.body("-10000000000000"));
		assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
		JsonNode body = json(result);
		assertThat(body.get("type").asString()).endsWith("/invalid-request");
		assertThat(body.get("errors").get(0).get("field").asString()).isEqualTo(field.field());
		assertThat(body.get("errors").get(0).get("message").asString()).contains("-10000000000000")
			.contains("-2147483648");
	}

	/**
	 * The table above is every {@link Limit} field of every request body: a field marked
	 * later without a row here fails this test.
	 */
	@org.junit.jupiter.api.Test
	void theTableCoversEveryLimitedField() {
		java.util.Set<String> marked = new java.util.TreeSet<>();
		limitedFields(dev.initlab.api.InitializationRequest.class, "", marked, 0);
		limitedFields(dev.initlab.experiments.ExperimentRequest.class, "", marked, 0);
		limitedFields(dev.initlab.experiments.PropagationRequest.class, "", marked, 0);
		assertThat(marked).containsExactlyInAnyOrderElementsOf(
				FIELDS.stream().map(f -> f.field().replace("[0]", "")).collect(java.util.stream.Collectors.toSet()));
	}

	/** The JSON paths of the {@link Limit} components reachable from a request record. */
	private static void limitedFields(Class<?> type, String prefix, java.util.Set<String> out, int depth) {
		if (!type.isRecord() || depth > 8) {
			return;
		}
		for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
			String path = prefix + ProblemDetailsAdvice.snakeCase(component.getName());
			if (component.isAnnotationPresent(Limit.class)) {
				out.add(path);
			}
			Class<?> next = component.getType();
			if (java.util.List.class.isAssignableFrom(next)
					&& component.getGenericType() instanceof java.lang.reflect.ParameterizedType list
					&& list.getActualTypeArguments()[0] instanceof Class<?> element) {
				next = element;
			}
			limitedFields(next, path + ".", out, depth + 1);
		}
	}

	private MvcTestResult post(String uri, String body) {
		return this.mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private static JsonNode json(MvcTestResult result) {
		return JSON.readTree(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8));
	}

}
