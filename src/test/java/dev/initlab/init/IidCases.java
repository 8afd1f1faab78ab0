package dev.initlab.init;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.UniformRealDistribution;

/**
 * The element-wise (iid) schemes, one row per configuration, with what each must resolve
 * to and the exact distribution it must sample. Every expected number is computed here
 * from the formulas of PyTorch's {@code torch/nn/init.py} and Keras's
 * {@code initializers/initializers.py}, as written there; nothing is read back from the
 * production code.
 */
final class IidCases {

	/**
	 * Keras's and JAX's literal in {@code variance_scaling}: the std of N(0, 1) truncated
	 * to (-2, 2).
	 */
	static final double KERAS_TRUNCATED_STD = .87962566103423978;

	private IidCases() {
	}

	/**
	 * One configuration.
	 *
	 * @param label the case's name, also the tensor name (so each case has its own
	 * stream)
	 * @param spec the tensor
	 * @param init the request's initializer
	 * @param expected entries the resolved map must hold (numbers to 1e-12 relative)
	 * @param reference scale -> distribution of {@code mu + scale * (X - mu)}, X the
	 * exact distribution and mu its location: scale 1 is what must be sampled, scale 1.1
	 * the negative control (std 10% larger)
	 */
	record Case(String label, ParameterSpec spec, InitSpec init, Map<String, Object> expected,
			DoubleFunction<RealDistribution> reference) {

		Initializer resolve() {
			return this.init.resolve(this.spec);
		}

		RealDistribution exact() {
			return this.reference.apply(1.0);
		}

		@Override
		public String toString() {
			return this.label;
		}

	}

	/** PyTorch's {@code calculate_gain}, typed from torch/nn/init.py. */
	static double calculateGain(String nonlinearity, Double param) {
		return switch (nonlinearity) {
			case "linear", "sigmoid" -> 1;
			case "tanh" -> 5.0 / 3;
			case "relu" -> Math.sqrt(2.0);
			case "leaky_relu" -> {
				double negativeSlope = (param != null) ? param : 0.01;
				yield Math.sqrt(2.0 / (1 + Math.pow(negativeSlope, 2)));
			}
			default -> throw new IllegalArgumentException(nonlinearity);
		};
	}

	static List<Case> all() {
		List<Case> cases = new ArrayList<>();
		cases.addAll(uniformAndNormal());
		cases.addAll(truncatedNormal());
		cases.addAll(xavier());
		cases.addAll(kaiming());
		cases.addAll(lecun());
		cases.addAll(varianceScaling());
		return cases;
	}

	static List<Case> uniformAndNormal() {
		return List.of(
				new Case("uniform default", linear("uniform default"), InitSpec.of("uniform"),
						expect("scheme", "uniform", "low", 0.0, "high", 1.0), uniform(0, 1)),
				new Case("uniform(-0.3, 0.7)", linear("uniform(-0.3, 0.7)"),
						InitSpec.of("uniform", "low", -0.3, "high", 0.7),
						expect("scheme", "uniform", "low", -0.3, "high", 0.7), uniform(-0.3, 0.7)),
				new Case("normal default", linear("normal default"), InitSpec.of("normal"),
						expect("scheme", "normal", "mean", 0.0, "std", 1.0), normal(0, 1)),
				new Case("normal(0.5, 0.02)", linear("normal(0.5, 0.02)"),
						InitSpec.of("normal", "mean", 0.5, "std", 0.02),
						expect("scheme", "normal", "mean", 0.5, "std", 0.02), normal(0.5, 0.02)));
	}

	/**
	 * PyTorch {@code trunc_normal_(mean, std, a, b)}, absolute bounds. The production
	 * sampler rejects when [a, b] holds at least 25% of the mass and inverts the CDF
	 * otherwise; both branches are covered, in both tails.
	 */
	static List<Case> truncatedNormal() {
		return List.of(truncated("truncated_normal default (rejection)", null, null, null, null),
				truncated("truncated_normal asymmetric (rejection)", 0.5, 2.0, -1.0, 4.0),
				truncated("truncated_normal far upper tail [3, 5] (inverse CDF)", 0.0, 1.0, 3.0, 5.0),
				truncated("truncated_normal far lower tail, alpha -6, beta -3 (inverse CDF)", 1.0, 0.5, -2.0, -0.5),
				truncated("truncated_normal narrow around 0 (inverse CDF)", 0.0, 1.0, -0.1, 0.15),
				// Beyond about 6 sigma, Phi(x) near 1 and erfcInv(x) = erfInv(1 - x) lose
				// every digit: these two once came out in 12 distinct values and all
				// equal
				// to a, with the upper tail's expected mean below a.
				truncated("truncated_normal upper tail [8, 9] sigma (inverse CDF)", 0.5, 0.01, 0.58, 0.59),
				truncated("truncated_normal lower tail [-12, -10] sigma (inverse CDF)", 0.0, 1.0, -12.0, -10.0));
	}

