package dev.initlab.init;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The schemes {@link IidCases} cannot test with a KS test: constants, and the schemes
 * whose elements depend on each other. One row per configuration: what it must resolve to
 * and a property every filled tensor must have, written from PyTorch's
 * {@code torch/nn/init.py} and Keras's definitions. Their detailed tests
 * ({@link OrthogonalTests}, {@link DiracTests}, {@link SparseTests}, ...) go further;
 * this table makes sure no scheme is left without one.
 */
final class WholeTensorCases {

	private WholeTensorCases() {
	}

	/** A property of the filled tensor (row-major, PyTorch layout). */
	@FunctionalInterface
	interface Check {

		void verify(double[] w);

	}

	/**
	 * One configuration.
	 *
	 * @param label the case's name, also the tensor name
	 * @param spec the tensor
	 * @param init the request's initializer
	 * @param expected entries the resolved map must hold, in this order
	 * @param check what every filled tensor satisfies
	 * @param deterministic whether the tensor draws nothing, so its moments are exactly
	 * the expected ones
	 */
	record Case(String label, ParameterSpec spec, InitSpec init, Map<String, Object> expected, Check check,
			boolean deterministic) {

		Initializer resolve() {
			return this.init.resolve(this.spec);
		}

		double[] fill(long seed) {
			Initializer init = resolve();
			if (init.fill() instanceof Fill.Elementwise e) {
				double[] out = new double[Math.toIntExact(this.spec.numel())];
				e.sample(Sampling.stream(seed, this.label), out, 0, out.length);
				return out;
			}
			return Sampling.fill(init, this.spec, seed);
		}

		@Override
		public String toString() {
			return this.label;
		}

	}

