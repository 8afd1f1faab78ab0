package dev.initlab.models;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.initlab.init.Fans;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Role;
import dev.initlab.models.ConfigField.Type;

/**
 * timm's {@code VisionTransformer(**config)} and its named variants
 * ({@code timm.create_model("vit_base_patch16_224", **config)}, which only change the
 * constructor's defaults), as timm 1.0.29 builds and initializes it
 * ({@code timm/models/vision_transformer.py}: {@code VisionTransformer.__init__},
 * {@code init_weights}, {@code fix_init_weight}, {@code init_weights_vit_timm},
 * {@code init_weights_vit_jax}, {@code init_weights_vit_moco},
 * {@code init_weights_reset_parameters}, {@code Block}; {@code timm/layers/attention.py}
 * {@code Attention}; {@code timm/layers/mlp.py} {@code Mlp};
 * {@code timm/layers/patch_embed.py} {@code PatchEmbed};
 * {@code timm/layers/layer_scale.py} {@code LayerScale};
 * {@code timm/layers/weight_init.py} {@code trunc_normal_}, {@code lecun_normal_}).
 * <p>
 * state_dict order: the model's own parameters first ({@code cls_token},
 * {@code reg_token}, {@code pos_embed}), then its modules in registration order
 * ({@code patch_embed.proj}, {@code norm_pre}, {@code blocks.i} with {@code norm1},
 * {@code attn.qkv}, {@code attn.q_norm}, {@code attn.k_norm}, {@code attn.norm},
 * {@code attn.proj}, {@code ls1}, {@code norm2}, {@code mlp.fc1}, {@code mlp.norm},
 * {@code mlp.fc2}, {@code ls2}; then {@code norm}, {@code fc_norm}, {@code head}). No
 * buffers.
 * <p>
 * Initialization: the constructor calls {@code init_weights(needs_reset=False)} unless
 * {@code weight_init == 'skip'}: {@code pos_embed} trunc_normal(std .02) with timm's
 * ABSOLUTE bounds a=-2, b=2 (100 sigma: no truncation in effect), {@code cls_token} and
 * {@code reg_token} normal(0, 1e-6), then one function per module by mode, then
 * {@code fix_init_weight} if {@code fix_init}. Modules the mode does not touch keep their
 * constructor's init ({@code needs_reset=False} never calls {@code reset_parameters}):
 * the patch conv in {@code ''} and {@code moco}, every module in {@code 'reset'}.
 * {@code 'skip'} runs nothing at all, so the tokens and {@code pos_embed} stay
 * {@code torch.empty} (uninitialized memory, which initlab gives as zeros) and
 * {@code fix_init} has no effect.
 */
final class TimmVisionTransformer extends LibraryArchitecture {

	static final String TOKENS = "cls_token, reg_token: normal(0, 1e-6) (VisionTransformer.init_weights)";

	static final String POS_EMBED = "pos_embed: trunc_normal_(std=.02) with timm's absolute bounds a=-2, b=2 "
			+ "(VisionTransformer.init_weights)";

	static final String SKIP_EMPTY = "weight_init 'skip': cls_token, reg_token, pos_embed stay torch.empty "
			+ "(uninitialized memory; initlab gives zeros)";

	static final String NORM_WEIGHT = "LayerNorm weight: ones (its constructor; no weight_init mode touches it)";

	static final String NORM_BIAS = "LayerNorm bias: zeros (its constructor; no weight_init mode touches it)";

	static final String LAYER_SCALE = "LayerScale gamma: constant init_values (LayerScale.reset_parameters at "
			+ "construction; no weight_init mode touches it)";

	static final String TIMM_LINEAR = "weight_init '': nn.Linear weight trunc_normal_(std=.02) with timm's "
			+ "absolute bounds a=-2, b=2 (init_weights_vit_timm)";

