package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.stereotype.Component;

import dev.initlab.admission.Admission;
import dev.initlab.generation.Blueprint;
import dev.initlab.generation.LinearStack;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Linear;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.propagation.LayerStats;
import dev.initlab.propagation.Residual;
import dev.initlab.propagation.ResidualPropagation;
import dev.initlab.propagation.SignalPropagation;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.training.Activation;

/**
 * Runs {@code POST /api/v1/propagation}: each policy's stack comes from the same
 * generation code as {@code /initializations} (sequential seeding), and one batch is
 * pushed through it.
 */
@Component
public class PropagationRunner {

	private final Planner planner;

	private final PropagationLimits limits;

	public PropagationRunner(Planner planner, PropagationLimits limits) {
		this.planner = planner;
		this.limits = limits;
	}

	/**
	 * The answer.
	 *
	 * @param block the residual block as resolved (defaults filled in); absent for a
	 * plain stack
	 */
	public record Response(long seed, int depth, int width, String activation, List<Result> results,
			@JsonInclude(JsonInclude.Include.NON_NULL) BlockSpec block) {

		public Response(long seed, int depth, int width, String activation, List<Result> results) {
			this(seed, depth, width, activation, results, null);
		}

	}

	/**
	 * @param label the policy's label
	 * @param layers per-layer statistics, layer 1 first (per block, block 1 first, in a
	 * residual stack)
	 * @param stdRatioPerLayer geometric mean of activation_std[l+1] / activation_std[l]
	 * @param verdict vanishing, exploding or stable
	 * @param lsuvIterations with LSUV, the rescalings each layer took (null for layers
	 * LSUV left alone); absent without LSUV
	 * @param recipe with a recipe, its name, resolved parameters and what to apply in
	 * code (as {@code /initializations} echoes it); absent without
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Result(String label, List<LayerStats> layers, double stdRatioPerLayer, String verdict,
			List<Integer> lsuvIterations, Map<String, Object> recipe) {

		public Result(String label, List<LayerStats> layers, double stdRatioPerLayer, String verdict,
				List<Integer> lsuvIterations) {
			this(label, layers, stdRatioPerLayer, verdict, lsuvIterations, null);
		}

	}

	public Response run(PropagationRequest r) {
		return run(r, null);
	}

	/**
	 * Elements one policy's pass holds at its peak: the weights, and the pre-activations,
	 * activations and gradients of every layer over the batch.
	 */
	static long peakElements(int depth, int width, int batch) {
		return (long) depth * width * ((long) width + 3L * batch);
	}

