package dev.initlab.init;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one variance-scaling rule behind {@code xavier_*}, {@code kaiming_*},
 * {@code lecun_*} and {@code variance_scaling}, as Keras's {@code VarianceScaling}:
 * {@code var = scale / n} with {@code n} = fan_in, fan_out or (fan_in + fan_out) / 2, and
 * <ul>
 * <li>{@code normal}: {@code std = sqrt(var)};
 * <li>{@code uniform}: {@code bound = sqrt(3 var)} (the variance of U(-b, b) is b²/3);
 * <li>{@code truncated_normal}: {@code sigma = sqrt(var) / 0.87962566103423978}, cut at
 * ±2 sigma, so the truncated std is {@code sqrt(var)}.
 * </ul>
 * A scheme of the family is one {@link Preset preset}: which of scale, mode and
 * distribution it fixes and which it reads from the request. Kaiming is
 * {@code scale = gain²} with the request's mode, Xavier {@code fan_avg} with
 * {@code scale = gain²}, LeCun {@code scale = 1}, {@code fan_in}.
 * <p>
 * The same numbers round differently in PyTorch ({@code std = gain / sqrt(fan)},
 * {@code bound = sqrt(3) * std}) and in Keras/JAX ({@code std = sqrt(scale / n)},
 * {@code bound = sqrt(3 * (scale / n))}); each preset follows the framework whose values
 * it reproduces ({@link Arithmetic}), and {@link #std} and {@link #bound} are the only
 * places either is computed.
 */
final class VarianceScaling {

	/**
	 * The standard deviation of N(0, 1) truncated to (-2, 2); Keras's and JAX's
	 * {@code variance_scaling} divide by it (the literal in both sources).
	 */
	static final double TRUNCATED_STD_OF_UNIT_NORMAL = 0.87962566103423978;

	private VarianceScaling() {
	}

	/** Which fan {@code n} is. */
	enum Mode {

		FAN_IN, FAN_OUT, FAN_AVG;

		String wireName() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Mode of(String wireName) {
			return valueOf(wireName.toUpperCase(Locale.ROOT));
		}

		double n(Fans f) {
			return switch (this) {
				case FAN_IN -> f.fanIn();
				case FAN_OUT -> f.fanOut();
				case FAN_AVG -> f.average();
			};
		}

	}

	/** The distribution of variance {@code scale / n}, with how NumPy draws it. */
	enum Distribution {

		TRUNCATED_NORMAL("truncated_normal", null),

		NORMAL("normal", "rng.normal(0, std, shape), the same values as np.random.randn(*shape) * std"),

		UNIFORM("uniform", "rng.uniform(-bound, bound, shape)");

		private final String wireName;

		private final String numpyRecipe;

		Distribution(String wireName, String numpyRecipe) {
			this.wireName = wireName;
			this.numpyRecipe = numpyRecipe;
		}

		String wireName() {
			return this.wireName;
		}

		/** How NumPy draws it from {@code rng}, or null when it cannot. */
		String numpyRecipe() {
			return this.numpyRecipe;
		}

		/** By wire name; {@code untruncated_normal} is JAX's name for {@code normal}. */
		static Distribution of(String wireName) {
			return wireName.equals("untruncated_normal") ? NORMAL : valueOf(wireName.toUpperCase(Locale.ROOT));
		}

	}

	/** Whose order of operations a preset follows, so its values are bit-identical. */
	enum Arithmetic {

		/** {@code torch/nn/init.py}: std from the gain, bound = sqrt(3) * std. */
		PYTORCH,

		/** Keras's and JAX's {@code VarianceScaling}: std and bound from scale / n. */
		KERAS

	}

	/**
	 * What a preset resolved from one request.
	 *
	 * @param arithmetic whose rounding to follow
	 * @param scale the variance numerator ({@code gain²} under
	 * {@link Arithmetic#PYTORCH}, which computes from {@code gain} instead)
	 * @param gain the gain ({@code sqrt(scale)}), reported under
	 * {@link Arithmetic#PYTORCH}
	 * @param mode which fan
	 * @param distribution which distribution
	 */
	record Choice(Arithmetic arithmetic, double scale, double gain, Mode mode, Distribution distribution) {

		static Choice pytorch(double gain, Mode mode, Distribution distribution) {
			return new Choice(Arithmetic.PYTORCH, gain * gain, gain, mode, distribution);
		}

		static Choice keras(double scale, Mode mode, Distribution distribution) {
			return new Choice(Arithmetic.KERAS, scale, Math.sqrt(scale), mode, distribution);
		}

	}

	/**
	 * Reads a preset's choice from a request, writing what it reports into the resolved
	 * map (before the fans).
	 */
	@FunctionalInterface
	interface Settings {

		Choice read(Scheme scheme, ParameterSpec p, Args args, Map<String, Object> resolved);

	}

	/**
	 * One scheme of the family.
	 *
	 * @param parameters what the request may set
	 * @param distributions the distributions it can draw from (one unless the request
	 * chooses)
	 * @param settings how it reads the request
	 */
	record Preset(List<Param> parameters, List<Distribution> distributions, Settings settings) {

		/** The catalog's {@code distribution}: the wire names, {@code |}-separated. */
		String distributionLabel() {
			return this.distributions.stream().map(Distribution::wireName).collect(Collectors.joining("|"));
		}

		/** How NumPy reproduces it, or null when it cannot. */
		String numpyRecipe() {
			if (this.distributions.size() == 1) {
				return this.distributions.get(0).numpyRecipe();
			}
			return "distribution " + this.distributions.stream()
				.map((d) -> d.wireName() + ": " + ((d.numpyRecipe() != null) ? d.numpyRecipe() : "no NumPy equivalent"))
				.collect(Collectors.joining("; "));
		}

		boolean reproducibleWithNumpy(Map<String, Object> resolved) {
			Distribution d = (this.distributions.size() == 1) ? this.distributions.get(0)
					: Distribution.of((String) resolved.get("distribution"));
			return d.numpyRecipe() != null;
		}

		Initializer resolve(Scheme scheme, ParameterSpec p, Args args) {
			Fans f = scheme.requireFans(p);
			Map<String, Object> r = scheme.base();
			Choice c = this.settings.read(scheme, p, args, r);
			Scheme.putFans(r, f);
			if (c.arithmetic() == Arithmetic.PYTORCH) {
				r.put("gain", c.gain());
			}
			return switch (c.distribution()) {
				case UNIFORM -> Scheme.uniform(r, bound(c, f));
				case NORMAL -> Scheme.normal(r, std(c, f));
				case TRUNCATED_NORMAL -> {
					double sigma = std(c, f) / TRUNCATED_STD_OF_UNIT_NORMAL;
					r.put("std", sigma);
					TruncatedNormal t = new TruncatedNormal(0.0, sigma, -2 * sigma, 2 * sigma);
					yield new Initializer(t, r, t.expectedMean(), t.expectedStd());
				}
			};
		}

	}

	/**
	 * The std of the untruncated normal of variance {@code scale / n}, rounded as the
	 * preset's framework rounds it.
	 */
	static double std(Choice c, Fans f) {
		return switch (c.arithmetic()) {
			// torch: std = gain * math.sqrt(2.0 / float(fan_in + fan_out)) (xavier),
			// std = gain / math.sqrt(fan) (kaiming)
			case PYTORCH -> (c.mode() == Mode.FAN_AVG) ? c.gain() * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()))
					: c.gain() / Math.sqrt(c.mode().n(f));
			// keras: scale /= max(1., n); stddev = math.sqrt(scale)
			case KERAS -> Math.sqrt(c.scale() / c.mode().n(f));
		};
	}

	/** The uniform bound {@code sqrt(3 var)}: the one place it is computed. */
	static double bound(Choice c, Fans f) {
		return switch (c.arithmetic()) {
			// torch: bound = math.sqrt(3.0) * std
			case PYTORCH -> Math.sqrt(3.0) * std(c, f);
			// keras: limit = math.sqrt(3.0 * scale), after scale /= n
			case KERAS -> Math.sqrt(3 * (c.scale() / c.mode().n(f)));
		};
	}

	/**
	 * PyTorch's {@code xavier_*_(tensor, gain)}: {@code fan_avg}, {@code scale = gain²},
	 * gain given or {@code calculate_gain(nonlinearity, param)}.
	 */
	static Preset xavier(Distribution distribution) {
		return new Preset(Scheme.scaleGainParams(), List.of(distribution),
				(scheme, p, args, r) -> Choice.pytorch(scheme.gain(args, r), Mode.FAN_AVG, distribution));
	}

	/**
	 * PyTorch's {@code kaiming_*_(tensor, a, mode, nonlinearity)}:
	 * {@code scale = calculate_gain(nonlinearity, a)²}; nonlinearity defaults to the
	 * layer's activation, else leaky_relu.
	 */
	static Preset kaiming(Distribution distribution) {
		List<Param> params = List.of(
				Param.number("a", 0.0, null, null, "negative slope of the rectifier after this layer (leaky_relu)"),
				Param.choice("mode", "fan_in", List.of("fan_in", "fan_out"),
						"fan_in preserves forward variance, fan_out backward"),
				Param.nonlinearity(null, "default: the layer's activation, else leaky_relu (gain sqrt(2) with a = 0)"));
		return new Preset(params, List.of(distribution), (scheme, p, args, r) -> {
			double a = args.number("a");
			String mode = args.string("mode");
			String nonlinearity = args.string("nonlinearity");
			if (nonlinearity == null) {
				nonlinearity = (p.activation() != null && Gain.isKnown(p.activation())) ? p.activation() : "leaky_relu";
			}
			r.put("a", a);
			r.put("mode", mode);
			r.put("nonlinearity", nonlinearity);
			// as calculate_gain(nonlinearity, a): only leaky_relu reads a
			double gain = Gain.of(nonlinearity, "leaky_relu".equals(nonlinearity) ? a : null);
			return Choice.pytorch(gain, Mode.of(mode), distribution);
		});
	}

	/**
	 * A Keras preset with fixed settings and no parameters ({@code LecunUniform},
	 * {@code HeNormal}, ...): the resolved map shows fans and std or bound.
	 */
	static Preset fixed(double scale, Mode mode, Distribution distribution) {
		return new Preset(List.of(), List.of(distribution),
				(scheme, p, args, r) -> Choice.keras(scale, mode, distribution));
	}

	/** Keras's/JAX's {@code VarianceScaling(scale, mode, distribution)} itself. */
	static Preset configurable() {
		List<Param> params = List.of(Param.number("scale", 1.0, 0.0, null, "scaling factor, > 0"),
				Param.choice("mode", "fan_in", List.of("fan_in", "fan_out", "fan_avg"), "which fan n is"),
				Param.choice("distribution", "truncated_normal",
						List.of("truncated_normal", "normal", "untruncated_normal", "uniform"),
						"truncated_normal (±2σ), normal (untruncated, JAX's meaning; Keras's \"normal\" is "
								+ "truncated_normal) or uniform"));
		return new Preset(params, Arrays.asList(Distribution.values()), (scheme, p, args, r) -> {
			double scale = args.number("scale");
			if (!(scale > 0)) {
				throw new InvalidInitializerException("scale", "scale of " + scheme.wireName() + " must be > 0");
			}
			String mode = args.string("mode");
			Distribution distribution = Distribution.of(args.string("distribution"));
			r.put("scale", scale);
			r.put("mode", mode);
			r.put("distribution", distribution.wireName());
			return Choice.keras(scale, Mode.of(mode), distribution);
		});
	}

}