	static final String ZERO_BIAS = "weight_init '' and 'moco': nn.Linear bias zeros "
			+ "(init_weights_vit_timm, init_weights_vit_moco)";

	static final String CONV_DEFAULT_WEIGHT = "weight_init '', 'moco', 'reset', 'skip': patch_embed.proj keeps "
			+ "nn.Conv2d's default weight kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	static final String CONV_DEFAULT_BIAS = "weight_init '', 'moco', 'reset', 'skip': patch_embed.proj keeps "
			+ "nn.Conv2d's default bias U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	static final String JAX_LINEAR = "weight_init 'jax', 'jax_nlhb': nn.Linear weight xavier_uniform "
			+ "(init_weights_vit_jax)";

	static final String JAX_MLP_BIAS = "weight_init 'jax', 'jax_nlhb': mlp biases normal(0, 1e-6) "
			+ "(init_weights_vit_jax)";

	static final String JAX_BIAS = "weight_init 'jax', 'jax_nlhb': other nn.Linear biases zeros "
			+ "(init_weights_vit_jax)";

	static final String JAX_HEAD_WEIGHT = "weight_init 'jax', 'jax_nlhb': head weight zeros (init_weights_vit_jax)";

	static final String JAX_HEAD_BIAS = "weight_init 'jax', 'jax_nlhb': head bias constant head_bias "
			+ "(0 for 'jax', -ln(num_classes) for 'jax_nlhb'; init_weights_vit_jax)";

	static final String JAX_CONV_WEIGHT = "weight_init 'jax', 'jax_nlhb': patch_embed.proj.weight lecun_normal_ = "
			+ "variance_scaling(1, fan_in, truncated_normal): N(0, sigma^2) cut at +-2 sigma, "
			+ "sigma = sqrt(1/fan_in)/0.87962566103423978";

	static final String JAX_CONV_BIAS = "weight_init 'jax', 'jax_nlhb': patch_embed.proj.bias zeros "
			+ "(init_weights_vit_jax)";

	static final String MOCO_QKV = "weight_init 'moco': attn.qkv.weight U(-val, val), val = sqrt(6/(out/3 + in)) "
			+ "(Q, K and V as separate matrices; init_weights_vit_moco)";

	static final String MOCO_LINEAR = "weight_init 'moco': other nn.Linear weights xavier_uniform "
			+ "(init_weights_vit_moco)";

	static final String RESET_LINEAR_WEIGHT = "weight_init 'reset', 'skip': nn.Linear keeps its default weight "
			+ "kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	static final String RESET_LINEAR_BIAS = "weight_init 'reset', 'skip': nn.Linear keeps its default bias "
			+ "U(-1/sqrt(fan_in), 1/sqrt(fan_in))";

	static final String FIX_INIT = "fix_init (not with 'skip'): blocks.i.attn.proj.weight and "
			+ "blocks.i.mlp.fc2.weight divided by sqrt(2*(i+1)) after the mode's init "
			+ "(VisionTransformer.fix_init_weight)";

	static final List<String> MODES = List.of("", "jax", "jax_nlhb", "moco", "skip", "reset");

	static final List<String> POOLS = List.of("", "avg", "avgmax", "max", "token", "map", "prr");

	/** The nn.Linear weights, by name glob. */
	private static final List<String> LINEAR_WEIGHTS = List.of("blocks.*.attn.qkv.weight", "blocks.*.attn.proj.weight",
			"blocks.*.mlp.fc1.weight", "blocks.*.mlp.fc2.weight", "head.weight");

	/** The nn.Linear biases, by name glob. */
	private static final List<String> LINEAR_BIASES = List.of("blocks.*.attn.qkv.bias", "blocks.*.attn.proj.bias",
			"blocks.*.mlp.fc1.bias", "blocks.*.mlp.fc2.bias", "head.bias");