	private static Case truncated(String label, Double mean, Double std, Double a, Double b) {
		List<Object> params = new ArrayList<>();
		for (Object[] kv : new Object[][] { { "mean", mean }, { "std", std }, { "a", a }, { "b", b } }) {
			if (kv[1] != null) {
				params.add(kv[0]);
				params.add(kv[1]);
			}
		}
		// PyTorch's defaults: mean 0, std 1, a -2, b 2.
		double m = (mean != null) ? mean : 0.0;
		double s = (std != null) ? std : 1.0;
		double lo = (a != null) ? a : -2.0;
		double hi = (b != null) ? b : 2.0;
		return new Case(label, linear(label), InitSpec.of("truncated_normal", params.toArray()),
				expect("scheme", "truncated_normal", "mean", m, "std", s, "a", lo, "b", hi), truncated(m, s, lo, hi));
	}

	/**
	 * PyTorch: {@code std = gain * math.sqrt(2.0 / float(fan_in + fan_out))}; uniform:
	 * {@code a = math.sqrt(3.0) * std}.
	 */
	static List<Case> xavier() {
		List<Case> cases = new ArrayList<>();
		// linear: fan_in 300, fan_out 500; conv: fan_in 32*9 = 288, fan_out 128*9 = 1152
		record X(String scheme, String layer, long fanIn, long fanOut, Object[] params, double gain) {
		}
		for (X x : List.of(new X("xavier_uniform", "linear", 300, 500, new Object[0], 1.0),
				new X("xavier_uniform", "conv", 288, 1152, new Object[] { "gain", 0.5 }, 0.5), new X("xavier_uniform",
						"conv", 288, 1152, new Object[] { "nonlinearity", "tanh" }, calculateGain("tanh", null)),
				new X("xavier_normal", "linear", 300, 500, new Object[0], 1.0),
				new X("xavier_normal", "conv", 288, 1152, new Object[] { "nonlinearity", "relu" },
						calculateGain("relu", null)),
				new X("xavier_normal", "linear", 300, 500, new Object[] { "nonlinearity", "leaky_relu", "param", 0.2 },
						calculateGain("leaky_relu", 0.2)))) {
			String label = x.scheme() + " " + x.layer() + " " + List.of(x.params());
			ParameterSpec spec = x.layer().equals("linear") ? linear(label) : conv(label);
			double std = x.gain() * Math.sqrt(2.0 / (double) (x.fanIn() + x.fanOut()));
			boolean uniform = x.scheme().endsWith("uniform");
			Map<String, Object> expected = expect("scheme", x.scheme(), "fan_in", x.fanIn(), "fan_out", x.fanOut(),
					"gain", x.gain(), uniform ? "bound" : "std", uniform ? Math.sqrt(3.0) * std : std);
			cases.add(new Case(label, spec, InitSpec.of(x.scheme(), x.params()), expected,
					uniform ? uniform(-Math.sqrt(3.0) * std, Math.sqrt(3.0) * std) : normal(0, std)));
		}
		return cases;
	}

