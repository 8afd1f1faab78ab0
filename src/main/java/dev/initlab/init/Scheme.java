package dev.initlab.init;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of initialization schemes. Each constant's formula, reference and
 * parameters are what {@code GET /api/v1/schemes} shows, so the catalog and the code
 * cannot drift.
 * <p>
 * Fans are always PyTorch's rule on the PyTorch-layout weight ({@link Fans});
 * {@code gain} comes from the one gain table ({@link Gain}).
 */
public enum Scheme {

	/** All zeros. Same as PyTorch {@code zeros_}, Keras {@code Zeros}. */
	ZEROS("zeros", List.of("zero"), List.of(), "w = 0", "PyTorch torch.nn.init.zeros_; Keras Zeros", "constant") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			return new Initializer(new Constant(0.0), base(), 0.0, 0.0);
		}
	},

	/** All ones. Same as PyTorch {@code ones_}, Keras {@code Ones}. */
	ONES("ones", List.of("one"), List.of(), "w = 1", "PyTorch torch.nn.init.ones_; Keras Ones", "constant") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			return new Initializer(new Constant(1.0), base(), 1.0, 0.0);
		}
	},

	/**
	 * Every element {@code value}. Same as PyTorch {@code constant_}, Keras
	 * {@code Constant}.
	 */
	CONSTANT("constant", List.of(), List.of(Param.requiredNumber("value", null, null, "the value of every element")),
			"w = value", "PyTorch torch.nn.init.constant_; Keras Constant", "constant") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			double value = args.number("value");
			Map<String, Object> r = base();
			r.put("value", value);
			return new Initializer(new Constant(value), r, value, 0.0);
		}
	},

	/**
	 * U(low, high). Same as PyTorch {@code uniform_} (defaults 0, 1); Keras RandomUniform
	 * defaults ±0.05.
	 */
	UNIFORM("uniform", List.of("random_uniform"),
			List.of(Param.number("low", 0.0, null, null, "lower bound (inclusive)"),
					Param.number("high", 1.0, null, null, "upper bound (exclusive), >= low")),
			"w ~ U(low, high)", "PyTorch torch.nn.init.uniform_ (Keras RandomUniform uses minval/maxval ±0.05)",
			"uniform") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			double low = args.number("low");
			double high = args.number("high");
			if (!(low <= high)) {
				throw new InvalidInitializerException("high", "high (" + high + ") must be >= low (" + low + ")");
			}
			Uniform u = new Uniform(low, high);
			Map<String, Object> r = base();
			r.put("low", low);
			r.put("high", high);
			return new Initializer(u, r, u.mean(), u.std());
		}
	},

	/**
	 * N(mean, std^2). Same as PyTorch {@code normal_} (defaults 0, 1); Keras RandomNormal
	 * (std 0.05).
	 */
	NORMAL("normal", List.of("random_normal"),
			List.of(Param.number("mean", 0.0, null, null, "mean"),
					Param.number("std", 1.0, 0.0, null, "standard deviation")),
			"w ~ N(mean, std^2)", "PyTorch torch.nn.init.normal_ (Keras RandomNormal defaults to stddev 0.05)",
			"normal") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			double mean = args.number("mean");
			double std = args.number("std");
			Map<String, Object> r = base();
			r.put("mean", mean);
			r.put("std", std);
			return new Initializer(new Normal(mean, std), r, mean, std);
		}
	},

	/**
	 * N(mean, std^2) truncated to [a, b], absolute bounds. Same as PyTorch
	 * {@code trunc_normal_} (defaults 0, 1, -2, 2). Keras TruncatedNormal cuts at mean ±
	 * 2 std instead.
	 */
	TRUNCATED_NORMAL("truncated_normal", List.of("trunc_normal"),
			List.of(Param.number("mean", 0.0, null, null, "mean of the normal before truncation"),
					Param.number("std", 1.0, 0.0, null, "std of the normal before truncation, > 0"),
					Param.number("a", -2.0, null, null, "lower cut-off, absolute (not in units of std)"),
					Param.number("b", 2.0, null, null, "upper cut-off, absolute, > a")),
			"w ~ N(mean, std^2) conditioned on a <= w <= b (exact: rejection or inverse CDF, never clipping)",
			"PyTorch torch.nn.init.trunc_normal_", "truncated_normal") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			double mean = args.number("mean");
			double std = args.number("std");
			double a = args.number("a");
			double b = args.number("b");
			if (!(std > 0)) {
				throw new InvalidInitializerException("std", "std of truncated_normal must be > 0");
			}
			if (!(a < b)) {
				throw new InvalidInitializerException("b", "b (" + b + ") must be > a (" + a + ")");
			}
			double alpha = (a - mean) / std;
			if (!(TruncatedNormal.mass(alpha, (b - mean) / std) >= Double.MIN_NORMAL)) {
				String message = "[a, b] = [" + a + ", " + b + "] lies more than about 37 std from the mean; "
						+ "its probability underflows double precision";
				throw new InvalidInitializerException((alpha > 0) ? "a" : "b", message);
			}
			TruncatedNormal t = new TruncatedNormal(mean, std, a, b);
			Map<String, Object> r = base();
			r.put("mean", mean);
			r.put("std", std);
			r.put("a", a);
			r.put("b", b);
			return new Initializer(t, r, t.expectedMean(), t.expectedStd());
		}
	},

	/**
	 * Glorot/Xavier uniform: {@code bound = gain * sqrt(6 / (fan_in + fan_out))},
	 * computed as PyTorch does, {@code sqrt(3) * (gain * sqrt(2 / (fan_in + fan_out)))}.
	 * Glorot and Bengio 2010, "Understanding the difficulty of training deep feedforward
	 * neural networks". Same as PyTorch {@code xavier_uniform_}, Keras
	 * {@code GlorotUniform} (no gain there).
	 */
	XAVIER_UNIFORM("xavier_uniform", List.of("glorot_uniform"), scaleGainParams(),
			"w ~ U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out))",
			"Glorot & Bengio 2010, AISTATS; PyTorch xavier_uniform_; Keras GlorotUniform", "uniform") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Fans f = requireFans(p);
			Map<String, Object> r = base();
			double gain = gain(args, r);
			putFans(r, f);
			r.put("gain", gain);
			// torch's order of operations, so the bound is bit-identical to
			// xavier_uniform_'s
			double std = gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut()));
			return uniform(r, Math.sqrt(3.0) * std);
		}
	},

	/**
	 * Glorot/Xavier normal, untruncated:
	 * {@code std = gain * sqrt(2 / (fan_in + fan_out))}. Same as PyTorch
	 * {@code xavier_normal_}. Keras {@code GlorotNormal} differs: it is truncated at ±2σ
	 * (use {@code variance_scaling} with {@code mode: fan_avg} for that).
	 */
	XAVIER_NORMAL("xavier_normal", List.of("glorot_normal"), scaleGainParams(),
			"w ~ N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))",
			"Glorot & Bengio 2010, AISTATS; PyTorch xavier_normal_ (Keras GlorotNormal is truncated)", "normal") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Fans f = requireFans(p);
			Map<String, Object> r = base();
			double gain = gain(args, r);
			putFans(r, f);
			r.put("gain", gain);
			return normal(r, gain * Math.sqrt(2.0 / (f.fanIn() + f.fanOut())));
		}
	},

	/**
	 * He/Kaiming uniform: {@code bound = gain * sqrt(3 / fan_mode)}, computed as PyTorch
	 * does, {@code sqrt(3) * (gain / sqrt(fan_mode))},
	 * {@code gain = calculate_gain(nonlinearity, a)}. He, Zhang, Ren and Sun 2015,
	 * "Delving Deep into Rectifiers", arXiv:1502.01852. Same as PyTorch
	 * {@code kaiming_uniform_}; Keras {@code HeUniform} is the case relu, fan_in.
	 */
	KAIMING_UNIFORM("kaiming_uniform", List.of("he_uniform"), kaimingParams(),
			"w ~ U(-bound, bound), bound = gain * sqrt(3 / fan_mode), gain = calculate_gain(nonlinearity, a)",
			"He et al. 2015, arXiv:1502.01852; PyTorch kaiming_uniform_; Keras HeUniform", "uniform") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Map<String, Object> r = base();
			double[] gainAndFan = kaiming(p, args, r);
			// torch's order of operations, so the bound is bit-identical to
			// kaiming_uniform_'s
			double std = gainAndFan[0] / Math.sqrt(gainAndFan[1]);
			return uniform(r, Math.sqrt(3.0) * std);
		}
	},

	/**
	 * He/Kaiming normal, untruncated: {@code std = gain / sqrt(fan_mode)}. He et al.
	 * 2015, arXiv:1502.01852. Same as PyTorch {@code kaiming_normal_}. Keras
	 * {@code HeNormal} differs: it is truncated at ±2σ.
	 */
	KAIMING_NORMAL("kaiming_normal", List.of("he_normal"), kaimingParams(),
			"w ~ N(0, std^2), std = gain / sqrt(fan_mode), gain = calculate_gain(nonlinearity, a)",
			"He et al. 2015, arXiv:1502.01852; PyTorch kaiming_normal_ (Keras HeNormal is truncated)", "normal") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Map<String, Object> r = base();
			double[] gainAndFan = kaiming(p, args, r);
			return normal(r, gainAndFan[0] / Math.sqrt(gainAndFan[1]));
		}
	},

	/**
	 * LeCun uniform: {@code bound = sqrt(3 / fan_in)}. LeCun, Bottou, Orr and Müller
	 * 1998, "Efficient BackProp". Same as Keras {@code LecunUniform}; PyTorch has none.
	 */
	LECUN_UNIFORM("lecun_uniform", List.of(), List.of(), "w ~ U(-bound, bound), bound = sqrt(3 / fan_in)",
			"LeCun et al. 1998, Efficient BackProp; Keras LecunUniform", "uniform") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Fans f = requireFans(p);
			Map<String, Object> r = base();
			putFans(r, f);
			return uniform(r, Math.sqrt(3.0 / f.fanIn()));
		}
	},

	/**
	 * LeCun normal, untruncated: {@code std = 1 / sqrt(fan_in)}. LeCun et al. 1998. Keras
	 * and JAX {@code lecun_normal} differ: truncated at ±2σ ({@code variance_scaling}
	 * gives that).
	 */
	LECUN_NORMAL("lecun_normal", List.of(), List.of(), "w ~ N(0, std^2), std = 1 / sqrt(fan_in)",
			"LeCun et al. 1998, Efficient BackProp (Keras/JAX lecun_normal is truncated)", "normal") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Fans f = requireFans(p);
			Map<String, Object> r = base();
			putFans(r, f);
			return normal(r, 1.0 / Math.sqrt(f.fanIn()));
		}
	},

	/**
	 * Keras/JAX variance scaling: {@code n = fan_in | fan_out | (fan_in + fan_out) / 2};
	 * {@code truncated_normal}: σ = sqrt(scale / n) / 0.87962566103423978, cut at ±2σ (so
	 * the truncated std is sqrt(scale / n)); {@code normal} (alias
	 * {@code untruncated_normal}): σ = sqrt(scale / n); {@code uniform}: bound = sqrt(3 *
	 * scale / n). Same as Keras {@code VarianceScaling} and
	 * {@code jax.nn.initializers.variance_scaling}; the constant 0.87962566103423978 is
	 * the std of N(0, 1) truncated to (-2, 2), from their sources. Difference: Keras
	 * reads {@code distribution="normal"} as {@code truncated_normal} (a Keras 1 alias);
	 * here, as in JAX, {@code normal} is untruncated, so Keras's "normal" is our
	 * {@code truncated_normal}.
	 */
	VARIANCE_SCALING("variance_scaling", List.of(),
			List.of(Param.number("scale", 1.0, 0.0, null, "scaling factor, > 0"),
					Param.choice("mode", "fan_in", List.of("fan_in", "fan_out", "fan_avg"), "which fan n is"),
					Param.choice("distribution", "truncated_normal",
							List.of("truncated_normal", "normal", "untruncated_normal", "uniform"),
							"truncated_normal (±2σ), normal (untruncated, JAX's meaning; Keras's \"normal\" is "
									+ "truncated_normal) or uniform")),
			"var = scale / n; truncated_normal: sigma = sqrt(var) / 0.87962566103423978 cut at ±2 sigma; "
					+ "normal: sigma = sqrt(var); uniform: bound = sqrt(3 var)",
			"Keras VarianceScaling (its distribution \"normal\" is our truncated_normal); "
					+ "jax.nn.initializers.variance_scaling",
			"truncated_normal|normal|uniform") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			Fans f = requireFans(p);
			double scale = args.number("scale");
			if (!(scale > 0)) {
				throw new InvalidInitializerException("scale", "scale of variance_scaling must be > 0");
			}
			String mode = args.string("mode");
			String distribution = args.string("distribution");
			double n = switch (mode) {
				case "fan_in" -> f.fanIn();
				case "fan_out" -> f.fanOut();
				default -> f.average();
			};
			Map<String, Object> r = base();
			r.put("scale", scale);
			r.put("mode", mode);
			r.put("distribution", distribution.equals("untruncated_normal") ? "normal" : distribution);
			putFans(r, f);
			double variance = scale / n;
			return switch (distribution) {
				case "uniform" -> uniform(r, Math.sqrt(3 * variance));
				case "normal", "untruncated_normal" -> normal(r, Math.sqrt(variance));
				default -> {
					double sigma = Math.sqrt(variance) / TRUNCATED_STD_OF_UNIT_NORMAL;
					r.put("std", sigma);
					TruncatedNormal t = new TruncatedNormal(0.0, sigma, -2 * sigma, 2 * sigma);
					yield new Initializer(t, r, t.expectedMean(), t.expectedStd());
				}
			};
		}
	},

	/**
	 * Haar (semi-)orthogonal matrix times gain, see {@link Orthogonal}. Saxe et al. 2013,
	 * arXiv:1312.6120. Same as PyTorch {@code orthogonal_}, Keras {@code Orthogonal}.
	 */
	ORTHOGONAL("orthogonal", List.of(), gainParams(),
			"view as rows = shape[0] x cols = numel/rows; A ~ N(0,1); A = QR (transposed when rows < cols); "
					+ "w = gain * Q * diag(sign(diag R))",
			"Saxe et al. 2013, arXiv:1312.6120; PyTorch orthogonal_; Keras Orthogonal", "orthogonal (Haar)") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (shape.length < 2) {
				throw notApplicable(p, "needs a tensor of at least 2 dimensions");
			}
			Map<String, Object> r = base();
			double gain = gain(args, r);
			r.put("gain", gain);
			long cols = p.numel() / shape[0];
			return new Initializer(new Orthogonal(shape, gain), r, 0.0, Orthogonal.expectedStd(shape[0], cols, gain));
		}
	},

	/**
	 * Identity matrix times gain, 2-D only. Same as PyTorch {@code eye_}, Keras
	 * {@code Identity}.
	 */
	IDENTITY("identity", List.of("eye"), gainParams(), "w = gain * I (2-D; non-square: ones on the main diagonal)",
			"PyTorch torch.nn.init.eye_; Keras Identity", "constant") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (shape.length != 2) {
				throw notApplicable(p, "needs a 2-D tensor");
			}
			Map<String, Object> r = base();
			double gain = gain(args, r);
			r.put("gain", gain);
			return deterministic(new Identity(shape, gain), r, Math.min(shape[0], shape[1]), gain, p.numel());
		}
	},

	/**
	 * Dirac delta for convolutions, see {@link Dirac}. Same as PyTorch {@code dirac_}.
	 */
	DIRAC("dirac", List.of(), withGroups(),
			"w[g*per + d, d, centre] = gain for d < min(per, in/groups), per = out/groups; else 0",
			"PyTorch torch.nn.init.dirac_", "constant") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (shape.length < 3 || shape.length > 5) {
				throw notApplicable(p, "needs a convolution weight of 3, 4 or 5 dimensions");
			}
			Integer given = args.optionalInt("groups");
			int groups = (given != null) ? given : p.groups();
			if (shape[0] % groups != 0) {
				throw new InvalidInitializerException("groups",
						"dim 0 of " + p.name() + " (" + shape[0] + ") is not divisible by groups (" + groups + ")");
			}
			Map<String, Object> r = base();
			r.put("groups", groups);
			double gain = gain(args, r);
			r.put("gain", gain);
			Dirac d = new Dirac(shape, groups, gain);
			return deterministic(d, r, d.ones(), gain, p.numel());
		}
	},

	/**
	 * Sparse 2-D matrix, see {@link Sparse}. Martens 2010. Same as PyTorch
	 * {@code sparse_} (std default 0.01).
	 */
	SPARSE("sparse", List.of(),
			List.of(Param.requiredNumber("sparsity", 0.0, 1.0, "fraction of each column set to zero"),
					Param.number("std", 0.01, 0.0, null, "std of the non-zero elements")),
			"w ~ N(0, std^2), then ceil(sparsity * rows) random rows of each column set to 0",
			"Martens 2010, ICML; PyTorch torch.nn.init.sparse_", "sparse normal") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (shape.length != 2) {
				throw notApplicable(p, "needs a 2-D tensor");
			}
			double sparsity = args.number("sparsity");
			double std = args.number("std");
			Map<String, Object> r = base();
			r.put("sparsity", sparsity);
			r.put("std", std);
			int zeros = Sparse.zerosPerColumn(shape[0], sparsity);
			double keep = (shape[0] - zeros) / (double) shape[0];
			return new Initializer(new Sparse(shape, sparsity, std), r, 0.0, std * Math.sqrt(keep));
		}
	},

	/**
	 * Delta-orthogonal convolution kernel, see {@link DeltaOrthogonal}. Xiao et al. 2018.
	 */
	DELTA_ORTHOGONAL("delta_orthogonal", List.of("convolution_delta_orthogonal"), gainParams(),
			"w = 0 except w[:, :, centre] = gain * orthogonal(out, in); needs in <= out",
			"Xiao et al. 2018, arXiv:1806.05393; TensorFlow ConvolutionDeltaOrthogonal",
			"orthogonal (Haar) at centre") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (shape.length < 3) {
				throw notApplicable(p, "needs a convolution weight of 3 to 5 dimensions");
			}
			if (shape[1] > shape[0]) {
				throw notApplicable(p, "needs dim 1 (" + shape[1] + ") <= dim 0 (" + shape[0] + ")");
			}
			Map<String, Object> r = base();
			double gain = gain(args, r);
			r.put("gain", gain);
			double std = Math.abs(gain) * Math.sqrt(Math.min(shape[0], shape[1]) / (double) p.numel());
			return new Initializer(new DeltaOrthogonal(shape, gain), r, 0.0, std);
		}
	},

	/**
	 * Zeros except ones in the forget-gate block (the second of LSTM's four: i, f, g, o).
	 * Same as Keras {@code LSTM(unit_forget_bias=True)} (Jozefowicz, Zaremba and
	 * Sutskever 2015, "An Empirical Exploration of Recurrent Network Architectures").
	 */
	UNIT_FORGET_BIAS("unit_forget_bias", List.of(), List.of(),
			"b = 0 except b[H:2H] = 1 (the forget gate of an LSTM bias [4H])",
			"Jozefowicz et al. 2015, ICML; Keras LSTM unit_forget_bias=True", "constant") {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (p.gates() != 4 || shape.length != 1) {
				throw notApplicable(p, "needs an LSTM bias (four gate blocks, 1-D)");
			}
			int hidden = shape[0] / 4;
			Fill.Whole fill = (stream, out) -> {
				java.util.Arrays.fill(out, 0.0);
				java.util.Arrays.fill(out, hidden, 2 * hidden, 1.0);
			};
			return deterministic(fill, base(), hidden, 1.0, p.numel());
		}
	};

	/**
	 * How NumPy reproduces this scheme from the {@code numpy_legacy} /
	 * {@code numpy_pcg64} stream ({@code rng} is {@code np.random} after
	 * {@code np.random.seed(s)}, or {@code np.random.default_rng(s)}), or null when it
	 * cannot be reproduced with NumPy.
	 */
	public String numpyRecipe() {
		return switch (this) {
			case ZEROS, ONES, CONSTANT, IDENTITY, DIRAC, UNIT_FORGET_BIAS -> "draws nothing";
			case UNIFORM -> "rng.uniform(low, high, shape)";
			case NORMAL -> "rng.normal(mean, std, shape)";
			case XAVIER_UNIFORM, KAIMING_UNIFORM, LECUN_UNIFORM -> "rng.uniform(-bound, bound, shape)";
			case XAVIER_NORMAL, KAIMING_NORMAL, LECUN_NORMAL ->
				"rng.normal(0, std, shape), the same values as np.random.randn(*shape) * std";
			case VARIANCE_SCALING -> "distribution normal: rng.normal(0, std, shape); uniform: "
					+ "rng.uniform(-bound, bound, shape); truncated_normal has no NumPy equivalent";
			case ORTHOGONAL, DELTA_ORTHOGONAL -> "a = rng.standard_normal((rows, cols)) (transposed when rows < cols); "
					+ "q, r = np.linalg.qr(a); q *= np.sign(np.diag(r)); times gain (equal up to QR rounding)";
			case TRUNCATED_NORMAL, SPARSE -> null;
		};
	}

	/** Whether NumPy can reproduce this scheme with these resolved parameters. */
	public boolean reproducibleWithNumpy(java.util.Map<String, Object> resolved) {
		if (this == VARIANCE_SCALING) {
			return !"truncated_normal".equals(resolved.get("distribution"));
		}
		return numpyRecipe() != null;
	}

	/**
	 * Whether the scheme depends on the tensor's shape beyond its fans (so it applies to
	 * each gate block of a stacked recurrent weight).
	 */
	public boolean isShapeDependent() {
		return this == ORTHOGONAL || this == IDENTITY || this == DIRAC || this == SPARSE || this == DELTA_ORTHOGONAL;
	}

	/**
	 * The standard deviation of N(0, 1) truncated to (-2, 2); Keras's and JAX's
	 * {@code variance_scaling} divide by it (the literal in both sources).
	 */
	public static final double TRUNCATED_STD_OF_UNIT_NORMAL = 0.87962566103423978;

	private final String wireName;

	private final List<String> aliases;

	private final List<Param> parameters;

	private final String formula;

	private final String reference;

	private final String distribution;

	Scheme(String wireName, List<String> aliases, List<Param> parameters, String formula, String reference,
			String distribution) {
		this.wireName = wireName;
		this.aliases = aliases;
		this.parameters = parameters;
		this.formula = formula;
		this.reference = reference;
		this.distribution = distribution;
	}

	abstract Initializer create(ParameterSpec p, Args args);

	/**
	 * Resolves this scheme for one tensor.
	 * @param p the tensor
	 * @param rawArgs the request's parameters (without {@code scheme})
	 * @throws InvalidInitializerException for invalid arguments or a tensor the scheme
	 * cannot fill
	 */
	public Initializer resolve(ParameterSpec p, Map<String, Object> rawArgs) {
		return create(p, Args.validate(this, rawArgs));
	}

	public String wireName() {
		return this.wireName;
	}

	public List<String> aliases() {
		return this.aliases;
	}

	public List<Param> parameters() {
		return this.parameters;
	}

	public String formula() {
		return this.formula;
	}

	public String reference() {
		return this.reference;
	}

	public String distribution() {
		return this.distribution;
	}

	/** Looks a scheme up by wire name or alias. */
	public static Optional<Scheme> byName(String name) {
		if (name == null) {
			return Optional.empty();
		}
		String key = name.toLowerCase(Locale.ROOT);
		return Arrays.stream(values()).filter(s -> s.wireName.equals(key) || s.aliases.contains(key)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Scheme::wireName).toList();
	}

	Map<String, Object> base() {
		Map<String, Object> r = new LinkedHashMap<>();
		r.put("scheme", this.wireName);
		return r;
	}

	InvalidInitializerException notApplicable(ParameterSpec p, String why) {
		return new InvalidInitializerException("scheme", "scheme '" + this.wireName + "' cannot initialize " + p.name()
				+ " " + Arrays.toString(p.pytorchShape()) + ": it " + why);
	}

	Fans requireFans(ParameterSpec p) {
		if (p.fans() == null) {
			throw notApplicable(p, "needs fan_in/fan_out, which a tensor of fewer than 2 dimensions has only "
					+ "when given (fan_in, fan_out on a tensor layer)");
		}
		return p.fans();
	}

	static void putFans(Map<String, Object> r, Fans f) {
		r.put("fan_in", f.fanIn());
		r.put("fan_out", f.fanOut());
	}

	static Initializer uniform(Map<String, Object> r, double bound) {
		requireFinite("bound", bound, r);
		r.put("bound", bound);
		Uniform u = Uniform.symmetric(bound);
		return new Initializer(u, r, 0.0, u.std());
	}

	static Initializer normal(Map<String, Object> r, double std) {
		requireFinite("std", std, r);
		r.put("std", std);
		return new Initializer(new Normal(0.0, std), r, 0.0, std);
	}

	/** A gain or scale near the largest double can make the bound or std overflow. */
	private static void requireFinite(String what, double value, Map<String, Object> r) {
		if (!Double.isFinite(value)) {
			throw new InvalidInitializerException("scheme",
					"the " + what + " of " + r + " overflows double precision; use a smaller gain or scale");
		}
	}

	/**
	 * A fixed tensor of {@code count} elements equal to {@code value} and zeros
	 * elsewhere.
	 */
	static Initializer deterministic(Fill.Whole fill, Map<String, Object> r, long count, double value, long numel) {
		double mean = value * count / numel;
		double meanSquare = value * value * count / numel;
		return new Initializer(fill, r, mean, Math.sqrt(Math.max(0.0, meanSquare - mean * mean)));
	}

	/**
	 * The gain of {@code gain}/{@code nonlinearity}/{@code param} schemes: {@code gain}
	 * if given, else {@code calculate_gain(nonlinearity, param)} if a nonlinearity is
	 * given, else 1.
	 */
	double gain(Args args, Map<String, Object> r) {
		// the default (1) is listed in the catalog; only a gain the request names
		// conflicts with a nonlinearity
		Double gain = args.isGiven("gain") ? args.optionalNumber("gain") : null;
		String nonlinearity = args.string("nonlinearity");
		if (gain != null && nonlinearity != null) {
			throw new InvalidInitializerException("gain",
					"scheme '" + this.wireName + "' takes either gain or nonlinearity (with param), not both");
		}
		if (nonlinearity == null) {
			if (args.isGiven("param")) {
				throw new InvalidInitializerException("param", "param needs a nonlinearity");
			}
			return (gain != null) ? gain : 1.0;
		}
		Double param = Gain.effectiveParam(nonlinearity, args.optionalNumber("param"));
		if (param != null && !nonlinearity.equals("leaky_relu") && !(param > 0)) {
			throw new InvalidInitializerException("param", nonlinearity + "'s alpha (param) must be > 0");
		}
		r.put("nonlinearity", nonlinearity);
		if (param != null) {
			r.put("param", param);
		}
		return Gain.of(nonlinearity, param);
	}

	/**
	 * Kaiming's gain and fan; puts a, mode, nonlinearity, fans and gain into {@code r}.
	 */
	double[] kaiming(ParameterSpec p, Args args, Map<String, Object> r) {
		Fans f = requireFans(p);
		double a = args.number("a");
		String mode = args.string("mode");
		String nonlinearity = args.string("nonlinearity");
		if (nonlinearity == null) {
			nonlinearity = (p.activation() != null && Gain.isKnown(p.activation())) ? p.activation() : "leaky_relu";
		}
		// as calculate_gain(nonlinearity, a): only leaky_relu reads a
		double gain = Gain.of(nonlinearity, "leaky_relu".equals(nonlinearity) ? a : null);
		r.put("a", a);
		r.put("mode", mode);
		r.put("nonlinearity", nonlinearity);
		putFans(r, f);
		r.put("gain", gain);
		long fan = mode.equals("fan_in") ? f.fanIn() : f.fanOut();
		return new double[] { gain, fan };
	}

	private static List<Param> gainParams() {
		return List.of(Param.number("gain", 1.0, null, null, "multiplier; 1 unless nonlinearity is given"),
				Param.nonlinearity(null, "take the gain from calculate_gain(nonlinearity, param) instead"),
				Param.number("param", null, null, null,
						"the nonlinearity's parameter (leaky_relu slope, default 0.01)"));
	}

	/**
	 * The gain of a scheme that scales a bound or a std, which cannot be negative
	 * (PyTorch fails there too: {@code uniform_} with from > to, {@code normal_} with std
	 * < 0).
	 */
	private static List<Param> scaleGainParams() {
		List<Param> params = new java.util.ArrayList<>(gainParams());
		params.set(0, Param.number("gain", 1.0, 0.0, null, "multiplier, >= 0; 1 unless nonlinearity is given"));
		return List.copyOf(params);
	}

	private static List<Param> withGroups() {
		List<Param> params = new java.util.ArrayList<>();
		params.add(Param.integer("groups", null, 1, "number of groups; default: the layer's groups"));
		params.addAll(gainParams());
		return List.copyOf(params);
	}

	private static List<Param> kaimingParams() {
		return List.of(
				Param.number("a", 0.0, null, null, "negative slope of the rectifier after this layer (leaky_relu)"),
				Param.choice("mode", "fan_in", List.of("fan_in", "fan_out"),
						"fan_in preserves forward variance, fan_out backward"),
				Param.nonlinearity(null, "default: the layer's activation, else leaky_relu (gain sqrt(2) with a = 0)"));
	}

}