	/** The LayerNorms, by name glob (without .weight/.bias). */
	private static final List<String> NORMS = List.of("norm_pre", "blocks.*.norm1", "blocks.*.attn.q_norm",
			"blocks.*.attn.k_norm", "blocks.*.attn.norm", "blocks.*.norm2", "blocks.*.mlp.norm", "norm", "fc_norm");

	private static final List<Rule> RULES = catalog();

	private static List<Rule> catalog() {
		List<Rule> r = new ArrayList<>();
		for (String token : List.of("cls_token", "reg_token")) {
			r.add(new Rule(token, TOKENS));
		}
		r.add(new Rule("pos_embed", POS_EMBED));
		for (String token : List.of("cls_token", "reg_token", "pos_embed")) {
			r.add(new Rule(token, SKIP_EMPTY));
		}
		r.add(new Rule("patch_embed.proj.weight", CONV_DEFAULT_WEIGHT));
		r.add(new Rule("patch_embed.proj.bias", CONV_DEFAULT_BIAS));
		r.add(new Rule("patch_embed.proj.weight", JAX_CONV_WEIGHT));
		r.add(new Rule("patch_embed.proj.bias", JAX_CONV_BIAS));
		for (String norm : NORMS) {
			r.add(new Rule(norm + ".weight", NORM_WEIGHT));
			r.add(new Rule(norm + ".bias", NORM_BIAS));
		}
		r.add(new Rule("blocks.*.ls1.gamma", LAYER_SCALE));
		r.add(new Rule("blocks.*.ls2.gamma", LAYER_SCALE));
		LINEAR_WEIGHTS.forEach((w) -> r.add(new Rule(w, TIMM_LINEAR)));
		LINEAR_BIASES.forEach((b) -> r.add(new Rule(b, ZERO_BIAS)));
		LINEAR_WEIGHTS.stream().filter((w) -> !w.startsWith("head")).forEach((w) -> r.add(new Rule(w, JAX_LINEAR)));
		r.add(new Rule("blocks.*.mlp.fc1.bias", JAX_MLP_BIAS));
		r.add(new Rule("blocks.*.mlp.fc2.bias", JAX_MLP_BIAS));
		r.add(new Rule("blocks.*.attn.qkv.bias", JAX_BIAS));
		r.add(new Rule("blocks.*.attn.proj.bias", JAX_BIAS));
		r.add(new Rule("head.weight", JAX_HEAD_WEIGHT));
		r.add(new Rule("head.bias", JAX_HEAD_BIAS));
		r.add(new Rule("blocks.*.attn.qkv.weight", MOCO_QKV));
		LINEAR_WEIGHTS.stream().filter((w) -> !w.contains("qkv")).forEach((w) -> r.add(new Rule(w, MOCO_LINEAR)));
		LINEAR_WEIGHTS.forEach((w) -> r.add(new Rule(w, RESET_LINEAR_WEIGHT)));
		LINEAR_BIASES.forEach((b) -> r.add(new Rule(b, RESET_LINEAR_BIAS)));
		r.add(new Rule("blocks.*.attn.proj.weight", FIX_INIT));
		r.add(new Rule("blocks.*.mlp.fc2.weight", FIX_INIT));
		return List.copyOf(r);
	}

	/**
	 * {@code timm/VisionTransformer}: the constructor's own defaults.
	 */
	TimmVisionTransformer() {
		this("VisionTransformer", "timm.models.vision_transformer.VisionTransformer(**config)", Map.of());
	}

	/**
	 * A named variant: the constructor with {@code defaults} replacing its defaults (as
	 * the variant's {@code model_args}, which a request's config overrides).
	 */
	TimmVisionTransformer(String name, String description, Map<String, Object> defaults) {
		super("timm", name, "1.0.29", description, fields(defaults), RULES);
		transformer(PARTS, TimmVisionTransformer::structureOf);
	}

	/** {@code timm/vit_tiny_patch16_224}: patch 16, embed_dim 192, depth 12, 3 heads. */
	static TimmVisionTransformer vitTiny() {
		return variant("vit_tiny_patch16_224", 192, 3);
	}