	/**
	 * PyTorch: {@code gain = calculate_gain(nonlinearity, a)},
	 * {@code std = gain / math.sqrt(fan)}; uniform: {@code bound = math.sqrt(3.0) * std}.
	 * Defaults a = 0, mode fan_in, nonlinearity the layer's activation, else leaky_relu.
	 */
	static List<Case> kaiming() {
		List<Case> cases = new ArrayList<>();
		record K(String scheme, String layer, String activation, String mode, String nonlinearity, Double a) {
		}
		for (K k : List.of(new K("kaiming_uniform", "linear", null, null, null, null),
				new K("kaiming_uniform", "conv", null, "fan_out", "relu", null),
				new K("kaiming_uniform", "conv", null, "fan_in", "leaky_relu", 0.2),
				new K("kaiming_uniform", "linear", null, "fan_out", "tanh", null),
				new K("kaiming_uniform", "linear", "tanh", null, null, null),
				new K("kaiming_normal", "linear", null, null, null, null),
				new K("kaiming_normal", "conv", null, "fan_out", "relu", null),
				new K("kaiming_normal", "linear", null, "fan_out", "leaky_relu", 0.1),
				new K("kaiming_normal", "conv", null, "fan_in", "tanh", null),
				new K("kaiming_normal", "conv", "relu", "fan_out", null, null))) {
			List<Object> params = new ArrayList<>();
			if (k.mode() != null) {
				params.addAll(List.of("mode", k.mode()));
			}
			if (k.nonlinearity() != null) {
				params.addAll(List.of("nonlinearity", k.nonlinearity()));
			}
			if (k.a() != null) {
				params.addAll(List.of("a", k.a()));
			}
			String label = k.scheme() + " " + k.layer() + " activation=" + k.activation() + " " + params;
			boolean linear = k.layer().equals("linear");
			ParameterSpec spec = linear ? Sampling.weight(label, k.activation(), 1, "linear", 500, 300)
					: Sampling.weight(label, k.activation(), 1, "conv2d", 128, 32, 3, 3);
			long fanIn = linear ? 300 : 288;
			long fanOut = linear ? 500 : 1152;
			String mode = (k.mode() != null) ? k.mode() : "fan_in";
			String nonlinearity = (k.nonlinearity() != null) ? k.nonlinearity()
					: (k.activation() != null) ? k.activation() : "leaky_relu";
			double a = (k.a() != null) ? k.a() : 0.0;
			double gain = calculateGain(nonlinearity, a);
			double std = gain / Math.sqrt(mode.equals("fan_in") ? fanIn : fanOut);
			boolean uniform = k.scheme().endsWith("uniform");
			double bound = Math.sqrt(3.0) * std;
			Map<String, Object> expected = expect("scheme", k.scheme(), "a", a, "mode", mode, "nonlinearity",
					nonlinearity, "fan_in", fanIn, "fan_out", fanOut, "gain", gain, uniform ? "bound" : "std",
					uniform ? bound : std);
			cases.add(new Case(label, spec, InitSpec.of(k.scheme(), params.toArray()), expected,
					uniform ? uniform(-bound, bound) : normal(0, std)));
		}
		return cases;
	}

	/**
	 * Keras {@code LecunUniform} = VarianceScaling(1, fan_in, uniform):
	 * {@code limit = math.sqrt(3.0 * scale)} after {@code scale /= max(1., fan_in)};
	 * initlab's {@code lecun_normal} is untruncated (JAX's
	 * {@code variance_scaling(1, "fan_in", "normal")}):
	 * {@code stddev = math.sqrt(scale)}.
	 */
	static List<Case> lecun() {
		List<Case> cases = new ArrayList<>();
		for (String scheme : List.of("lecun_uniform", "lecun_normal")) {
			for (String layer : List.of("linear", "conv")) {
				String label = scheme + " " + layer;
				boolean linear = layer.equals("linear");
				long fanIn = linear ? 300 : 288;
				double scale = 1.0 / Math.max(1.0, fanIn);
				boolean uniform = scheme.endsWith("uniform");
				double limit = Math.sqrt(3.0 * scale);
				double stddev = Math.sqrt(scale);
				cases.add(new Case(label, linear ? linear(label) : conv(label), InitSpec.of(scheme),
						expect("scheme", scheme, "fan_in", fanIn, "fan_out", linear ? 500L : 1152L,
								uniform ? "bound" : "std", uniform ? limit : stddev),
						uniform ? uniform(-limit, limit) : normal(0, stddev)));
			}
		}
		return cases;
	}