	static List<Case> all() {
		return List.of(
				new Case("zeros", Sampling.weight("zeros", 3, 4), InitSpec.of("zeros"), expect("scheme", "zeros"),
						(w) -> assertThat(w).containsOnly(0.0), true),
				new Case("ones", Sampling.weight("ones", 3, 4), InitSpec.of("ones"), expect("scheme", "ones"),
						(w) -> assertThat(w).containsOnly(1.0), true),
				new Case("constant 0.25", Sampling.weight("constant 0.25", 3, 4),
						InitSpec.of("constant", "value", 0.25), expect("scheme", "constant", "value", 0.25),
						(w) -> assertThat(w).containsOnly(0.25), true),
				// torch.nn.init.eye_: ones on the main diagonal of a 2-D tensor
				new Case("identity gain 2 [3, 5]", Sampling.weight("identity gain 2 [3, 5]", 3, 5),
						InitSpec.of("identity", "gain", 2.0), expect("scheme", "identity", "gain", 2.0), (w) -> {
							for (int i = 0; i < 3; i++) {
								for (int j = 0; j < 5; j++) {
									assertThat(w[i * 5 + j]).isEqualTo((i == j) ? 2.0 : 0.0);
								}
							}
						}, true),
				// torch.nn.init.dirac_: w[d, d, k // 2] = 1 for d < min(out, in)
				new Case("dirac conv1d [4, 2, 3]",
						Sampling.weight("dirac conv1d [4, 2, 3]", null, 1, "conv1d", 4, 2, 3), InitSpec.of("dirac"),
						expect("scheme", "dirac", "groups", 1, "gain", 1.0), (w) -> {
							for (int o = 0; o < 4; o++) {
								for (int i = 0; i < 2; i++) {
									for (int k = 0; k < 3; k++) {
										assertThat(w[(o * 2 + i) * 3 + k]).isEqualTo((o == i && k == 1) ? 1.0 : 0.0);
									}
								}
							}
						}, true),
				// Keras LSTM(unit_forget_bias=True): ones on the second of the four
				// blocks
				new Case("unit_forget_bias lstm bias [8]",
						new ParameterSpec("unit_forget_bias lstm bias [8]", new int[] { 8 }, Role.BIAS, null, null, 1,
								new int[] { 8 }, "lstm", "bias_ih_l0", 4, -1),
						InitSpec.of("unit_forget_bias"), expect("scheme", "unit_forget_bias"),
						(w) -> assertThat(w).containsExactly(0, 0, 1, 1, 0, 0, 0, 0), true),
				// torch.nn.init.orthogonal_: rows < cols, so the rows are orthonormal
				// times gain
				new Case("orthogonal gain 1.5 [4, 6]", Sampling.weight("orthogonal gain 1.5 [4, 6]", 4, 6),
						InitSpec.of("orthogonal", "gain", 1.5), expect("scheme", "orthogonal", "gain", 1.5),
						(w) -> assertGram(w, 4, 6, true, 1.5 * 1.5), false),
				// Xiao et al. 2018: zero but the spatial centre, an orthogonal [out, in]
				// with orthonormal columns (in <= out)
				new Case("delta_orthogonal conv2d [4, 3, 3, 3]",
						Sampling.weight("delta_orthogonal conv2d [4, 3, 3, 3]", null, 1, "conv2d", 4, 3, 3, 3),
						InitSpec.of("delta_orthogonal"), expect("scheme", "delta_orthogonal", "gain", 1.0), (w) -> {
							double[] centre = new double[4 * 3];
							for (int o = 0; o < 4; o++) {
								for (int i = 0; i < 3; i++) {
									for (int k = 0; k < 9; k++) {
										double v = w[(o * 3 + i) * 9 + k];
										if (k == 4) {
											centre[o * 3 + i] = v;
										}
										else {
											assertThat(v).isZero();
										}
									}
								}
							}
							assertGram(centre, 4, 3, false, 1.0);
						}, false),
				// torch.nn.init.sparse_: ceil(sparsity * rows) zeros in every column
				new Case("sparse 0.5 [6, 5]", Sampling.weight("sparse 0.5 [6, 5]", 6, 5),
						InitSpec.of("sparse", "sparsity", 0.5),
						expect("scheme", "sparse", "sparsity", 0.5, "std", 0.01), (w) -> {
							for (int c = 0; c < 5; c++) {
								int zeros = 0;
								for (int r = 0; r < 6; r++) {
									zeros += (w[r * 5 + c] == 0.0) ? 1 : 0;
								}
								assertThat(zeros).as("zeros in column %d", c).isEqualTo(3);
							}
						}, false),
				// ZerO (Zhao et al. 2022), Algorithm 1, P > Q: c * the top-left P x Q
				// block
				// of the Sylvester Hadamard matrix, m = ceil(log2 6) = 3, c =
				// 2^(-(m-1)/2)
				new Case("hadamard tall [6, 3]", Sampling.weight("hadamard tall [6, 3]", 6, 3), InitSpec.of("hadamard"),
						expect("scheme", "hadamard", "variant", "paper", "construction", "hadamard", "m", 3, "c", 0.5),
						(w) -> {
							for (int i = 0; i < 6; i++) {
								for (int j = 0; j < 3; j++) {
									assertThat(w[i * 3 + j]).isEqualTo((Integer.bitCount(i & j) % 2 == 0) ? 0.5 : -0.5);
								}
							}
						}, true));
	}

	/**
	 * {@code W Wᵀ} (rows) or {@code Wᵀ W} (columns) of a [rows, cols] matrix is
	 * {@code scale * I}.
	 */
	private static void assertGram(double[] w, int rows, int cols, boolean ofRows, double scale) {
		int n = ofRows ? rows : cols;
		for (int a = 0; a < n; a++) {
			for (int b = 0; b < n; b++) {
				double dot = 0;
				for (int k = 0; k < (ofRows ? cols : rows); k++) {
					dot += ofRows ? w[a * cols + k] * w[b * cols + k] : w[k * cols + a] * w[k * cols + b];
				}
				assertThat(dot).isCloseTo((a == b) ? scale : 0.0, within(1e-12));
			}
		}
	}

	private static Map<String, Object> expect(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return map;
	}

}