	/** {@code timm/vit_small_patch16_224}: patch 16, embed_dim 384, depth 12, 6 heads. */
	static TimmVisionTransformer vitSmall() {
		return variant("vit_small_patch16_224", 384, 6);
	}

	/** {@code timm/vit_base_patch16_224}: patch 16, embed_dim 768, depth 12, 12 heads. */
	static TimmVisionTransformer vitBase() {
		return variant("vit_base_patch16_224", 768, 12);
	}

	private static TimmVisionTransformer variant(String name, int embedDim, int heads) {
		return new TimmVisionTransformer(name,
				"timm.create_model(\"" + name + "\", pretrained=False, **config): VisionTransformer(patch_size=16, "
						+ "embed_dim=" + embedDim + ", depth=12, num_heads=" + heads + ", **config)",
				Map.of("patch_size", 16, "embed_dim", embedDim, "depth", 12, "num_heads", heads));
	}

	/**
	 * The constructor's keyword arguments that JSON can carry, in its order, with its
	 * defaults (or a variant's). Callables ({@code embed_layer}, {@code norm_layer},
	 * {@code block_fn}, ...) and {@code device}/{@code dtype} are not accepted.
	 */
	private static List<ConfigField> fields(Map<String, Object> defaults) {
		List<ConfigField> f = new ArrayList<>();
		f.add(new ConfigField("img_size", Type.ANY, defaults.getOrDefault("img_size", 224),
				"input image size: an integer or [height, width]", false, List.of(), false));
		f.add(new ConfigField("patch_size", Type.ANY, defaults.getOrDefault("patch_size", 16),
				"patch size: an integer or [height, width]", false, List.of(), false));
		f.add(ConfigField.integer("in_chans", 3, "input channels of the patch conv"));
		f.add(ConfigField.integer("num_classes", 1000, "classes of the head; 0: no head"));
		f.add(ConfigField.choice("global_pool", "token", POOLS,
				"pooling; 'avg', 'avgmax', 'max' move the final norm to fc_norm; 'map' and 'prr' are not supported"));
		f.add(ConfigField.integer("embed_dim", (Integer) defaults.getOrDefault("embed_dim", 768), "width"));
		f.add(ConfigField.integer("depth", (Integer) defaults.getOrDefault("depth", 12), "number of blocks"));
		f.add(ConfigField.integer("num_heads", (Integer) defaults.getOrDefault("num_heads", 12),
				"attention heads; must divide embed_dim"));
		f.add(ConfigField.number("mlp_ratio", 4.0, "MLP hidden size = int(embed_dim * mlp_ratio)"));
		f.add(ConfigField.bool("qkv_bias", true, "bias of attn.qkv"));
		f.add(ConfigField.bool("qk_norm", false, "LayerNorm(head_dim) on q and k: attn.q_norm, attn.k_norm"));
		f.add(ConfigField.bool("scale_attn_norm", false, "LayerNorm before attn.proj: attn.norm"));
		f.add(ConfigField.bool("scale_mlp_norm", false, "LayerNorm before mlp.fc2: mlp.norm"));
		f.add(ConfigField.bool("proj_bias", true, "bias of attn.proj, mlp.fc1 and mlp.fc2"));
		f.add(ConfigField.number("init_values", null,
				"LayerScale init (ls1.gamma, ls2.gamma); null or 0: no LayerScale"));
		f.add(ConfigField.bool("class_token", true, "a cls_token"));
		f.add(ConfigField.choice("pos_embed", "learn", List.of("", "none", "learn"),
				"'learn': a learned pos_embed; '' or 'none': none"));
		f.add(ConfigField.bool("no_embed_class", false, "pos_embed leaves out the prefix tokens"));
		f.add(ConfigField.integer("reg_tokens", 0, "register tokens (reg_token)"));
		f.add(ConfigField.bool("pre_norm", false, "norm_pre after the embedding; the patch conv then has no bias"));
		f.add(ConfigField.bool("final_norm", true, "a final norm (norm, or fc_norm)"));
		f.add(new ConfigField("fc_norm", Type.BOOLEAN, null,
				"final norm after pooling (fc_norm); null: when global_pool is 'avg', 'avgmax' or 'max'", true,
				List.of(), false));
		f.add(ConfigField.ignored("pool_include_prefix", Type.BOOLEAN, false, "pooling (no parameters)"));
		f.add(ConfigField.ignored("dynamic_img_size", Type.BOOLEAN, false, "input handling (no parameters)"));
		f.add(ConfigField.ignored("dynamic_img_pad", Type.BOOLEAN, false, "input handling (no parameters)"));
		for (String rate : List.of("drop_rate", "pos_drop_rate", "patch_drop_rate", "proj_drop_rate", "attn_drop_rate",
				"drop_path_rate")) {
			f.add(ConfigField.ignored(rate, Type.NUMBER, 0.0, "dropout (no parameters)"));
		}
		f.add(ConfigField.choice("weight_init", "", MODES,
				"timm's init mode: '' (timm), 'jax', 'jax_nlhb', 'moco', 'reset' (modules keep their defaults), "
						+ "'skip' (no init at all)"));
		f.add(ConfigField.bool("fix_init", false,
				"divide blocks.i.attn.proj.weight and blocks.i.mlp.fc2.weight by sqrt(2*(i+1))"));
		f.add(ConfigField.ignored("act_layer", Type.STRING, null, "MLP activation (no parameters)"));
		return List.copyOf(f);
	}