	/**
	 * Keras {@code VarianceScaling.__call__}: {@code scale /= max(1., n)}, n = fan_in,
	 * fan_out or (fan_in + fan_out) / 2; truncated_normal:
	 * {@code stddev = math.sqrt(scale) / .87962566103423978}, truncated at ±2 stddev;
	 * untruncated_normal: {@code stddev = math.sqrt(scale)}; uniform:
	 * {@code limit = math.sqrt(3.0 * scale)}.
	 */
	static List<Case> varianceScaling() {
		List<Case> cases = new ArrayList<>();
		double[] scales = { 2.0, 1.0, 0.5 };
		List<String> modes = List.of("fan_in", "fan_out", "fan_avg");
		int i = 0;
		for (String distribution : List.of("truncated_normal", "normal", "uniform")) {
			for (String mode : modes) {
				double scale = scales[i % 3];
				boolean linear = i % 2 == 0;
				i++;
				cases.add(varianceScaling(distribution, mode, scale, linear,
						new Object[] { "scale", scale, "mode", mode, "distribution", distribution }));
			}
		}
		cases.add(varianceScaling("normal", "fan_avg", 1.0, false,
				new Object[] { "mode", "fan_avg", "distribution", "untruncated_normal" }));
		cases.add(varianceScaling("truncated_normal", "fan_in", 1.0, true, new Object[0]));
		// Keras HeNormal = VarianceScaling(2.0, "fan_in", "truncated_normal"):
		// scale = 2.0 / max(1., fan_in); stddev = math.sqrt(scale) / .87962566103423978,
		// cut at ±2 stddev
		double he = Math.sqrt(2.0 / Math.max(1.0, 288)) / KERAS_TRUNCATED_STD;
		cases.add(new Case("he_truncated_normal conv", conv("he_truncated_normal conv"),
				InitSpec.of("he_truncated_normal"),
				expect("scheme", "he_truncated_normal", "fan_in", 288L, "fan_out", 1152L, "std", he),
				truncated(0, he, -2 * he, 2 * he)));
		return cases;
	}

	private static Case varianceScaling(String distribution, String mode, double scale, boolean linear,
			Object[] params) {
		String label = "variance_scaling " + (linear ? "linear " : "conv ") + List.of(params);
		long fanIn = linear ? 300 : 288;
		long fanOut = linear ? 500 : 1152;
		double n = switch (mode) {
			case "fan_in" -> fanIn;
			case "fan_out" -> fanOut;
			default -> (fanIn + fanOut) / 2.0;
		};
		double s = scale / Math.max(1.0, n);
		Map<String, Object> expected = expect("scheme", "variance_scaling", "scale", scale, "mode", mode,
				"distribution", distribution, "fan_in", fanIn, "fan_out", fanOut);
		DoubleFunction<RealDistribution> reference;
		switch (distribution) {
			case "truncated_normal" -> {
				double stddev = Math.sqrt(s) / KERAS_TRUNCATED_STD;
				expected.put("std", stddev);
				reference = truncated(0, stddev, -2 * stddev, 2 * stddev);
			}
			case "normal" -> {
				double stddev = Math.sqrt(s);
				expected.put("std", stddev);
				reference = normal(0, stddev);
			}
			default -> {
				double limit = Math.sqrt(3.0 * s);
				expected.put("bound", limit);
				reference = uniform(-limit, limit);
			}
		}
		return new Case(label, linear ? linear(label) : conv(label), InitSpec.of("variance_scaling", params), expected,
				reference);
	}

	/** A linear weight [500, 300]: fan_in 300, fan_out 500. */
	private static ParameterSpec linear(String name) {
		return Sampling.weight(name, 500, 300);
	}

	/** A conv2d weight [128, 32, 3, 3]: fan_in 288, fan_out 1152. */
	private static ParameterSpec conv(String name) {
		return Sampling.weight(name, null, 1, "conv2d", 128, 32, 3, 3);
	}

	private static Map<String, Object> expect(Object... keyValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], keyValues[i + 1]);
		}
		return map;
	}

	static DoubleFunction<RealDistribution> normal(double mean, double std) {
		return (scale) -> new NormalDistribution(mean, scale * std);
	}

	static DoubleFunction<RealDistribution> uniform(double low, double high) {
		double centre = (low + high) / 2;
		double half = (high - low) / 2;
		return (scale) -> (scale == 1.0) ? new UniformRealDistribution(low, high)
				: new UniformRealDistribution(centre - scale * half, centre + scale * half);
	}

	static DoubleFunction<RealDistribution> truncated(double mean, double std, double a, double b) {
		return (scale) -> new TruncatedNormalDistribution(mean, scale * std, mean + scale * (a - mean),
				mean + scale * (b - mean));
	}

}
