package dev.initlab.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.initlab.init.VarianceScaling.Distribution;
import dev.initlab.init.VarianceScaling.Mode;

/**
 * The registry of initialization schemes: one constant per scheme, and everything about
 * it is written once, in that constant.
 * <ul>
 * <li>Its {@link Description}: the formula as the code computes it, the paper, and "same
 * as" lines naming the framework equivalents with their differences. It takes the place
 * of a doc comment: {@code GET /api/v1/schemes} renders it, so docs and code cannot
 * drift.
 * <li>The variance-scaling family (Glorot/Xavier, He/Kaiming, LeCun,
 * {@code variance_scaling}) is one rule, {@link VarianceScaling}, and each of its schemes
 * a {@link VarianceScaling.Preset preset} of it: parameters, distribution, NumPy recipe
 * and resolution all follow from the preset.
 * <li>Any other scheme lists its parameters, distribution, NumPy recipe and
 * {@link ShapeUse} and resolves itself in its constant body, filling with one small class
 * ({@link Orthogonal}, {@link Dirac}, {@link Sparse}, ...).
 * </ul>
 * Fans are always PyTorch's rule on the PyTorch-layout weight ({@link Fans});
 * {@code gain} comes from the one gain table ({@link Gain}). How to add one:
 * {@code docs/SCHEMES.md}.
 */
public enum Scheme {