	@Override
	public List<ModelTensor> build(ModelConfig config) {
		ModelConfig.Checks checks = config.checks();
		int[] img = pair(config, checks, "img_size");
		int[] patch = pair(config, checks, "patch_size");
		int inChans = checks.positive("in_chans");
		int classes = checks.atLeast("num_classes", 0);
		int dim = checks.positive("embed_dim");
		int depth = checks.atLeast("depth", 0);
		int heads = checks.positive("num_heads");
		int regTokens = checks.atLeast("reg_tokens", 0);
		double mlpRatio = config.number("mlp_ratio");
		String pool = config.string("global_pool");
		String mode = config.string("weight_init");
		boolean classToken = config.bool("class_token");
		checks.require(heads == 0 || dim % heads == 0, "num_heads",
				"embed_dim (" + dim + ") must be divisible by num_heads (" + heads + ")");
		long hiddenLong = (long) (dim * mlpRatio);
		checks.require(mlpRatio > 0 && hiddenLong >= 1 && hiddenLong <= Integer.MAX_VALUE, "mlp_ratio",
				"mlp_ratio must give an MLP hidden size int(embed_dim * mlp_ratio) in [1, 2^31 - 1], got " + mlpRatio);
		checks.require(3L * dim <= Integer.MAX_VALUE, "embed_dim",
				"embed_dim is too large: 3 * embed_dim must fit a tensor dimension (2^31 - 1)");
		checks.require(!pool.equals("map") && !pool.equals("prr"), "global_pool", "global_pool '" + pool
				+ "' (an attention-pooling head) is not supported; allowed: '', 'avg', 'avgmax', 'max', 'token'");
		checks.require(classToken || !pool.equals("token"), "global_pool",
				"global_pool 'token' needs class_token true (timm asserts class_token or global_pool != 'token')");
		checks.require(!(mode.equals("jax_nlhb") && Integer.valueOf(0).equals(config.integer("num_classes"))),
				"weight_init",
				"weight_init 'jax_nlhb' takes head_bias = -ln(num_classes), undefined for num_classes 0");
		Double initValues = config.number("init_values");
		long grid = 0;
		if (img != null && patch != null) {
			checks.require(patch[0] <= img[0] && patch[1] <= img[1], "patch_size",
					"patch_size must not exceed img_size (no patch would fit)");
			grid = (long) (img[0] / patch[0]) * (img[1] / patch[1]);
		}
		long prefix = (classToken ? 1 : 0) + (long) regTokens;
		long embedLen = config.bool("no_embed_class") ? grid : grid + prefix;
		checks.require(embedLen <= Integer.MAX_VALUE, "img_size",
				"img_size gives too many patches for one tensor dimension");
		checks.done();
		int hidden = (int) hiddenLong;
		Object fcNorm = config.resolved().get("fc_norm");
		boolean useFcNorm = (fcNorm != null) ? (Boolean) fcNorm : List.of("avg", "avgmax", "max").contains(pool);
		boolean finalNorm = config.bool("final_norm");
		boolean preNorm = config.bool("pre_norm");
		boolean layerScale = initValues != null && initValues != 0.0;
		String pos = config.string("pos_embed");
		Modes m = new Modes(mode, config.bool("fix_init"), classes);

		StateDict sd = new StateDict();
		if (classToken) {
			token(sd, "cls_token", new int[] { 1, 1, dim }, m.token());
		}
		if (regTokens > 0) {
			token(sd, "reg_token", new int[] { 1, regTokens, dim }, m.token());
		}
		if (!pos.isEmpty() && !pos.equals("none")) {
			token(sd, "pos_embed", new int[] { 1, (int) embedLen, dim }, m.posEmbed());
		}
		long fanIn = (long) inChans * patch[0] * patch[1];
		sd.conv("patch_embed.proj", inChans, dim, List.of(patch[0], patch[1]), 1, m.convWeight(fanIn),
				preNorm ? null : m.convBias(fanIn));
		if (preNorm) {
			layerNorm(sd, "norm_pre", dim);
		}
		int headDim = (heads > 0) ? dim / heads : 0;
		for (int i = 0; i < depth; i++) {
			String b = "blocks." + i + ".";
			layerNorm(sd, b + "norm1", dim);
			linear(sd, m, b + "attn.qkv", dim, 3 * dim, config.bool("qkv_bias"), i);
			if (config.bool("qk_norm")) {
				layerNorm(sd, b + "attn.q_norm", headDim);
				layerNorm(sd, b + "attn.k_norm", headDim);
			}
			if (config.bool("scale_attn_norm")) {
				layerNorm(sd, b + "attn.norm", dim);
			}
			boolean projBias = config.bool("proj_bias");
			linear(sd, m, b + "attn.proj", dim, dim, projBias, i);
			if (layerScale) {
				layerScale(sd, b + "ls1.gamma", dim, initValues);
			}
			layerNorm(sd, b + "norm2", dim);
			linear(sd, m, b + "mlp.fc1", dim, hidden, projBias, i);
			if (config.bool("scale_mlp_norm")) {
				layerNorm(sd, b + "mlp.norm", hidden);
			}
			linear(sd, m, b + "mlp.fc2", hidden, dim, projBias, i);
			if (layerScale) {
				layerScale(sd, b + "ls2.gamma", dim, initValues);
			}
		}
		if (finalNorm && !useFcNorm) {
			layerNorm(sd, "norm", dim);
		}
		if (finalNorm && useFcNorm) {
			layerNorm(sd, "fc_norm", dim);
		}
		if (classes > 0) {
			linear(sd, m, "head", dim, classes, true, -1);
		}
		return sd.tensors();
	}

