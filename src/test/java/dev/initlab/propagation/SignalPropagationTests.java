package dev.initlab.propagation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LSUV on stacks of non-square layers. Everything here is deterministic (fixed seeds) and
 * the assertions are exact consequences of the algorithm, not statistical: LSUV stops
 * only when the output variance on the batch is within the tolerance, so the checks
 * recompute that variance independently.
 */
class SignalPropagationTests {

	static final SignalPropagation.Nonlinearity TANH = new SignalPropagation.Nonlinearity("tanh", (z, out, n) -> {
		for (int s = 0; s < n; s++) {
			out[s] = Math.tanh(z[s]);
		}
	}, (d, z, a, n) -> {
		for (int s = 0; s < n; s++) {
			d[s] *= 1 - a[s] * a[s];
		}
	}, true);

	/** Widths 7 → 20 → 13 → 3: widening, narrowing, and a narrow last layer. */
	static final int[] SIZES = { 7, 20, 13, 3 };

	@Test
	void lsuvBringsEveryNonSquareLayersOutputVarianceToOneWithinTheTolerance() {
		double[][] x = batch(SIZES[0], 64, 1);
		List<double[]> w = weights(SIZES, 3.0, 2);
		List<double[]> b = biases(SIZES, 0.5, 3);
		// negative control: before LSUV (std-3 weights, std-0.5 biases) no layer is
		// within the tolerance
		double[] before = outputVariances(w, b, x);
		for (double v : before) {
			assertThat(Math.abs(v - 1)).isGreaterThan(0.05);
		}
		SignalPropagation.Lsuv lsuv = new SignalPropagation.Lsuv(0.05, 10);
		List<Integer> iterations = SignalPropagation.lsuv(w, b, x, TANH, List.of(lsuv, lsuv, lsuv));
		double[] after = outputVariances(w, b, x);
		for (int l = 0; l < after.length; l++) {
			assertThat(Math.abs(after[l] - 1)).as("layer %d", l + 1).isLessThanOrEqualTo(0.05);
		}
		// on a fixed batch one rescaling is exact (W a + b is linear in W and b)
		assertThat(iterations).containsExactly(1, 1, 1);
	}

	@Test
	void layersWithoutSettingsAreLeftAsTheyAreButTheBatchStillFlowsThroughThem() {
		double[][] x = batch(SIZES[0], 64, 4);
		List<double[]> w = weights(SIZES, 3.0, 5);
		List<double[]> b = biases(SIZES, 0.0, 6);
		double[] middle = w.get(1).clone();
		List<Integer> iterations = SignalPropagation.lsuv(w, b, x, TANH,
				Arrays.asList(new SignalPropagation.Lsuv(0.05, 10), null, new SignalPropagation.Lsuv(0.05, 10)));
		assertThat(iterations).containsExactly(1, null, 1);
		assertThat(w.get(1)).containsExactly(middle);
		double[] after = outputVariances(w, b, x);
		assertThat(Math.abs(after[0] - 1)).isLessThanOrEqualTo(0.05);
		assertThat(Math.abs(after[1] - 1)).isGreaterThan(0.05);
		// the last layer was rescaled on what the untouched middle layer really outputs
		assertThat(Math.abs(after[2] - 1)).isLessThanOrEqualTo(0.05);
	}

	@Test
	void aLayerAlreadyWithinTheToleranceIsNotRescaled() {
		double[][] x = batch(4, 32, 7);
		List<double[]> w = new ArrayList<>(List.of(new double[] { 1, 0, 0, 0, 0, 1, 0, 0 }));
		double[] copy = w.get(0).clone();
		double v = outputVariances(w, Arrays.asList((double[]) null), x)[0];
		// outputs are x's first two rows: variance near 1 but not exactly
		List<Integer> iterations = SignalPropagation.lsuv(w, Arrays.asList((double[]) null), x, TANH,
				List.of(new SignalPropagation.Lsuv(Math.abs(v - 1) + 1e-9, 10)));
		assertThat(iterations).containsExactly(0);
		assertThat(w.get(0)).containsExactly(copy);
	}

	@Test
	void aWeightThatDoesNotFitItsInputIsRefused() {
		double[][] x = batch(7, 8, 8);
		List<double[]> w = List.of(new double[7 * 5], new double[6 * 2]);
		List<double[]> b = Arrays.asList(null, null);
		SignalPropagation.Lsuv lsuv = new SignalPropagation.Lsuv(0.1, 10);
		assertThatThrownBy(() -> SignalPropagation.lsuv(w, b, x, TANH, List.of(lsuv, lsuv)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("input of width 5");
		assertThatThrownBy(() -> new SignalPropagation.Lsuv(1.0, 10)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> new SignalPropagation.Lsuv(0.1, 0)).isInstanceOf(IllegalArgumentException.class);
	}

	/** Population variance of W a + b over units and samples, layer by layer. */
	static double[] outputVariances(List<double[]> w, List<double[]> b, double[][] x) {
		double[] variances = new double[w.size()];
		double[][] a = x;
		for (int l = 0; l < w.size(); l++) {
			int in = a.length;
			int out = w.get(l).length / in;
			int m = a[0].length;
			double[][] z = new double[out][m];
			double sum = 0;
			for (int i = 0; i < out; i++) {
				for (int s = 0; s < m; s++) {
					double v = (b.get(l) != null) ? b.get(l)[i] : 0;
					for (int k = 0; k < in; k++) {
						v += w.get(l)[i * in + k] * a[k][s];
					}
					z[i][s] = v;
					sum += v;
				}
			}
			double mean = sum / (out * m);
			double ss = 0;
			for (double[] row : z) {
				for (double v : row) {
					ss += (v - mean) * (v - mean);
				}
			}
			variances[l] = ss / (out * m);
			double[][] next = new double[out][m];
			for (int i = 0; i < out; i++) {
				for (int s = 0; s < m; s++) {
					next[i][s] = Math.tanh(z[i][s]);
				}
			}
			a = next;
		}
		return variances;
	}

	static double[][] batch(int features, int samples, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		double[][] x = new double[features][samples];
		for (double[] row : x) {
			for (int s = 0; s < samples; s++) {
				row[s] = gaussian(random);
			}
		}
		return x;
	}

	static List<double[]> weights(int[] sizes, double std, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<double[]> w = new ArrayList<>();
		for (int l = 1; l < sizes.length; l++) {
			double[] wl = new double[sizes[l] * sizes[l - 1]];
			for (int i = 0; i < wl.length; i++) {
				wl[i] = std * gaussian(random);
			}
			w.add(wl);
		}
		return w;
	}

	static List<double[]> biases(int[] sizes, double std, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		List<double[]> b = new ArrayList<>();
		for (int l = 1; l < sizes.length; l++) {
			double[] bl = new double[sizes[l]];
			for (int i = 0; i < bl.length; i++) {
				bl[i] = std * gaussian(random);
			}
			b.add(bl);
		}
		return b;
	}

	/** Box–Muller, so the test depends on nothing but the JDK's SplittableRandom. */
	private static double gaussian(SplittableRandom random) {
		return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
	}

}
