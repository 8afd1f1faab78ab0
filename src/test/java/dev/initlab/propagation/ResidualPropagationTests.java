package dev.initlab.propagation;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.rng.Generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The residual pass's backward against central finite differences, and the exact
 * properties of LayerNorm. Deterministic (fixed seeds): the tolerances bound the finite
 * difference's own error, not sampling.
 *
 * <p>
 * Central differences with step h have truncation error h²/6·|f'''| and rounding error
 * about ε·|f|/h (ε = 2.2e-16): with h = 1e-5 and O(1) values both are below 1e-9, so 1e-7
 * (relative to the gradient's largest entry) is a bound a correct backward cannot miss
 * and a wrong one (a dropped term is O(1)) cannot meet.
 */
class ResidualPropagationTests {

	static final SignalPropagation.Nonlinearity TANH = SignalPropagationTests.TANH;

	static final double H = 1e-5;

	static final SignalPropagation.Nonlinearity RELU = new SignalPropagation.Nonlinearity("relu", (z, out, n) -> {
		for (int s = 0; s < n; s++) {
			out[s] = Math.max(z[s], 0);
		}
	}, (d, z, a, n) -> {
		for (int s = 0; s < n; s++) {
			d[s] *= (z[s] > 0) ? 1 : 0;
		}
	}, false);

	/**
	 * PyTorch's own blocks (torch.nn.Linear, torch.nn.LayerNorm at init, autograd) on 3
	 * blocks of width 6, for each norm and activation: the fixture and the script that
	 * wrote it are in src/test/resources/reference (make_residual_propagation.py). Both
	 * sides compute in float64 with the same operations in a different order (BLAS vs
	 * loops), so they agree to rounding: 1e-12 relative to the largest value is a hundred
	 * times the rounding of these few dozen operations per value, and far below any
	 * mistake (a misplaced LN, a missing α or eps is ≥ 1e-6).
	 */
	@Test
	void blocksAndTheirBackwardMatchPyTorch() throws Exception {
		JsonNode fixture;
		try (InputStream in = getClass().getResourceAsStream("/reference/residual_propagation.json")) {
			assertThat(in).as("reference/residual_propagation.json on the test class path").isNotNull();
			fixture = JsonMapper.builder().build().readTree(in);
		}
		assertThat(fixture.get("cases")).hasSize(6);
		for (JsonNode c : fixture.get("cases")) {
			Residual block = new Residual(c.get("branch_layers").asInt(),
					Residual.Norm.byName(c.get("norm").asString()).orElseThrow(), c.get("alpha").asDouble());
			SignalPropagation.Nonlinearity f = "relu".equals(c.get("activation").asString()) ? RELU : TANH;
			List<double[]> w = new ArrayList<>();
			List<double[]> b = new ArrayList<>();
			c.get("weights").forEach((n) -> w.add(vector(n)));
			c.get("biases").forEach((n) -> b.add(vector(n)));
			String what = c.get("norm").asString() + ", " + c.get("activation").asString();
			int blocks = c.get("outputs").size();
			List<double[][]> inputs = new ArrayList<>();
			double[][] x = matrix(c.get("x"));
			for (int k = 0; k < blocks; k++) {
				inputs.add(x);
				x = ResidualPropagation.blockForward(w, b, f, block, k, x);
				assertThat(maxRelativeError(x, matrix(c.get("outputs").get(k)))).as("%s, block %d", what, k + 1)
					.isLessThan(1e-12);
			}
			double[][] g = matrix(c.get("g"));
			for (int k = blocks - 1; k >= 0; k--) {
				g = ResidualPropagation.blockBackward(w, b, f, block, k, inputs.get(k), g);
				if (k == blocks - 1) {
					assertThat(maxRelativeError(g, matrix(c.get("grad_last_input")))).as(what).isLessThan(1e-12);
				}
			}
			assertThat(maxRelativeError(g, matrix(c.get("grad_input")))).as(what).isLessThan(1e-12);
			// negative control: the same blocks with the other norm placement differ
			Residual other = new Residual(block.branchLayers(),
					(block.norm() == Residual.Norm.PRE_LN) ? Residual.Norm.POST_LN : Residual.Norm.PRE_LN,
					block.alpha());
			double[][] wrong = ResidualPropagation.blockForward(w, b, f, other, 0, matrix(c.get("x")));
			assertThat(maxRelativeError(wrong, matrix(c.get("outputs").get(0)))).as(what).isGreaterThan(1e-3);
		}
	}

	private static double[] vector(JsonNode node) {
		double[] v = new double[node.size()];
		for (int i = 0; i < v.length; i++) {
			v[i] = node.get(i).asDouble();
		}
		return v;
	}

	private static double[][] matrix(JsonNode node) {
		double[][] m = new double[node.size()][];
		for (int i = 0; i < m.length; i++) {
			m[i] = vector(node.get(i));
		}
		return m;
	}

	@Test
	void layerNormBackwardMatchesFiniteDifferences() {
		double[][] x = SignalPropagationTests.batch(7, 3, 11);
		double[][] gu = SignalPropagationTests.batch(7, 3, 12);
		// L = Σ gu · LN(x), so ∂L/∂x is LN's backward of gu
		double[][] analytic = ResidualPropagation.LayerNorm.of(x).backward(gu);
		double[][] numeric = numericGradient(x, (v) -> dot(gu, ResidualPropagation.LayerNorm.of(v).u));
		assertClose(analytic, numeric);
		// negative control: without the u · mean(gu · u) term (LN as if its std were
		// fixed) the same check fails
		ResidualPropagation.LayerNorm ln = ResidualPropagation.LayerNorm.of(x);
		double[][] wrong = new double[7][3];
		for (int s = 0; s < 3; s++) {
			double mean = 0;
			for (int i = 0; i < 7; i++) {
				mean += gu[i][s] / 7;
			}
			for (int i = 0; i < 7; i++) {
				wrong[i][s] = ln.inverseStd[s] * (gu[i][s] - mean);
			}
		}
		assertThat(maxRelativeError(wrong, numeric)).isGreaterThan(1e-2);
	}

	@Test
	void layerNormIsTorchsAtInitBiasedVarianceAndEps() {
		// one sample of 4 units: 1, 2, 3, 4 — mean 2.5, biased variance 1.25
		double[][] x = { { 1 }, { 2 }, { 3 }, { 4 } };
		double[][] u = ResidualPropagation.LayerNorm.of(x).u;
		double r = 1 / Math.sqrt(1.25 + 1e-5);
		// torch 2.13: torch.nn.LayerNorm(4, dtype=torch.float64)(torch.tensor([[1., 2.,
		// 3., 4.]], dtype=torch.float64)) = [-1.3416354199689269, -0.447211806656309,
		// 0.447211806656309, 1.3416354199689269]
		assertThat(u[0][0]).isCloseTo(-1.5 * r, within(1e-15)).isCloseTo(-1.3416354199689269, within(1e-15));
		assertThat(u[1][0]).isCloseTo(-0.447211806656309, within(1e-15));
		assertThat(u[3][0]).isCloseTo(1.3416354199689269, within(1e-15));
		// negative control: without eps the first value differs in the 6th digit
		assertThat(Math.abs(-1.5 / Math.sqrt(1.25) - u[0][0])).isGreaterThan(1e-6);
	}

	@ParameterizedTest
	@EnumSource(Residual.Norm.class)
	void eachBlocksBackwardMatchesFiniteDifferences(Residual.Norm norm) {
		int width = 6;
		int batch = 4;
		for (int m = 1; m <= 3; m++) {
			Residual block = new Residual(m, norm, 0.7);
			List<double[]> w = new ArrayList<>();
			List<double[]> b = new ArrayList<>();
			SplittableRandom random = new SplittableRandom(20 + m);
			// two blocks; block 1 is checked, so the indexing past block 0 is too
			for (int l = 0; l < 2 * m; l++) {
				double[] wl = new double[width * width];
				Arrays.setAll(wl, (i) -> (random.nextDouble() - 0.5) * 1.2);
				w.add(wl);
				double[] bl = new double[width];
				Arrays.setAll(bl, (i) -> (random.nextDouble() - 0.5) * 0.2);
				b.add(bl);
			}
			double[][] x = SignalPropagationTests.batch(width, batch, 30 + m);
			double[][] g = SignalPropagationTests.batch(width, batch, 40 + m);
			double[][] analytic = ResidualPropagation.blockBackward(w, b, TANH, block, 1, x, g);
			double[][] numeric = numericGradient(x,
					(v) -> dot(g, ResidualPropagation.blockForward(w, b, TANH, block, 1, v)));
			assertThat(maxRelativeError(analytic, numeric)).as("%s, %d branch layers", norm, m).isLessThan(1e-7);
			// negative control: the gradient of the same block with another alpha
			Residual other = new Residual(m, norm, 0.6);
			double[][] wrong = ResidualPropagation.blockBackward(w, b, TANH, other, 1, x, g);
			assertThat(maxRelativeError(wrong, numeric)).as("%s, %d branch layers", norm, m).isGreaterThan(1e-3);
		}
	}

	@Test
	void theStatsHaveOneEntryPerBlockAndTheLastBlocksGradientIsTheDrawnOne() {
		int width = 8;
		int batch = 5;
		Residual block = new Residual(2, Residual.Norm.NONE, 1.0);
		List<double[]> w = new ArrayList<>();
		List<double[]> b = new ArrayList<>();
		for (int l = 0; l < 6; l++) {
			w.add(new double[width * width]);
			b.add(null);
		}
		double[][] x = SignalPropagationTests.batch(width, batch, 3);
		List<LayerStats> stats = ResidualPropagation.run(w, b, x, TANH, block, Generator.DEFAULT.sequential(1));
		assertThat(stats).extracting(LayerStats::layer).containsExactly(1, 2, 3);
		// zero branches: every block passes its input through, so the stats repeat
		double std = SignalPropagation.moments(x)[1];
		for (LayerStats s : stats) {
			assertThat(s.activationStd()).isEqualTo(std);
			assertThat(s.preactivationStd()).isZero();
			// the hidden tanh units output 0 on every sample: all dead
			assertThat(s.deadFraction()).isEqualTo(1.0);
			assertThat(s.saturationFraction()).isZero();
		}
		assertThat(stats.get(0).gradientStd()).isEqualTo(stats.get(2).gradientStd());
	}

	private static double[][] numericGradient(double[][] x, java.util.function.ToDoubleFunction<double[][]> loss) {
		double[][] grad = new double[x.length][x[0].length];
		for (int i = 0; i < x.length; i++) {
			for (int s = 0; s < x[0].length; s++) {
				double[][] plus = copy(x);
				double[][] minus = copy(x);
				plus[i][s] += H;
				minus[i][s] -= H;
				grad[i][s] = (loss.applyAsDouble(plus) - loss.applyAsDouble(minus)) / (2 * H);
			}
		}
		return grad;
	}

	private static double[][] copy(double[][] x) {
		double[][] out = new double[x.length][];
		for (int i = 0; i < x.length; i++) {
			out[i] = x[i].clone();
		}
		return out;
	}

	private static double dot(double[][] a, double[][] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++) {
			for (int s = 0; s < a[i].length; s++) {
				sum += a[i][s] * b[i][s];
			}
		}
		return sum;
	}

	private static void assertClose(double[][] analytic, double[][] numeric) {
		assertThat(maxRelativeError(analytic, numeric)).isLessThan(1e-7);
	}

	/** max |a − n| over max |n|. */
	private static double maxRelativeError(double[][] analytic, double[][] numeric) {
		double error = 0;
		double scale = 0;
		for (int i = 0; i < numeric.length; i++) {
			for (int s = 0; s < numeric[i].length; s++) {
				error = Math.max(error, Math.abs(analytic[i][s] - numeric[i][s]));
				scale = Math.max(scale, Math.abs(numeric[i][s]));
			}
		}
		return error / scale;
	}

}