	/** An integer or an [h, w] pair of positive integers, as timm's {@code to_2tuple}. */
	private static int[] pair(ModelConfig config, ModelConfig.Checks checks, String field) {
		Object v = config.resolved().get(field);
		String message = field + " must be a positive integer or a list [height, width] of positive integers, got " + v;
		if (isSmallInteger(v)) {
			int i = ((Number) v).intValue();
			checks.require(i > 0, field, message);
			return (i > 0) ? new int[] { i, i } : null;
		}
		if (v instanceof List<?> list && list.size() == 2
				&& list.stream().allMatch((x) -> isSmallInteger(x) && ((Number) x).intValue() > 0)) {
			return new int[] { ((Number) list.get(0)).intValue(), ((Number) list.get(1)).intValue() };
		}
		checks.require(false, field, message);
		return null;
	}

	/**
	 * A JSON integer (not a float: timm would fail on {@code 32.0}) that fits an int.
	 */
	private static boolean isSmallInteger(Object v) {
		boolean integral = v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger
				|| (v instanceof BigDecimal b && b.scale() <= 0);
		if (!integral) {
			return false;
		}
		return new BigDecimal(v.toString()).toBigInteger().bitLength() <= 31;
	}

	private static void token(StateDict sd, String name, int[] shape, InitRule rule) {
		InitRule empty = InitRule.zeros("nn.Parameter(torch.empty(...)): uninitialized memory before timm's "
				+ "init_weights (initlab gives zeros)");
		sd.tensor(name, shape, Role.EMBEDDING, Fans.of(shape), "embedding", name, rule, empty);
	}

