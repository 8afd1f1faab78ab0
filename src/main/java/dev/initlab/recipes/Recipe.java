package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.initlab.models.Architecture;
import dev.initlab.models.Architectures;

/**
 * The depth- and width-aware init recipes: the registry the catalog
 * ({@code GET /api/v1/recipes}) and the planner read. A recipe rewrites the initializers
 * a preset chose, by what each tensor does in its model and how deep and wide the model
 * is; the request's overrides still come last (preset → recipe → overrides).
 * <p>
 * Adding a recipe: one constant with its formula, paper and parameters, one {@link Rule}
 * implementation, and tests against a reference written from the paper.
 */
public enum Recipe {

	/**
	 * GPT-2 (Radford et al. 2019, section 2.3), Megatron-LM (Shoeybi et al. 2019) and
	 * nanoGPT: residual-branch output projections ÷ sqrt(factor·L); timm's
	 * {@code fix_init} is the per-layer variant ÷ sqrt(2·(l+1)).
	 */
	SCALED_RESIDUAL("scaled_residual",
			"every residual-branch output projection (attention output, feed-forward output; a residual stack's last "
					+ "branch layer): w ÷ sqrt(factor·L), L the blocks of its stack; per_layer: w ÷ sqrt(factor·(l+1)) "
					+ "for block l (0-based). It divides the preset's undamped rule, so on a library_default that "
					+ "already scales (GPT-2, nanoGPT, timm fix_init) it changes nothing and says so",
			"Radford et al. 2019, Language Models are Unsupervised Multitask Learners (GPT-2), section 2.3; "
					+ "Shoeybi et al. 2019, Megatron-LM, arXiv:1909.08053",
			"transformers GPT2PreTrainedModel._init_weights; karpathy/nanoGPT model.py GPT.__init__; timm "
					+ "VisionTransformer.fix_init_weight (per_layer)",
			List.of(RecipeParam.number("factor", 2.0, "residual branches per block: 2 (attention and MLP)"),
					RecipeParam.bool("per_layer", false, "÷ sqrt(factor·(l+1)) per block instead of sqrt(factor·L)")),
			EnumSet.of(Target.Kind.ARCHITECTURE, Target.Kind.RESIDUAL_STACK), Recipe::transformer,
			new ScaledResidual()),

	/** DeepNet's DeepNorm (Wang et al. 2022). */
	DEEPNORM("deepnorm",
			"residual x = LN(α·x + f(x)); FFN, value and attention-output weights xavier_normal(gain=β), query and "
					+ "key xavier_normal(gain=1). Encoder-only: α=(2N)^(1/4), β=(8N)^(-1/4); decoder-only: "
					+ "α=(2M)^(1/4), β=(8M)^(-1/4); encoder-decoder: α_e=0.81(N^4·M)^(1/16), "
					+ "β_e=0.87(N^4·M)^(-1/16), α_d=(3M)^(1/4), β_d=(12M)^(-1/4). A packed qkv projection scales only "
					+ "its value slice, with that slice's fans. α is reported for the user to apply in code. On a "
					+ "residual stack: the encoder-only constants with N = blocks, β on every branch layer",
			"Wang et al. 2022, DeepNet: Scaling Transformers to 1,000 Layers, arXiv:2203.00555, Table 1 and Figure 2",
			"microsoft/torchscale (its encoder-decoder β_e is 1.15·(N^4·M)^(-1/16) in code; initlab follows the "
					+ "paper's 0.87)",
			List.of(), EnumSet.of(Target.Kind.ARCHITECTURE, Target.Kind.RESIDUAL_STACK), Recipe::transformer,
			new DeepNorm()),

	/** T-Fixup (Huang et al. 2020). */
	T_FIXUP("t_fixup",
			"xavier_uniform for every weight matrix but the input embeddings, which get N(0, d^(-1/2)); then the "
					+ "value, attention-output and feed-forward weights of the encoder × 0.67·N^(-1/4), of the "
					+ "decoder (self- and cross-attention) × (9M)^(-1/4), and the input embeddings × (9M)^(-1/4) "
					+ "(encoder-only models: × 0.67·N^(-1/4), initlab's reading: the paper has no decoder to take M "
					+ "from). The blocks are meant to run without LayerNorm and without learning-rate warmup",
			"Huang, Perez, Ba, Volkovs 2020, Improving Transformer Optimization Through Better Initialization, "
					+ "ICML, Algorithm 1",
			"layer6ai-labs/T-Fixup", List.of(), EnumSet.of(Target.Kind.ARCHITECTURE), Recipe::transformer,
			new TFixup()),

	/** Fixup (Zhang, Dauphin, Ma 2019). */
	FIXUP("fixup",
			"on fixup/resnet*: the reference implementation's init (its library_default: branch convs "
					+ "He-normal × L^(-1/(2m-2)), each branch's last conv and the classifier zero), so the recipe "
					+ "is optional there; on a residual stack: each branch's last layer zero, the others × "
					+ "L^(-1/(2m-2)) (L blocks, m layers per branch)",
			"Zhang, Dauphin, Ma 2019, Fixup Initialization: Residual Learning Without Normalization, ICLR",
			"hongyi-zhang/Fixup imagenet/models/fixup_resnet_imagenet.py", List.of(),
			EnumSet.of(Target.Kind.ARCHITECTURE, Target.Kind.RESIDUAL_STACK), (a) -> a.name().startsWith("fixup/"),
			new Fixup()),