	ZEROS("zeros", List.of("zero"), Description.of("w = 0", null, "PyTorch torch.nn.init.zeros_", "Keras Zeros"),
			List.of(), "constant", Recipe.NOTHING, ShapeUse.FANS_ONLY) {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			return new Initializer(new Constant(0.0), base(), 0.0, 0.0);
		}
	},

	ONES("ones", List.of("one"), Description.of("w = 1", null, "PyTorch torch.nn.init.ones_", "Keras Ones"), List.of(),
			"constant", Recipe.NOTHING, ShapeUse.FANS_ONLY) {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			return new Initializer(new Constant(1.0), base(), 1.0, 0.0);
		}
	},

	CONSTANT("constant", List.of(),
			Description.of("w = value", null, "PyTorch torch.nn.init.constant_", "Keras Constant"),
			List.of(Param.requiredNumber("value", null, null, "the value of every element")), "constant",
			Recipe.NOTHING, ShapeUse.FANS_ONLY) {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			double value = args.number("value");
			Map<String, Object> r = base();
			r.put("value", value);
			return new Initializer(new Constant(value), r, value, 0.0);
		}
	},

	UNIFORM("uniform", List.of("random_uniform"),
			Description.of("w ~ U(low, high)", null, "PyTorch torch.nn.init.uniform_ (defaults 0, 1)",
					"Keras RandomUniform, but its defaults are minval -0.05, maxval 0.05"),
			List.of(Param.number("low", 0.0, null, null, "lower bound (inclusive)"),
					Param.number("high", 1.0, null, null, "upper bound (exclusive), >= low")),
			"uniform", "rng.uniform(low, high, shape)", ShapeUse.FANS_ONLY) {
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

	NORMAL("normal", List.of("random_normal"),
			Description.of("w ~ N(mean, std^2)", null, "PyTorch torch.nn.init.normal_ (defaults 0, 1)",
					"Keras RandomNormal, but its default stddev is 0.05"),
			List.of(Param.number("mean", 0.0, null, null, "mean"),
					Param.number("std", 1.0, 0.0, null, "standard deviation")),
			"normal", "rng.normal(mean, std, shape)", ShapeUse.FANS_ONLY) {
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

	TRUNCATED_NORMAL("truncated_normal", List.of("trunc_normal"),
			Description.of(
					"w ~ N(mean, std^2) conditioned on a <= w <= b (exact: rejection or inverse CDF, never clipping)",
					null, "PyTorch torch.nn.init.trunc_normal_ (absolute bounds, defaults 0, 1, -2, 2)",
					"Keras TruncatedNormal, but it cuts at mean ± 2 stddev (relative bounds)"),
			List.of(Param.number("mean", 0.0, null, null, "mean of the normal before truncation"),
					Param.number("std", 1.0, 0.0, null, "std of the normal before truncation, > 0"),
					Param.number("a", -2.0, null, null, "lower cut-off, absolute (not in units of std)"),
					Param.number("b", 2.0, null, null, "upper cut-off, absolute, > a")),
			"truncated_normal", Recipe.NONE, ShapeUse.FANS_ONLY) {
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

	XAVIER_UNIFORM("xavier_uniform", List.of("glorot_uniform"),
			Description.of(
					"w ~ U(-bound, bound), bound = sqrt(3) * std, std = gain * sqrt(2 / (fan_in + fan_out)) "
							+ "(variance scaling: var = gain^2 / fan_avg)",
					"Glorot and Bengio 2010, Understanding the difficulty of training deep feedforward neural "
							+ "networks, AISTATS",
					"PyTorch torch.nn.init.xavier_uniform_ (bit for bit)",
					"Keras GlorotUniform, which has no gain (gain 1)",
					"JAX jax.nn.initializers.glorot_uniform (gain 1)"),
			VarianceScaling.xavier(Distribution.UNIFORM)),

	XAVIER_NORMAL("xavier_normal", List.of("glorot_normal"),
			Description.of(
					"w ~ N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out)), untruncated "
							+ "(variance scaling: var = gain^2 / fan_avg)",
					"Glorot and Bengio 2010, Understanding the difficulty of training deep feedforward neural "
							+ "networks, AISTATS",
					"PyTorch torch.nn.init.xavier_normal_ (bit for bit)",
					"Keras GlorotNormal and JAX glorot_normal, but those are truncated at ±2σ "
							+ "(variance_scaling with mode fan_avg gives that)"),
			VarianceScaling.xavier(Distribution.NORMAL)),

	KAIMING_UNIFORM("kaiming_uniform", List.of("he_uniform"),
			Description.of(
					"w ~ U(-bound, bound), bound = sqrt(3) * std, std = gain / sqrt(fan_mode), "
							+ "gain = calculate_gain(nonlinearity, a) (variance scaling: var = gain^2 / fan_mode)",
					"He, Zhang, Ren and Sun 2015, Delving Deep into Rectifiers, arXiv:1502.01852",
					"PyTorch torch.nn.init.kaiming_uniform_ (bit for bit)",
					"Keras HeUniform and JAX he_uniform: the case relu (gain sqrt(2)), fan_in"),
			VarianceScaling.kaiming(Distribution.UNIFORM)),

	KAIMING_NORMAL("kaiming_normal", List.of("he_normal"),
			Description.of(
					"w ~ N(0, std^2), std = gain / sqrt(fan_mode), gain = calculate_gain(nonlinearity, a), "
							+ "untruncated (variance scaling: var = gain^2 / fan_mode)",
					"He, Zhang, Ren and Sun 2015, Delving Deep into Rectifiers, arXiv:1502.01852",
					"PyTorch torch.nn.init.kaiming_normal_ (bit for bit)",
					"Keras HeNormal and JAX he_normal, but those are truncated at ±2σ (that is he_truncated_normal)"),
			VarianceScaling.kaiming(Distribution.NORMAL)),

	LECUN_UNIFORM("lecun_uniform", List.of(),
			Description.of("w ~ U(-bound, bound), bound = sqrt(3 * (1 / fan_in)) (variance scaling: scale 1, fan_in)",
					"LeCun, Bottou, Orr and Müller 1998, Efficient BackProp",
					"Keras LecunUniform (bit for bit in the bound)", "JAX jax.nn.initializers.lecun_uniform",
					"PyTorch has none"),
			VarianceScaling.fixed(1.0, Mode.FAN_IN, Distribution.UNIFORM)),

	LECUN_NORMAL("lecun_normal", List.of(),
			Description.of("w ~ N(0, std^2), std = sqrt(1 / fan_in), untruncated (variance scaling: scale 1, fan_in)",
					"LeCun, Bottou, Orr and Müller 1998, Efficient BackProp",
					"JAX variance_scaling(1, \"fan_in\", \"normal\")",
					"Keras LecunNormal and JAX lecun_normal, but those are truncated at ±2σ "
							+ "(variance_scaling gives that)",
					"PyTorch has none"),
			VarianceScaling.fixed(1.0, Mode.FAN_IN, Distribution.NORMAL)),

	VARIANCE_SCALING("variance_scaling", List.of(), Description.of(
			"var = scale / n, n = fan_in | fan_out | (fan_in + fan_out) / 2; truncated_normal: sigma = "
					+ "sqrt(var) / 0.87962566103423978 cut at ±2 sigma (the std of N(0, 1) on (-2, 2), so "
					+ "the truncated std is sqrt(var)); normal: sigma = sqrt(var); uniform: bound = sqrt(3 var)",
			null,
			"Keras VarianceScaling, but its distribution \"normal\" is our truncated_normal " + "(a Keras 1 alias)",
			"jax.nn.initializers.variance_scaling (normal is untruncated there too)"), VarianceScaling.configurable()),

	ORTHOGONAL("orthogonal", List.of(),
			Description.of(
					"view as rows = shape[0] x cols = numel/rows; A ~ N(0,1); A = QR (transposed when rows < cols; "
							+ "in float32 for float32, float16 and bfloat16 tensors, float64 for float64, as PyTorch); "
							+ "w = gain * Q * diag(sign(diag R))",
					"Saxe, McClelland and Ganguli 2013, Exact solutions to the nonlinear dynamics of learning in "
							+ "deep linear neural networks, arXiv:1312.6120",
					"PyTorch torch.nn.init.orthogonal_", "Keras Orthogonal"),
			gainParams(), "orthogonal (Haar)", Recipe.QR, ShapeUse.WHOLE_SHAPE) {
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

	IDENTITY("identity", List.of("eye"),
			Description.of("w = gain * I (2-D; non-square: ones on the main diagonal)", null,
					"PyTorch torch.nn.init.eye_, which has no gain (gain 1)", "Keras Identity (gain)"),
			gainParams(), "constant", Recipe.NOTHING, ShapeUse.WHOLE_SHAPE) {
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

	DIRAC("dirac", List.of(),
			Description.of("w[g*per + d, d, centre] = gain for d < min(per, in/groups), per = out/groups; else 0", null,
					"PyTorch torch.nn.init.dirac_, which has no gain (gain 1)"),
			withGroups(), "constant", Recipe.NOTHING, ShapeUse.WHOLE_SHAPE) {
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

	SPARSE("sparse", List.of(),
			Description.of("w ~ N(0, std^2), then ceil(sparsity * rows) random rows of each column set to 0",
					"Martens 2010, Deep learning via Hessian-free optimization, ICML",
					"PyTorch torch.nn.init.sparse_ (std default 0.01)"),
			List.of(Param.requiredNumber("sparsity", 0.0, 1.0, "fraction of each column set to zero"),
					Param.number("std", 0.01, 0.0, null, "std of the non-zero elements")),
			"sparse normal", Recipe.NONE, ShapeUse.WHOLE_SHAPE) {
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

	DELTA_ORTHOGONAL("delta_orthogonal", List.of("convolution_delta_orthogonal"),
			Description.of("w = 0 except w[:, :, centre] = gain * orthogonal(out, in); needs in <= out",
					"Xiao, Bahri, Sohl-Dickstein, Schoenholz and Pennington 2018, Dynamical Isometry and a Mean "
							+ "Field Theory of CNNs, arXiv:1806.05393",
					"TensorFlow tf.compat.v1.keras.initializers.ConvolutionDeltaOrthogonal"),
			gainParams(), "orthogonal (Haar) at centre", Recipe.QR, ShapeUse.WHOLE_SHAPE) {
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

	UNIT_FORGET_BIAS("unit_forget_bias", List.of(),
			Description.of("b = 0 except b[H:2H] = 1 (the forget gate of an LSTM bias [4H]: i, f, g, o)",
					"Jozefowicz, Zaremba and Sutskever 2015, An Empirical Exploration of Recurrent Network "
							+ "Architectures, ICML",
					"Keras LSTM(unit_forget_bias=True)"),
			List.of(), "constant", Recipe.NOTHING, ShapeUse.FANS_ONLY) {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (p.gates() != 4 || shape.length != 1) {
				throw notApplicable(p, "needs an LSTM bias (four gate blocks, 1-D)");
			}
			int hidden = shape[0] / 4;
			Fill.Whole fill = (stream, out) -> {
				Arrays.fill(out, 0.0);
				Arrays.fill(out, hidden, 2 * hidden, 1.0);
			};
			return deterministic(fill, base(), hidden, 1.0, p.numel());
		}
	},

	HE_TRUNCATED_NORMAL("he_truncated_normal", List.of("keras_he_normal"),
			Description.of(
					"w ~ N(0, sigma^2) cut at ±2 sigma, sigma = sqrt(2 / fan_in) / 0.87962566103423978, so the "
							+ "truncated std is sqrt(2 / fan_in) (variance scaling: scale 2, fan_in, truncated_normal)",
					"He, Zhang, Ren and Sun 2015, Delving Deep into Rectifiers, arXiv:1502.01852",
					"Keras HeNormal (keras/src/initializers/random_initializers.py: VarianceScaling(scale=2.0, "
							+ "mode=\"fan_in\", distribution=\"truncated_normal\"))",
					"JAX jax.nn.initializers.he_normal (variance_scaling(2.0, \"fan_in\", \"truncated_normal\"))",
					"PyTorch kaiming_normal_ (our kaiming_normal, alias he_normal), but that is untruncated"),
			VarianceScaling.fixed(2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL)),

	HADAMARD("hadamard", List.of(), Description.of(
			"ZerO, for W of P = out rows and Q = in columns: P = Q: w = I; P < Q: w = I* (ones at [i, i], the first P "
					+ "inputs propagated); P > Q: w = c * I* H_m I*, the top-left P x Q block of the Sylvester "
					+ "Hadamard matrix of size 2^m (H[i, j] = (-1)^popcount(i & j), as scipy.linalg.hadamard), "
					+ "m = ceil(log2 P), c = 2^(-(m-1)/2) (variant paper) or 2^(-m/2) (variant notebook), "
					+ "correctly rounded; a convolution weight [out, in, *k] gets that [out, in] matrix at the kernel "
					+ "centre [k0/2, k1/2, ...] and zero elsewhere",
			"Zhao, Schäfer and Anandkumar 2022, ZerO Initialization: Initializing Neural Networks with only Zeros "
					+ "and Ones, TMLR, arXiv:2110.12661",
			"the paper's Algorithm 1 (linear) and Algorithm 2 (convolution centre) with variant paper (exactly: every "
					+ "element is 0, 1 or ±c, c correctly rounded)",
			"the authors' example_mnist.ipynb (github.com/jiaweizzhao/ZerO-initialization, ZerO_Init_on_matrix: "
					+ "eye(P, 2^m) @ hadamard(2^m) / 2**(m/2) @ eye(2^m, Q)), but that uses c = 2^(-m/2): variant "
					+ "notebook (its H_m c is orthogonal)",
			"PyTorch torch.nn.init.eye_ for P <= Q (then identical); PyTorch, Keras and JAX have no Hadamard case"),
			List.of(Param.choice("variant", "paper", List.of("paper", "notebook"),
					"the Hadamard case's factor c: paper = 2^(-(m-1)/2) (Algorithm 1), notebook = 2^(-m/2) (the "
							+ "authors' example_mnist.ipynb)")),
			"constant (identity / Hadamard)", Recipe.NOTHING, ShapeUse.WHOLE_SHAPE) {
		@Override
		Initializer create(ParameterSpec p, Args args) {
			int[] shape = p.pytorchShape();
			if (shape.length < 2 || shape.length > 5) {
				throw notApplicable(p, "needs a 2-D weight or a convolution weight of 3, 4 or 5 dimensions");
			}
			ZerO.Variant variant = ZerO.Variant.of(args.string("variant"));
			ZerO zero = new ZerO(shape, variant);
			Map<String, Object> r = base();
			r.put("variant", variant.wireName);
			if (zero.isHadamard()) {
				r.put("construction", "hadamard");
				r.put("m", zero.m());
				r.put("c", zero.c());
			}
			else {
				r.put("construction", (shape[0] == shape[1]) ? "identity" : "partial_identity");
			}
			double numel = p.numel();
			double mean = zero.sum() / numel;
			double meanSquare = zero.c() * zero.c() * zero.nonZeros() / numel;
			return new Initializer(zero, r, mean, Math.sqrt(Math.max(0.0, meanSquare - mean * mean)));
		}
	};

	/**
	 * Whether a scheme uses the tensor's shape beyond its fans; if so it applies to each
	 * gate block of a stacked recurrent weight.
	 */
	enum ShapeUse {

		/** Element-wise, or the fans only. */
		FANS_ONLY,

		/**
		 * The whole shape (orthogonal, identity, dirac, sparse, delta-orthogonal,
		 * hadamard).
		 */
		WHOLE_SHAPE

	}

	/**
	 * NumPy recipes shared by several schemes ({@code rng} is {@code np.random} after
	 * {@code np.random.seed(s)}, or {@code np.random.default_rng(s)}).
	 */
	static final class Recipe {

		/** Not reproducible with NumPy's streams. */
		static final String NONE = null;

		static final String NOTHING = "draws nothing";

		static final String QR = "a = rng.standard_normal((rows, cols)) (transposed when rows < cols); "
				+ "q, r = np.linalg.qr(a); q *= np.sign(np.diag(r)); times gain (equal up to QR rounding)";

		private Recipe() {
		}

	}

	private final String wireName;

	private final List<String> aliases;

	private final Description description;

	private final List<Param> parameters;

	private final String distribution;

	private final String numpyRecipe;

	private final ShapeUse shapeUse;

	private final VarianceScaling.Preset varianceScaling;

	/** A scheme that resolves itself (its constant body overrides {@link #create}). */
	Scheme(String wireName, List<String> aliases, Description description, List<Param> parameters, String distribution,
			String numpyRecipe, ShapeUse shapeUse) {
		this.wireName = wireName;
		this.aliases = aliases;
		this.description = description;
		this.parameters = parameters;
		this.distribution = distribution;
		this.numpyRecipe = numpyRecipe;
		this.shapeUse = shapeUse;
		this.varianceScaling = null;
	}

	/** A preset of the variance-scaling rule: the preset says everything else. */
	Scheme(String wireName, List<String> aliases, Description description, VarianceScaling.Preset preset) {
		this.wireName = wireName;
		this.aliases = aliases;
		this.description = description;
		this.parameters = preset.parameters();
		this.distribution = preset.distributionLabel();
		this.numpyRecipe = preset.numpyRecipe();
		this.shapeUse = ShapeUse.FANS_ONLY;
		this.varianceScaling = preset;
	}

	/** Resolves validated arguments; overridden by every scheme outside the family. */
	Initializer create(ParameterSpec p, Args args) {
		return this.varianceScaling.resolve(this, p, args);
	}

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

	/** The formula as the code computes it. */
	public String formula() {
		return this.description.formula();
	}

	/** The paper and the "same as" lines with their differences. */
	public String reference() {
		return this.description.reference();
	}

	public String distribution() {
		return this.distribution;
	}

	/**
	 * How NumPy reproduces this scheme from the {@code numpy_legacy} /
	 * {@code numpy_pcg64} stream, or null when it cannot be reproduced with NumPy.
	 */
	public String numpyRecipe() {
		return this.numpyRecipe;
	}

	/** Whether NumPy can reproduce this scheme with these resolved parameters. */
	public boolean reproducibleWithNumpy(Map<String, Object> resolved) {
		return (this.varianceScaling != null) ? this.varianceScaling.reproducibleWithNumpy(resolved)
				: this.numpyRecipe != null;
	}

	/**
	 * Whether the scheme depends on the tensor's shape beyond its fans (so it applies to
	 * each gate block of a stacked recurrent weight).
	 */
	public boolean isShapeDependent() {
		return this.shapeUse == ShapeUse.WHOLE_SHAPE;
	}

	/** Whether this scheme is a preset of the variance-scaling rule. */
	boolean isVarianceScaling() {
		return this.varianceScaling != null;
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
	static List<Param> scaleGainParams() {
		List<Param> params = new ArrayList<>(gainParams());
		params.set(0, Param.number("gain", 1.0, 0.0, null, "multiplier, >= 0; 1 unless nonlinearity is given"));
		return List.copyOf(params);
	}

	private static List<Param> withGroups() {
		List<Param> params = new ArrayList<>();
		params.add(Param.integer("groups", null, 1, "number of groups; default: the layer's groups"));
		params.addAll(gainParams());
		return List.copyOf(params);
	}

}