	private static void layerNorm(StateDict sd, String prefix, int dim) {
		sd.layerNorm(prefix, dim, InitRule.ones(NORM_WEIGHT), InitRule.zeros(NORM_BIAS));
	}

	private static void layerScale(StateDict sd, String name, int dim, double value) {
		InitRule rule = InitRule.of(LAYER_SCALE + " = " + value, "constant", "value", value);
		InitRule bare = InitRule.of("LayerScale.__init__: constant init_values = " + value, "constant", "value", value);
		sd.tensor(name, new int[] { dim }, Role.NORM_WEIGHT, null, "tensor", "gamma", rule, bare);
	}

	private static void linear(StateDict sd, Modes m, String prefix, int in, int out, boolean bias, int block) {
		InitRule weight = m.linearWeight(prefix, in, out, block);
		InitSpec plain = new Modes(m.mode(), false, m.classes()).linearWeight(prefix, in, out, block).init();
		if (!plain.equals(weight.init())) {
			// fix_init's per-layer scaling: a depth recipe scales the plain rule instead
			weight = weight.damped(plain);
		}
		sd.linear(prefix, in, out, weight, bias ? m.linearBias(prefix, in) : null);
	}

	/**
	 * The rules of one {@code weight_init} mode (with {@code fix_init}), per tensor.
	 */
	private record Modes(String mode, boolean fixInit, int classes) {

		boolean jax() {
			return this.mode.startsWith("jax");
		}

		boolean bare() {
			return this.mode.equals("reset") || this.mode.equals("skip");
		}

		InitRule token() {
			return this.mode.equals("skip") ? InitRule.zeros(SKIP_EMPTY) : InitRule.normal(1e-6, TOKENS);
		}

		InitRule posEmbed() {
			return this.mode.equals("skip") ? InitRule.zeros(SKIP_EMPTY)
					: InitRule.of(POS_EMBED, "truncated_normal", "mean", 0.0, "std", 0.02, "a", -2.0, "b", 2.0);
		}

		InitRule convWeight(long fanIn) {
			if (jax()) {
				return new InitRule(
						InitSpec.of("variance_scaling", "scale", 1.0, "mode", "fan_in", "distribution",
								"truncated_normal"),
						JAX_CONV_WEIGHT + " = " + (Math.sqrt(1.0 / fanIn) / 0.87962566103423978));
			}
			return new InitRule(InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity", "leaky_relu"),
					CONV_DEFAULT_WEIGHT + " = U(-" + 1.0 / Math.sqrt(fanIn) + ", " + 1.0 / Math.sqrt(fanIn) + ")");
		}

		InitRule convBias(long fanIn) {
			if (jax()) {
				return InitRule.zeros(JAX_CONV_BIAS);
			}
			return uniform(CONV_DEFAULT_BIAS, 1.0 / Math.sqrt(fanIn));
		}