	/** SkipInit-style zero residual branches (De and Smith 2020). */
	SKIPINIT("skipinit",
			"every residual-branch output projection (a residual stack's last branch layer) zero, so each block "
					+ "starts as the identity (x ← α·x): the forward pass SkipInit's zero-initialized branch "
					+ "multiplier gives at initialization",
			"De and Smith 2020, Batch Normalization Biases Residual Blocks Towards the Identity Function in Deep "
					+ "Networks (SkipInit), NeurIPS",
			"", List.of(), EnumSet.of(Target.Kind.ARCHITECTURE, Target.Kind.RESIDUAL_STACK), Recipe::transformer,
			new SkipInit()),

	/** μP (Yang et al. 2022) as microsoft/mup computes it. */
	MUP("mup",
			"from a base model of the same architecture (base_config: the config fields that differ, e.g. "
					+ "{\"n_embd\": 256}; a layers stack: base_layers): per tensor width_mult (the last width "
					+ "dimension's target/base), the μP init std (fan-scaled rules as set_base_shapes(rescale_params="
					+ "True) leaves them, readout weight and bias × sqrt(width_mult), linear biases × sqrt(fan-in "
					+ "mult); fixed-std rules × width_mult^(-1/2) on matrix-like tensors, as mup.init does), the "
					+ "learning-rate multipliers of MuAdam (matrix-like ÷ width_mult) and MuSGD (vector-like × "
					+ "width_mult, matrix-like ÷ fan-in/fan-out mult ratio), and the readout's output_multiplier = "
					+ "output_mult / width_mult, in each tensor's init.mup; readout_zero_init zeroes the readout "
					+ "(a 400 when it is tied to the embedding)",
			"Yang, Hu, Babuschkin, Sidor, Liu, Farhi, Ryder, Pachocki, Chen, Gao 2022, Tensor Programs V: Tuning "
					+ "Large Neural Networks via Zero-Shot Hyperparameter Transfer, arXiv:2203.03466",
			"microsoft/mup 1.0.0 (mup/shape.py, mup/infshape.py, mup/layer.py, mup/optim.py, mup/init.py)", List.of(
					RecipeParam.object("base_config",
							"architectures: the base model's config fields that differ "
									+ "from config (its widths); required"),
					RecipeParam.array("base_layers",
							"layers stacks: one {\"in_features\", \"out_features\"} per "
									+ "layer, the base model's widths; required"),
					RecipeParam.number("output_mult", 1.0, "MuReadout's output_mult"),
					RecipeParam.bool("readout_zero_init", false, "zero the readout's weight and bias")),
			EnumSet.of(Target.Kind.ARCHITECTURE, Target.Kind.LAYERS), Recipe::transformer, new MupRecipe()),

	/** ZerO (Zhao, Schäfer, Anandkumar 2022). */
	ZERO("zero",
			"every linear weight (a convolution's at its kernel centre) the deterministic ZerO matrix of scheme "
					+ "hadamard (Algorithm 1: identity when out = in, partial identity when out < in, c·(top-left "
					+ "block of the Sylvester Hadamard matrix H_m) when out > in, m = ceil(log2 out), c = "
					+ "2^(-(m-1)/2)), every bias zero; nothing is drawn. variant notebook uses the authors' "
					+ "notebook's c = 2^(-m/2)",
			"Zhao, Schäfer, Anandkumar 2022, ZerO Initialization: Initializing Neural Networks with only Zeros and "
					+ "Ones, TMLR, arXiv:2110.12661, Algorithm 1",
			"jiaweizzhao/ZerO-initialization example_mnist.ipynb (ZerO_Init_on_matrix: c = 2^(-m/2))",
			List.of(RecipeParam.choice("variant", "paper", List.of("paper", "notebook"),
					"c = 2^(-(m-1)/2) as the paper's Algorithm 1, or 2^(-m/2) as the authors' notebook")),
			EnumSet.of(Target.Kind.LAYERS), (a) -> false, new ZeroRecipe()),

