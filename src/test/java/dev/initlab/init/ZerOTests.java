package dev.initlab.init;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code hadamard}: ZerO initialization (Zhao, Schäfer and Anandkumar 2022, Algorithms 1
 * and 2) against {@code src/test/resources/reference/recipes/zero.json}, which
 * {@code make_zero.py} writes from the paper with NumPy and
 * {@code scipy.linalg.hadamard}. Every element is 0, 1 or ±c with c correctly rounded
 * (the script checks that), so the comparison is exact.
 */
class ZerOTests {

	private static final JsonNode FIXTURE = fixture();

	record Case(String label, int[] shape, String variant, Integer m, Double c, double[] values) {

		ParameterSpec spec() {
			return (this.shape.length == 2) ? Sampling.weight(this.label, this.shape)
					: Sampling.weight(this.label, null, 1, "conv" + (this.shape.length - 2) + "d", this.shape);
		}

		double[] fill(String variant) {
			ParameterSpec spec = spec();
			return Sampling.fill(InitSpec.of("hadamard", "variant", variant).resolve(spec), spec, 1L);
		}

		@Override
		public String toString() {
			return this.label + " " + this.variant;
		}

	}

	static Stream<Case> cases() {
		List<Case> cases = new ArrayList<>();
		for (JsonNode c : FIXTURE.get("cases")) {
			int[] shape = new int[c.get("shape").size()];
			for (int i = 0; i < shape.length; i++) {
				shape[i] = c.get("shape").get(i).asInt();
			}
			double[] values = new double[c.get("values").size()];
			for (int i = 0; i < values.length; i++) {
				values[i] = c.get("values").get(i).asDouble();
			}
			cases.add(new Case(c.get("label").asString(), shape, c.get("variant").asString(),
					c.get("m").isNull() ? null : c.get("m").asInt(), c.get("c").isNull() ? null : c.get("c").asDouble(),
					values));
		}
		return cases.stream();
	}

	static Stream<Case> tallCases() {
		return cases().filter((c) -> c.shape()[0] > c.shape()[1] && c.variant().equals("paper"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void matchesThePapersAlgorithmExactly(Case c) {
		double[] w = c.fill(c.variant());
		assertThat(w).containsExactly(c.values());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void resolvesTheConstructionAndReportsItsExactMoments(Case c) {
		ParameterSpec spec = c.spec();
		Initializer init = InitSpec.of("hadamard", "variant", c.variant()).resolve(spec);
		Map<String, Object> r = init.resolved();
		assertThat(r).containsEntry("scheme", "hadamard").containsEntry("variant", c.variant());
		if (c.m() != null) {
			assertThat(r).containsEntry("construction", "hadamard").containsEntry("m", c.m()).containsEntry("c", c.c());
		}
		else {
			assertThat(r).containsEntry("construction",
					(c.shape()[0] == c.shape()[1]) ? "identity" : "partial_identity");
		}
		double mean = 0;
		for (double v : c.values()) {
			mean += v;
		}
		mean /= c.values().length;
		double var = 0;
		for (double v : c.values()) {
			var += (v - mean) * (v - mean);
		}
		assertThat(init.expectedMean()).isCloseTo(mean, within(1e-15));
		assertThat(init.expectedStd()).isCloseTo(Math.sqrt(var / c.values().length), within(1e-15));
	}

	/**
	 * Negative control: the notebook's {@code c = 2^(-m/2)} is not the paper's
	 * {@code 2^(-(m-1)/2)}; in the tall case it differs from the reference in every
	 * non-zero element, by the factor {@code sqrt(2)}.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("tallCases")
	void theNotebookVariantIsNotThePapers(Case paper) {
		double[] notebook = paper.fill("notebook");
		assertThat(notebook).isNotEqualTo(paper.values());
		for (int i = 0; i < notebook.length; i++) {
			assertThat(notebook[i] * Math.sqrt(2.0)).isCloseTo(paper.values()[i], within(1e-15));
		}
	}

	@Test
	void aPowerOfTwoTallMatrixHasOrthogonalColumns() {
		// P = 2^m rows of H_m are orthogonal columns of norm^2 2^m, so W^T W = c^2 2^m I:
		// 2 I with the paper's c, I with the notebook's (written from the definition,
		// not from the fixture); c = 2^(-3/2) is rounded, so c^2 2^m is 2 within 16 ulps
		for (String variant : List.of("paper", "notebook")) {
			ParameterSpec spec = Sampling.weight("fc.weight", 16, 5);
			double[] w = Sampling.fill(InitSpec.of("hadamard", "variant", variant).resolve(spec), spec, 1L);
			double scale = variant.equals("paper") ? 2.0 : 1.0;
			for (int a = 0; a < 5; a++) {
				for (int b = 0; b < 5; b++) {
					double dot = 0;
					for (int i = 0; i < 16; i++) {
						dot += w[i * 5 + a] * w[i * 5 + b];
					}
					assertThat(dot).as("%s column %d . column %d", variant, a, b)
						.isCloseTo((a == b) ? scale : 0.0, within(1e-14));
				}
			}
		}
	}

	@Test
	void theFactorIsCorrectlyRoundedAndExactForEvenExponents() {
		assertThat(ZerO.ceilLog2(1)).isZero();
		assertThat(ZerO.ceilLog2(2)).isEqualTo(1);
		assertThat(ZerO.ceilLog2(6)).isEqualTo(3);
		assertThat(ZerO.ceilLog2(8)).isEqualTo(3);
		assertThat(ZerO.ceilLog2(9)).isEqualTo(4);
		assertThat(ZerO.factor(ZerO.Variant.PAPER, 3)).isEqualTo(0.5);
		assertThat(ZerO.factor(ZerO.Variant.PAPER, 4)).isEqualTo(Math.sqrt(0.5) / 2);
		assertThat(ZerO.factor(ZerO.Variant.NOTEBOOK, 4)).isEqualTo(0.25);
		assertThat(ZerO.factor(ZerO.Variant.PAPER, 1)).isEqualTo(1.0);
	}

	@Test
	void rejectsAVectorAndAnUnknownVariantNamingTheField() {
		ParameterSpec bias = new ParameterSpec("fc.bias", new int[] { 4 }, Role.BIAS, null, null, 1, new int[] { 4 },
				"linear", "bias", 1, -1);
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("hadamard").resolve(bias))
			.satisfies((e) -> assertThat(e.field()).isEqualTo("scheme"))
			.satisfies((e) -> assertThat(e.getMessage()).contains("'hadamard'", "fc.bias", "2-D"));
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("hadamard", "variant", "arxiv").resolve(Sampling.weight("fc.weight", 4, 2)))
			.satisfies((e) -> assertThat(e.field()).isEqualTo("variant"))
			.satisfies((e) -> assertThat(e.getMessage()).contains("paper, notebook"));
	}

	private static JsonNode fixture() {
		try (InputStream in = ZerOTests.class.getResourceAsStream("/reference/recipes/zero.json")) {
			assertThat(in).as("reference/recipes/zero.json on the test class path").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