		/**
		 * @param block the block index, or -1 outside the blocks (the head)
		 */
		InitRule linearWeight(String prefix, int in, int out, int block) {
			boolean fixed = this.fixInit && !this.mode.equals("skip") && block >= 0
					&& (prefix.endsWith(".attn.proj") || prefix.endsWith(".mlp.fc2"));
			double scale = fixed ? Math.sqrt(2.0 * (block + 1)) : 1.0;
			String fix = fixed ? "; " + FIX_INIT + ": / sqrt(" + (2 * (block + 1)) + ")" : "";
			if (jax() && prefix.equals("head")) {
				return InitRule.zeros(JAX_HEAD_WEIGHT);
			}
			if (jax() || (this.mode.equals("moco") && !prefix.endsWith(".qkv"))) {
				String text = jax() ? JAX_LINEAR : MOCO_LINEAR;
				double bound = Math.sqrt(6.0 / (in + out)) / scale;
				return new InitRule(InitSpec.of("xavier_uniform", "gain", 1.0 / scale),
						text + fix + " = U(-" + bound + ", " + bound + ")");
			}
			if (this.mode.equals("moco")) {
				double val = Math.sqrt(6.0 / (out / 3 + in));
				return uniform(MOCO_QKV + fix, val / scale);
			}
			if (bare()) {
				double bound = 1.0 / Math.sqrt(in) / scale;
				if (!fixed) {
					return new InitRule(InitSpec.of("kaiming_uniform", "a", Math.sqrt(5), "nonlinearity", "leaky_relu"),
							RESET_LINEAR_WEIGHT + " = U(-" + bound + ", " + bound + ")");
				}
				return uniform(RESET_LINEAR_WEIGHT + fix, bound);
			}
			double std = 0.02 / scale;
			double a = -2.0 / scale;
			return InitRule.of(
					TIMM_LINEAR + fix
							+ ((fixed) ? " = trunc_normal(std " + std + ", a " + a + ", b " + (-a) + ")" : ""),
					"truncated_normal", "mean", 0.0, "std", std, "a", a, "b", -a);
		}

		InitRule linearBias(String prefix, int in) {
			if (jax()) {
				if (prefix.equals("head")) {
					double headBias = this.mode.equals("jax_nlhb") ? -Math.log(this.classes) : 0.0;
					return InitRule.of(JAX_HEAD_BIAS + " = " + headBias, "constant", "value", headBias);
				}
				return prefix.contains("mlp") ? InitRule.normal(1e-6, JAX_MLP_BIAS) : InitRule.zeros(JAX_BIAS);
			}
			if (bare()) {
				return uniform(RESET_LINEAR_BIAS, 1.0 / Math.sqrt(in));
			}
			return InitRule.zeros(ZERO_BIAS);
		}

		private static InitRule uniform(String text, double bound) {
			return InitRule.of(text + " = U(-" + bound + ", " + bound + ")", "uniform", "low", -bound, "high", bound);
		}

	}

	private static final List<PartRule> PARTS = List.of(PartRule.of("pos_embed", Part.POSITION_EMBEDDING),
			PartRule.of("blocks.*.attn.qkv.weight", Part.QKV),
			PartRule.of("blocks.*.attn.proj.weight", Part.ATTENTION_OUTPUT),
			PartRule.of("blocks.*.mlp.fc1.weight", Part.FFN_IN), PartRule.of("blocks.*.mlp.fc2.weight", Part.FFN_OUT),
			PartRule.of("head.weight", Part.READOUT));

	/** The depth and widths of a config, as recipes need them. */
	private static Structure structureOf(ModelConfig config) {
		int dim = config.integer("embed_dim");
		int heads = config.integer("num_heads");
		return Structure.encoder(config.integer("depth"), dim, heads, dim / heads);
	}

}