	/** Mimetic attention initialization (Trockman and Kolter 2023). */
	MIMETIC("mimetic",
			"per attention module, from Z ~ N(0, I/d): per head W_q·W_kᵀ ≈ α₁Z₁ + β₁I (the rank-head_dim truncated "
					+ "SVD U_k S_k^(1/2), V_k S_k^(1/2)) and over all heads W_v·W_o ≈ α₂Z₂ − β₂I (U S^(1/2), "
					+ "S^(1/2) Vᵀ); packed projections get their slices; biases keep their rule. Needs heads · "
					+ "head_dim = d_model and no grouped-query attention; costs heads + 1 SVDs of d × d per "
					+ "module, so d_model is bounded by initlab.recipes.mimetic-max-width",
			"Trockman and Kolter 2023, Mimetic Initialization of Self-Attention Layers, ICML, arXiv:2305.09828",
			"the paper's section 3 (the authors' code, locuslab/mimetic, was not available to check against)",
			List.of(RecipeParam.number("alpha1", 0.7, "α₁, the weight of Z₁ in W_q·W_kᵀ"),
					RecipeParam.number("beta1", 0.7, "β₁, the weight of I in W_q·W_kᵀ"),
					RecipeParam.number("alpha2", 0.4, "α₂, the weight of Z₂ in W_v·W_o"),
					RecipeParam.number("beta2", 0.4, "β₂, the weight of −I in W_v·W_o")),
			EnumSet.of(Target.Kind.ARCHITECTURE), Recipe::transformer, new MimeticRecipe());

	private final String wireName;

	private final String formula;

	private final String paper;

	private final String reference;

	private final List<RecipeParam> params;

	private final Set<Target.Kind> kinds;

	private final Predicate<Architecture> architectures;

	private final Rule rule;

	Recipe(String wireName, String formula, String paper, String reference, List<RecipeParam> params,
			Set<Target.Kind> kinds, Predicate<Architecture> architectures, Rule rule) {
		this.wireName = wireName;
		this.formula = formula;
		this.paper = paper;
		this.reference = reference;
		this.params = List.copyOf(params);
		this.kinds = Set.copyOf(kinds);
		this.architectures = architectures;
		this.rule = rule;
	}

	/** What a recipe does to a target's tensors. */
	interface Rule {

		/**
		 * @param target what to act on (already known to be one the recipe applies to)
		 * @param args the request's parameters, checked against the declared ones
		 * @throws InvalidRecipeException naming the field at fault
		 */
		Outcome apply(Target target, RecipeArgs args);

	}

	/** A transformer: an architecture that states the parts of its weights. */
	private static boolean transformer(Architecture a) {
		return !a.parts().isEmpty();
	}

	public String wireName() {
		return this.wireName;
	}

	/** The formula, in words and symbols. */
	public String formula() {
		return this.formula;
	}

	/** The paper it comes from. */
	public String paper() {
		return this.paper;
	}

	/** The reference code it was checked against, where there is one. */
	public String reference() {
		return this.reference;
	}

	public List<RecipeParam> params() {
		return this.params;
	}

	/** The architectures it applies to, by wire name, in registry order. */
	public List<String> architectures() {
		if (!this.kinds.contains(Target.Kind.ARCHITECTURE)) {
			return List.of();
		}
		return Arrays.stream(Architectures.values())
			.map(Architectures::architecture)
			.filter(this.architectures)
			.map(Architecture::name)
			.toList();
	}

	/** The kinds of stacks it applies to besides architectures. */
	public List<String> stacks() {
		return this.kinds.stream()
			.filter((k) -> k != Target.Kind.ARCHITECTURE)
			.sorted()
			.map(Target.Kind::description)
			.toList();
	}

	/** Whether it applies to {@code target}. */
	public boolean appliesTo(Target target) {
		if (!this.kinds.contains(target.kind())) {
			return false;
		}
		return target.kind() != Target.Kind.ARCHITECTURE || this.architectures.test(target.architecture());
	}

	/**
	 * Applies the recipe.
	 * @throws InvalidRecipeException naming the field of {@code recipe} at fault: the
	 * recipe's name when it does not apply to the target (the message lists what it
	 * applies to), or a parameter
	 */
	public Outcome apply(Target target, RecipeSpec spec) {
		if (!appliesTo(target)) {
			List<String> where = new ArrayList<>(architectures());
			where.addAll(stacks());
			throw new InvalidRecipeException("name", "recipe '" + this.wireName + "' does not apply to "
					+ target.describe() + "; it applies to: " + String.join(", ", where));
		}
		RecipeArgs args = new RecipeArgs(this.params, spec.params());
		Outcome outcome = this.rule.apply(target, args);
		args.done();
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("name", this.wireName);
		echo.putAll(args.values());
		echo.putAll(outcome.echo());
		return new Outcome(outcome.steps(), echo);
	}

	/** The recipe of a wire name. */
	public static Optional<Recipe> byName(String name) {
		return Arrays.stream(values()).filter((r) -> r.wireName.equals(name)).findFirst();
	}

	/** The wire names, in order. */
	public static List<String> names() {
		return Arrays.stream(values()).map(Recipe::wireName).toList();
	}

	/**
	 * Looks up and applies the recipe a request names.
	 * @throws InvalidRecipeException for an unknown name, a target it does not apply to,
	 * or a parameter at fault
	 */
	public static Outcome apply(RecipeSpec spec, Target target) {
		if (spec.name() == null) {
			throw new InvalidRecipeException("name", "a recipe needs a name; allowed: " + String.join(", ", names()));
		}
		Recipe recipe = byName(spec.name()).orElseThrow(() -> new InvalidRecipeException("name",
				"unknown recipe '" + spec.name() + "'; allowed: " + String.join(", ", names())));
		return recipe.apply(target, spec);
	}

}