	/**
	 * Validates and plans every policy, then runs them one after the other while holding
	 * room for one pass in {@code admission} (null: no admission control).
	 */
	public Response run(PropagationRequest r, Admission admission) {
		long seed = (r.seed() != null) ? r.seed() : SeedMaterial.drawSeed();
		int depth = r.depth();
		int width = r.width();
		int batch = (r.batchSize() != null) ? r.batchSize() : 256;
		String name = (r.activation() != null) ? r.activation() : "relu";
		Activation activation = Activation.byName(name)
			.orElseThrow(() -> new InvalidRequestException("activation",
					"unknown activation '" + name + "'; allowed: " + String.join(", ", Activation.names())));
		Residual residual = (r.block() != null) ? r.block().resolve(this.limits.maxBranchLayers()) : null;
		int perBlock = (residual != null) ? residual.branchLayers() : 1;
		check("depth", depth, 1, this.limits.maxDepth(), "max-depth");
		check("width", width, 1, this.limits.maxWidth(), "max-width");
		check("batch_size", batch, 1, this.limits.maxBatch(), "max-batch");
		double work = (double) r.policies().size() * depth * perBlock * width * (double) width * batch;
		if (work > this.limits.maxWork()) {
			throw new LimitExceededException(
					(residual != null) ? "multiply-adds (policies × depth × branch_layers × width² × batch)"
							: "multiply-adds (policies × depth × width² × batch)",
					(long) Math.min(work, Long.MAX_VALUE), this.limits.maxWork(), PropagationLimits.PREFIX + "max-work",
					null);
		}
		long peak = (residual != null) ? ResidualPropagation.peakElements(depth, width, batch, perBlock)
				: peakElements(depth, width, batch);
		if (peak > this.limits.maxElements()) {
			throw new LimitExceededException((residual != null)
					? "elements in memory (depth × branch_layers × (width² + width) + (depth + 2 × branch_layers + 7) "
							+ "× width × batch_size + 2 × batch_size)"
					: "elements in memory (depth × width × (width + 3 × batch_size))", peak, this.limits.maxElements(),
					PropagationLimits.PREFIX + "max-elements", null);
		}
		Generator generator = InvalidRequestException.lookup("rng", "rng", r.rng(), Generator.DEFAULT,
				Generator::byName, Generator.names());
		SignalPropagation.Nonlinearity f = ExperimentRunner.nonlinearity(activation);
		int stackLayers = depth * perBlock;
		String numbering = (residual != null) ? BranchLayer.numbering(depth, perBlock) : "depth is " + depth;
		// every policy is checked and planned before any is run, so a bad one fails fast
		List<StackPolicy> stacks = new ArrayList<>();
		List<Plan> plans = new ArrayList<>();
		List<Map<String, Object>> recipes = new ArrayList<>();
		for (int p = 0; p < r.policies().size(); p++) {
			ExperimentRequest.PolicySpec policy = r.policies().get(p);
			String path = "policies[" + p + "]";
			if (policy.recipe() != null && residual == null) {
				throw new InvalidRequestException(path + ".recipe", "recipes apply to residual stacks here: add "
						+ "\"block\": {\"type\": \"residual\"} (see GET /api/v1/recipes, residual stacks)");
			}
			StackPolicy stack = StackPolicy.of(policy, stackLayers, numbering, path, this.limits.maxLsuvIterations(),
					PropagationLimits.PREFIX + "max-lsuv-iterations");
			long policySeed = (policy.seed() != null) ? policy.seed() : seed;
			List<FieldError> found = new ArrayList<>();
			// an unknown rng plans with the default generator, as a request's does
			Generator policyGenerator = (policy.rng() == null) ? generator : InvalidRequestException.lookup("rng",
					"rng", policy.rng(), Generator.DEFAULT, Generator::byName, Generator.names(), found);
			List<BranchLayer> branch = (residual != null) ? BranchLayer.of(depth, perBlock) : null;
			List<LayerSpec> layers = (residual != null) ? branchLayers(stack.layerInits(), branch, width, activation)
					: plainLayers(stack, depth, width, activation);
			Plan plan = plan(policySeed, policyGenerator, stack, layers, path, found);
			Map<String, Object> echo = null;
			if (policy.recipe() != null) {
				// planned once as it is, so that every field of the policy is known good;
				// then again with the recipe's initializers
				ResidualRecipe recipe = ResidualRecipe.apply(policy.recipe(), path, stack, branch, layers);
				plan = plan(policySeed, policyGenerator, stack,
						branchLayers(recipe.layerInits(), branch, width, activation), path, new ArrayList<>());
				echo = withAlphaNote(recipe.echo(), residual);
			}
			plans.add(plan);
			stacks.add(stack);
			recipes.add(echo);
		}
		List<Result> results = new ArrayList<>();
		try (Admission.Permit permit = (admission != null) ? admission.acquire(peak, "a propagation pass") : null) {
			for (int p = 0; p < r.policies().size(); p++) {
				results.add(run(r.policies().get(p), seed, plans.get(p), stacks.get(p), residual, width, batch, f,
						recipes.get(p)));
			}
		}
		BlockSpec block = (residual != null) ? new BlockSpec(BlockSpec.RESIDUAL, residual.branchLayers(),
				residual.norm().wireName(), residual.alpha()) : null;
		return new Response(seed, depth, width, activation.wireName(), results, block);
	}

	/**
	 * Today's plain stack: {@code depth} square linear layers, each followed by the
	 * activation.
	 */
	private static List<LayerSpec> plainLayers(StackPolicy stack, int depth, int width, Activation activation) {
		List<LayerSpec> layers = new ArrayList<>();
		for (int l = 1; l <= depth; l++) {
			layers.add(new Linear("layer" + l, "linear", width, width, true, activation.wireName(),
					stack.layerInits().get(l - 1)));
		}
		return layers;
	}

