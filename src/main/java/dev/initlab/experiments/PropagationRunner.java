package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.stereotype.Component;

import dev.initlab.admission.Admission;
import dev.initlab.generation.Blueprint;
import dev.initlab.generation.LinearStack;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Linear;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.propagation.LayerStats;
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

	/** The answer. */
	public record Response(long seed, int depth, int width, String activation, List<Result> results) {
	}

	/**
	 * @param label the policy's label
	 * @param layers per-layer statistics, layer 1 first
	 * @param stdRatioPerLayer geometric mean of activation_std[l+1] / activation_std[l]
	 * @param verdict vanishing, exploding or stable
	 * @param lsuvIterations with LSUV, the rescalings each layer took (null for layers
	 * LSUV left alone); absent without LSUV
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Result(String label, List<LayerStats> layers, double stdRatioPerLayer, String verdict,
			List<Integer> lsuvIterations) {
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
		check("depth", depth, 1, this.limits.maxDepth(), "max-depth");
		check("width", width, 1, this.limits.maxWidth(), "max-width");
		check("batch_size", batch, 1, this.limits.maxBatch(), "max-batch");
		double work = (double) r.policies().size() * depth * width * (double) width * batch;
		if (work > this.limits.maxWork()) {
			throw new LimitExceededException("multiply-adds (policies × depth × width² × batch)",
					(long) Math.min(work, Long.MAX_VALUE), this.limits.maxWork(), PropagationLimits.PREFIX + "max-work",
					null);
		}
		long peak = peakElements(depth, width, batch);
		if (peak > this.limits.maxElements()) {
			throw new LimitExceededException("elements in memory (depth × width × (width + 3 × batch_size))", peak,
					this.limits.maxElements(), PropagationLimits.PREFIX + "max-elements", null);
		}
		Generator generator = InvalidRequestException.lookup("rng", "rng", r.rng(), Generator.DEFAULT,
				Generator::byName, Generator.names());
		SignalPropagation.Nonlinearity f = ExperimentRunner.nonlinearity(activation);
		// every policy is checked and planned before any is run, so a bad one fails fast
		List<StackPolicy> stacks = new ArrayList<>();
		List<Plan> plans = new ArrayList<>();
		for (int p = 0; p < r.policies().size(); p++) {
			ExperimentRequest.PolicySpec policy = r.policies().get(p);
			String path = "policies[" + p + "]";
			StackPolicy stack = StackPolicy.of(policy, depth, "depth is " + depth, path,
					this.limits.maxLsuvIterations(), PropagationLimits.PREFIX + "max-lsuv-iterations");
			long policySeed = (policy.seed() != null) ? policy.seed() : seed;
			List<LayerSpec> layers = new ArrayList<>();
			for (int l = 1; l <= depth; l++) {
				layers.add(new Linear("layer" + l, "linear", width, width, true, activation.wireName(),
						stack.layerInits().get(l - 1)));
			}
			List<FieldError> found = new ArrayList<>();
			// an unknown rng plans with the default generator, as a request's does
			Generator policyGenerator = (policy.rng() == null) ? generator : InvalidRequestException.lookup("rng",
					"rng", policy.rng(), Generator.DEFAULT, Generator::byName, Generator.names(), found);
			try {
				// no response format: the weights stay in memory, bounded by max-elements
				// above,
				// not by the response limits of /initializations
				plans.add(this.planner.plan(Blueprint.sequentialData(policySeed, policyGenerator, stack.init(), layers),
						null, null, found));
			}
			catch (InvalidRequestException ex) {
				throw stack.prefixed(ex, path, "width");
			}
			stacks.add(stack);
		}
		List<Result> results = new ArrayList<>();
		try (Admission.Permit permit = (admission != null)
				? admission.acquire(peakElements(depth, width, batch), "a propagation pass") : null) {
			for (int p = 0; p < r.policies().size(); p++) {
				results.add(run(r.policies().get(p), seed, plans.get(p), stacks.get(p), depth, width, batch, f));
			}
		}
		return new Response(seed, depth, width, activation.wireName(), results);
	}

	/** One policy's pass: its weights, the batch, LSUV if asked, the statistics. */
	private static Result run(ExperimentRequest.PolicySpec policy, long seed, Plan plan, StackPolicy stack, int depth,
			int width, int batch, SignalPropagation.Nonlinearity f) {
		long policySeed = (policy.seed() != null) ? policy.seed() : seed;
		LinearStack initial = LinearStack.of(plan);
		List<double[]> weights = Arrays.asList(initial.weights());
		List<double[]> biases = Arrays.asList(initial.biases());
		RandomStream stream = plan.generator().create(SeedMaterial.forTensorBlock(policySeed, "propagation/batch", 0));
		double[][] x = SignalPropagation.input(width, batch, stream);
		List<Integer> lsuvIterations = null;
		if (stack.usesLsuv()) {
			lsuvIterations = SignalPropagation.lsuv(weights, biases, x, f, stack.lsuv());
		}
		List<LayerStats> stats = SignalPropagation.run(weights, biases, x, f, stream);
		return new Result(policy.label(), stats, SignalPropagation.stdRatioPerLayer(stats),
				SignalPropagation.verdict(stats), lsuvIterations);
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
