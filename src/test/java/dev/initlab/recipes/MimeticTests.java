package dev.initlab.recipes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.recipes.Mimetic.Coefficients;
import dev.initlab.recipes.Mimetic.Weights;
import dev.initlab.rng.NumpyPcg64Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Mimetic attention initialization (Trockman and Kolter 2023) against
 * {@code src/test/resources/reference/recipes/mimetic.json}, which
 * {@code make_mimetic.py} writes from the paper with NumPy: the same {@code Z}s, drawn
 * from {@code np.random.default_rng(seed).standard_normal} (our
 * {@link NumpyPcg64Stream}), and the paper's target products split by NumPy's (LAPACK)
 * SVD.
 * <p>
 * Tolerance: both SVDs are backward stable, {@code U S V^T = M + E} with
 * {@code ||E|| <= c d eps ||M||}; by Wedin's theorem the rank-{@code k} truncation then
 * moves by at most about {@code ||E|| (1 + 2 s_1 / (s_k - s_(k+1)))}. With a generous
 * {@code c = 16} this is the bound below, between 1e-14 and 1e-12 for these matrices;
 * every element of the difference is at most its spectral norm.
 */
class MimeticTests {

	private static final double EPS = Math.ulp(1.0);

	private static final JsonNode FIXTURE = fixture();

	record Case(int d, int heads, int headDim, long seed, Coefficients coefficients, JsonNode node) {

		@Override
		public String toString() {
			return "d " + this.d + ", heads " + this.heads + ", seed " + this.seed;
		}

		Weights initialize(Coefficients c) {
			return Mimetic.initialize(this.d, this.heads, this.headDim, c, new NumpyPcg64Stream(this.seed));
		}

		double[] qk(int head) {
			return values(this.node.get("qk").get(head));
		}

		double[] qkSingularValues(int head) {
			return values(this.node.get("qk_singular_values").get(head));
		}

		double[] vo() {
			return values(this.node.get("vo"));
		}

		double[] voSingularValues() {
			return values(this.node.get("vo_singular_values"));
		}

	}