	/**
	 * A residual stack's branch layers, block-major, named {@code block<b>.layer<j>}. The
	 * activation a layer declares is what follows it: the stack's activation, except
	 * after a branch's last layer, which has none ({@code linear}), so {@code kaiming_*}
	 * resolves its gain there to 1 unless the init names a nonlinearity.
	 * @param inits per branch layer, its own init (an override's, a recipe's) or null
	 */
	private static List<LayerSpec> branchLayers(List<Policy> inits, List<BranchLayer> branch, int width,
			Activation activation) {
		List<LayerSpec> layers = new ArrayList<>();
		for (BranchLayer layer : branch) {
			layers.add(new Linear(layer.name(), "linear", width, width, true,
					layer.last() ? LINEAR : activation.wireName(), inits.get(layer.index())));
		}
		return layers;
	}

	/** What follows a branch's last layer: nothing, which the gain table calls linear. */
	private static final String LINEAR = "linear";

	/**
	 * A policy's stack planned as {@code /initializations} would with sequential seeding.
	 * No response format: the weights stay in memory, bounded by max-elements, not by the
	 * response limits of /initializations.
	 */
	private Plan plan(long seed, Generator generator, StackPolicy stack, List<LayerSpec> layers, String path,
			List<FieldError> found) {
		try {
			return this.planner.plan(Blueprint.sequentialData(seed, generator, stack.init(), layers), null, null,
					found);
		}
		catch (InvalidRequestException ex) {
			throw stack.prefixed(ex, path, "width");
		}
	}

	/**
	 * A recipe's echo, with a note when it reports a skip multiplier α (DeepNorm) that
	 * the stack does not use: a recipe sets weights only, the block's {@code norm} and
	 * {@code alpha} are the request's.
	 */
	private static Map<String, Object> withAlphaNote(Map<String, Object> echo, Residual residual) {
		if (!(echo.get("alpha") instanceof Number n) || echo.containsKey("note")) {
			return echo;
		}
		double alpha = n.doubleValue();
		if (residual.norm() == Residual.Norm.POST_LN && Math.abs(residual.alpha() - alpha) <= 1e-9 * alpha) {
			return echo;
		}
		Map<String, Object> noted = new LinkedHashMap<>(echo);
		noted.put("note",
				"the recipe sets the weights; its residual is x = LN(x * " + alpha + " + f(x)), and this stack's block "
						+ "is norm " + residual.norm().wireName() + ", alpha " + residual.alpha()
						+ ": give block {\"norm\": \"post_ln\", \"alpha\": " + alpha + "} to see it as intended");
		return noted;
	}

	/** One policy's pass: its weights, the batch, LSUV if asked, the statistics. */
	private static Result run(ExperimentRequest.PolicySpec policy, long seed, Plan plan, StackPolicy stack,
			Residual residual, int width, int batch, SignalPropagation.Nonlinearity f, Map<String, Object> recipe) {
		long policySeed = (policy.seed() != null) ? policy.seed() : seed;
		LinearStack initial = LinearStack.of(plan);
		List<double[]> weights = Arrays.asList(initial.weights());
		List<double[]> biases = Arrays.asList(initial.biases());
		RandomStream stream = plan.generator().create(SeedMaterial.forTensorBlock(policySeed, "propagation/batch", 0));
		double[][] x = SignalPropagation.input(width, batch, stream);
		List<Integer> lsuvIterations = null;
		if (stack.usesLsuv()) {
			lsuvIterations = (residual != null)
					? ResidualPropagation.lsuv(weights, biases, x, f, residual, stack.lsuv())
					: SignalPropagation.lsuv(weights, biases, x, f, stack.lsuv());
		}
		List<LayerStats> stats = (residual != null) ? ResidualPropagation.run(weights, biases, x, f, residual, stream)
				: SignalPropagation.run(weights, biases, x, f, stream);
		return new Result(policy.label(), stats, SignalPropagation.stdRatioPerLayer(stats),
				SignalPropagation.verdict(stats), lsuvIterations, recipe);
	}

	private static void check(String field, int value, int min, int max, String property) {
		if (value < min) {
			throw new InvalidRequestException(field, "must be >= " + min);
		}
		if (value > max) {
			throw new LimitExceededException(field.replace('_', ' '), value, max, PropagationLimits.PREFIX + property,
					null);
		}
	}

}