	static Stream<Case> cases() {
		List<Case> cases = new ArrayList<>();
		for (JsonNode c : FIXTURE.get("cases")) {
			cases.add(
					new Case(c.get("d_model").asInt(), c.get("heads").asInt(), c.get("head_dim").asInt(),
							c.get("seed").asLong(), new Coefficients(c.get("alpha1").asDouble(),
									c.get("beta1").asDouble(), c.get("alpha2").asDouble(), c.get("beta2").asDouble()),
							c));
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void drawsTheReferencesZsInTheDocumentedOrder(Case c) {
		// Z1 of head 0..H-1, then Z2, each d x d row-major, standard normal / sqrt(d):
		// rebuilt from the stream alone and compared with NumPy's (the ziggurat's rare
		// tail draws call log1p, so allow an ulp)
		NumpyPcg64Stream stream = new NumpyPcg64Stream(c.seed());
		for (int h = 0; h <= c.heads(); h++) {
			double[] expected = values((h < c.heads()) ? c.node().get("z1").get(h) : c.node().get("z2"));
			double[][] m = Mimetic.target(stream, c.d(), 1.0, 0.0);
			for (int i = 0; i < c.d(); i++) {
				for (int j = 0; j < c.d(); j++) {
					double want = expected[i * c.d() + j];
					assertThat(m[i][j]).isCloseTo(want, within(2 * Math.ulp(want)));
				}
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void queryKeyProductOfEachHeadIsTheRankKTruncationOfTheReference(Case c) {
		Weights w = c.initialize(c.coefficients());
		for (int h = 0; h < c.heads(); h++) {
			double[] s = c.qkSingularValues(h);
			double tolerance = tolerance(c.d(), s, c.headDim());
			assertClose(queryKey(w, h), c.qk(h), tolerance, "head " + h);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void valueOutputProductIsTheReference(Case c) {
		Weights w = c.initialize(c.coefficients());
		assertClose(valueOutput(w), c.vo(), tolerance(c.d(), c.voSingularValues(), c.d()), "value-output");
	}

	/**
	 * Negative control: {@code alpha2 Z2 + beta2 I} (the sign of {@code beta2} swapped)
	 * must not pass the comparison with the paper's {@code alpha2 Z2 - beta2 I}: its
	 * diagonal is {@code 2 beta2 = 0.8} away, against a tolerance below 1e-12.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void swappingTheSignOfBeta2FailsTheComparison(Case c) {
		Coefficients p = c.coefficients();
		Weights swapped = c.initialize(new Coefficients(p.alpha1(), p.beta1(), p.alpha2(), -p.beta2()));
		double tolerance = tolerance(c.d(), c.voSingularValues(), c.d());
		double[] vo = valueOutput(swapped);
		assertThat(maxDifference(vo, c.vo())).isGreaterThan(1e9 * tolerance);
		// the swapped product is what its own sign says: the reference plus 2 beta2 I
		double[] shifted = c.vo().clone();
		for (int i = 0; i < c.d(); i++) {
			shifted[i * c.d() + i] += 2 * p.beta2();
		}
		assertClose(vo, shifted, 1e-12, "+beta2");
	}

	@Test
	void oneFullWidthHeadReproducesTheTargetItself() {
		// independent of the reference: with head_dim = d nothing is truncated, so
		// query^T key = alpha1 Z1 + beta1 I and (output value)^T = alpha2 Z2 - beta2 I,
		// with the Zs read back from a second stream of the same seed
		int d = 12;
		Coefficients c = new Coefficients(0.7, 0.7, 0.4, 0.4);
		Weights w = Mimetic.initialize(d, 1, d, c, new NumpyPcg64Stream(99));
		NumpyPcg64Stream again = new NumpyPcg64Stream(99);
		double[] m1 = flatten(Mimetic.target(again, d, c.alpha1(), c.beta1()));
		double[] m2 = flatten(Mimetic.target(again, d, c.alpha2(), -c.beta2()));
		assertClose(queryKey(w, 0), m1, 1e-12, "query-key");
		assertClose(valueOutput(w), m2, 1e-12, "value-output");
	}

	@Test
	void headsAreDrawnIndependently() {
		// a shared Z1 would give every head the same product; the paper's heads differ
		Weights w = Mimetic.initialize(16, 4, 4, Coefficients.DEFAULTS, new NumpyPcg64Stream(5));
		assertThat(maxDifference(queryKey(w, 0), queryKey(w, 1))).isGreaterThan(0.01);
	}

	@Test
	void isDeterministic() {
		Weights a = Mimetic.initialize(16, 2, 8, Coefficients.DEFAULTS, new NumpyPcg64Stream(3));
		Weights b = Mimetic.initialize(16, 2, 8, Coefficients.DEFAULTS, new NumpyPcg64Stream(3));
		assertThat(a.query()).containsExactly(b.query());
		assertThat(a.key()).containsExactly(b.key());
		assertThat(a.value()).containsExactly(b.value());
		assertThat(a.output()).containsExactly(b.output());
	}

	@Test
	void rejectsAHeadLayoutThePaperDoesNotDefine() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Mimetic.initialize(16, 4, 8, Coefficients.DEFAULTS, new NumpyPcg64Stream(1)))
			.withMessageContaining("heads * head_dim = d_model")
			.withMessageContaining("4 * 8 != 16");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Mimetic.initialize(0, 1, 0, Coefficients.DEFAULTS, new NumpyPcg64Stream(1)));
		assertThatIllegalArgumentException().isThrownBy(() -> new Coefficients(Double.NaN, 0.7, 0.4, 0.4));
	}

	/**
	 * {@code 16 d eps s_1 (1 + 2 s_1 / (s_k - s_(k+1)))}, the gap term only when
	 * {@code k < d}.
	 */
	private static double tolerance(int d, double[] s, int k) {
		double bound = 16 * d * EPS * s[0];
		return (k < s.length) ? bound * (1 + 2 * s[0] / (s[k - 1] - s[k])) : bound;
	}

	/**
	 * The paper's {@code W_q W_k^T} of head {@code h}: {@code query_h^T key_h} in
	 * {@code nn.Linear} layout.
	 */
	static double[] queryKey(Weights w, int h) {
		int d = w.dModel();
		int k = w.headDim();
		double[] p = new double[d * d];
		for (int i = 0; i < d; i++) {
			for (int j = 0; j < d; j++) {
				double sum = 0;
				for (int r = h * k; r < (h + 1) * k; r++) {
					sum += w.query()[r * d + i] * w.key()[r * d + j];
				}
				p[i * d + j] = sum;
			}
		}
		return p;
	}

	/** The paper's {@code W_v W_proj}: {@code (output value)^T} in nn.Linear layout. */
	static double[] valueOutput(Weights w) {
		int d = w.dModel();
		int inner = w.heads() * w.headDim();
		double[] p = new double[d * d];
		for (int i = 0; i < d; i++) {
			for (int j = 0; j < d; j++) {
				double sum = 0;
				for (int r = 0; r < inner; r++) {
					sum += w.value()[r * d + i] * w.output()[j * inner + r];
				}
				p[i * d + j] = sum;
			}
		}
		return p;
	}

	private static void assertClose(double[] actual, double[] expected, double tolerance, String what) {
		assertThat(actual).hasSameSizeAs(expected);
		assertThat(maxDifference(actual, expected)).as("%s: max |difference|, tolerance %s", what, tolerance)
			.isLessThanOrEqualTo(tolerance);
	}

	private static double maxDifference(double[] a, double[] b) {
		double max = 0;
		for (int i = 0; i < a.length; i++) {
			max = Math.max(max, Math.abs(a[i] - b[i]));
		}
		return max;
	}

	private static double[] flatten(double[][] m) {
		return Stream.of(m).flatMapToDouble(Arrays::stream).toArray();
	}

	private static double[] values(JsonNode array) {
		double[] v = new double[array.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = array.get(i).asDouble();
		}
		return v;
	}

	private static JsonNode fixture() {
		try (InputStream in = MimeticTests.class.getResourceAsStream("/reference/recipes/mimetic.json")) {
			assertThat(in).as("reference/recipes/mimetic.json on the test class path").isNotNull();
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
