package dev.initlab.experiments;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.propagation.LayerStats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The known results of signal propagation (He et al. 2015, Glorot and Bengio 2010), with
 * fixed seeds. Tolerances are set from the sampling error of one 256-wide, 256-sample
 * batch: the per-layer std ratio is a geometric mean over 29 layer-to-layer ratios, each
 * with relative error about 1/sqrt(2 · 256 · 256) ≈ 0.3 % plus the finite-width
 * fluctuation of the weights (≈ 1/sqrt(256) per layer, averaging down over the stack);
 * ±0.04 is several standard deviations of that, so a seed that fails would be a real
 * change.
 */
class PropagationRunnerTests {

	private final PropagationRunner runner = new PropagationRunner(
			new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
			new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100, 1L << 25, 8));

	@Test
	void reluWithXavierLosesAFactorOfRootTwoPerLayerAndVanishes() {
		PropagationRunner.Result r = run("relu", 30, scheme("xavier_normal"));
		// Var(W) = 2 / (n + n) = 1/n; ReLU halves the second moment: std ratio 1/sqrt(2)
		assertThat(r.stdRatioPerLayer()).isCloseTo(1 / Math.sqrt(2), within(0.04));
		assertThat(r.verdict()).isEqualTo("vanishing");
	}

	@Test
	void reluWithHeStaysStable() {
		PropagationRunner.Result r = run("relu", 30, scheme("kaiming_normal"));
		assertThat(r.stdRatioPerLayer()).isCloseTo(1.0, within(0.04));
		assertThat(r.verdict()).isEqualTo("stable");
	}

	@Test
	void tanhWithUnitNormalWeightsSaturatesByLayerTen() {
		PropagationRunner.Result r = run("tanh", 12, InitSpec.of("normal", "std", 1.0));
		LayerStats tenth = r.layers().get(9);
		assertThat(tenth.saturationFraction()).isGreaterThan(0.5);
		// negative control: He-scaled tanh (gain 5/3) saturates far less
		PropagationRunner.Result scaled = run("tanh", 12, InitSpec.of("xavier_normal", "nonlinearity", "tanh"));
		assertThat(scaled.layers().get(9).saturationFraction()).isLessThan(0.2);
	}

	@Test
	void tanhWithSmallWeightsVanishes() {
		PropagationRunner.Result r = run("tanh", 10, InitSpec.of("normal", "std", 0.01));
		assertThat(r.verdict()).isEqualTo("vanishing");
		// and the gradient vanishes on the way back: layer 1 gets a tiny fraction of
		// layer 10's
		assertThat(r.layers().get(0).gradientStd()).isLessThan(1e-6 * r.layers().get(9).gradientStd());
	}

	@Test
	void layersAreReportedFromTheFirstHiddenLayer() {
		PropagationRunner.Result r = run("relu", 5, scheme("kaiming_normal"));
		assertThat(r.layers()).extracting(LayerStats::layer).containsExactly(1, 2, 3, 4, 5);
		assertThat(r.layers().get(0).saturationFraction()).isNull();
		assertThat(r.layers().get(4).gradientStd()).isCloseTo(1.0, within(0.02));
	}

	@Test
	void lsuvBringsEveryLayersOutputStdToOneWithinTheTolerance() {
		PropagationRunner.Result r = run("relu", 20, InitSpec.of("lsuv", "tolerance", 0.05, "max_iterations", 20));
		// |var - 1| <= 0.05 on the batch, so std within [sqrt(0.95), sqrt(1.05)]
		for (LayerStats layer : r.layers()) {
			assertThat(layer.preactivationStd()).as("layer %d", layer.layer())
				.isBetween(Math.sqrt(0.95) - 1e-12, Math.sqrt(1.05) + 1e-12);
		}
		assertThat(r.lsuvIterations()).hasSize(20).allMatch((n) -> n >= 0 && n <= 20).anyMatch((n) -> n >= 1);
		assertThat(r.verdict()).isEqualTo("stable");
		// negative control: the same orthogonal pre-init without LSUV loses the signal
		// under ReLU
		PropagationRunner.Result plain = run("relu", 20, InitSpec.of("orthogonal"));
		assertThat(plain.layers().get(19).preactivationStd()).isLessThan(0.01);
		assertThat(plain.lsuvIterations()).isNull();
	}

	/**
	 * Exact, not statistical: policies with the same seed start from the same draws
	 * (sequential seeding), Xavier and He normal differ only by the factor sqrt(2) on
	 * them (fan_in = fan_out), and a zero-bias ReLU stack is positively homogeneous. So
	 * against the all-Xavier stack, the overridden stack's preactivation std steps up by
	 * exactly sqrt(2) at each He layer and stays put at every other one.
	 */
	@Test
	void anOverrideAppliesToExactlyTheNamedLayers() {
		List<Integer> named = List.of(1, 12, 13, 14, 15, 16, 30);
		List<PropagationRunner.Result> results = this.runner
			.run(request("relu", 30, policy("xavier", scheme("xavier_normal")),
					policy("xavier, he on 1, 12-16, 30", scheme("xavier_normal"),
							new ExperimentRequest.LayerOverride(List.of(1, 30), weight("kaiming_normal")),
							new ExperimentRequest.LayerOverride(List.of(12, 13, 14, 15, 16), weight("kaiming_normal"))),
					policy("he", scheme("kaiming_normal"))))
			.results();
		List<LayerStats> xavier = results.get(0).layers();
		assertThat(heLayers(results.get(1).layers(), xavier)).isEqualTo(named);
		// negative controls: the rule tells apart no He layer and He everywhere
		assertThat(heLayers(xavier, xavier)).isEmpty();
		assertThat(heLayers(results.get(2).layers(), xavier)).hasSize(30);
		assertThat(results.get(1).lsuvIterations()).isNull();
	}

	/**
	 * He et al. 2015 layer by layer: in a ReLU stack of Xavier layers the activation std
	 * shrinks by 1/sqrt(2) per layer, except across the He block (layers 11-20), where it
	 * holds. Over 40 seeds the block's geometric-mean ratio had mean 0.994 and sd 0.017
	 * (He block) and mean 0.703, sd 0.013 (the Xavier blocks), so ±0.08 and ±0.06 are
	 * more than 4 sd: the false-failure odds for a seed are below 1e-4.
	 */
	@Test
	void heLayersInsideAXavierStackHoldTheSignalThereAndOnlyThere() {
		List<PropagationRunner.Result> results = this.runner
			.run(request("relu", 30,
					policy("xavier, he on 11-20", scheme("xavier_normal"),
							new ExperimentRequest.LayerOverride(List.of(11, 12, 13, 14, 15, 16, 17, 18, 19, 20),
									weight("kaiming_normal"))),
					policy("xavier", scheme("xavier_normal"))))
			.results();
		List<LayerStats> mixed = results.get(0).layers();
		assertThat(ratio(mixed, 11, 20)).isCloseTo(1.0, within(0.08));
		assertThat(ratio(mixed, 2, 10)).isCloseTo(1 / Math.sqrt(2), within(0.06));
		assertThat(ratio(mixed, 21, 30)).isCloseTo(1 / Math.sqrt(2), within(0.06));
		// negative control: without the override the middle block loses the signal too
		assertThat(ratio(results.get(1).layers(), 11, 20)).isCloseTo(1 / Math.sqrt(2), within(0.06));
	}

	@Test
	void lsuvInAnOverrideRescalesOnlyItsLayers() {
		PropagationRunner.Result r = this.runner
			.run(request("relu", 12,
					policy("he, lsuv on 5-8", scheme("kaiming_normal"),
							new ExperimentRequest.LayerOverride(List.of(5, 6, 7, 8),
									weight(InitSpec.of("lsuv", "tolerance", 0.05))))))
			.results()
			.get(0);
		assertThat(r.lsuvIterations()).hasSize(12);
		for (int l = 1; l <= 12; l++) {
			Integer n = r.lsuvIterations().get(l - 1);
			if (l >= 5 && l <= 8) {
				assertThat(n).as("layer %d", l).isNotNull();
				assertThat(r.layers().get(l - 1).preactivationStd()).as("layer %d", l)
					.isBetween(Math.sqrt(0.95) - 1e-12, Math.sqrt(1.05) + 1e-12);
			}
			else {
				assertThat(n).as("layer %d", l).isNull();
			}
		}
		// and the other way round: LSUV for the policy, one layer kept out of it
		PropagationRunner.Result kept = this.runner
			.run(request("relu", 6,
					policy("lsuv but 6", InitSpec.of("lsuv", "tolerance", 0.05),
							new ExperimentRequest.LayerOverride(List.of(6), weight("orthogonal")))))
			.results()
			.get(0);
		assertThat(kept.lsuvIterations()).hasSize(6).last().isNull();
		assertThat(kept.lsuvIterations().subList(0, 5)).doesNotContainNull();
	}

	@Test
	void invalidOverridesNameTheFieldAndTheAllowedValues() {
		assertThatThrownBy(() -> this.runner.run(request("relu", 5,
				policy("p", scheme("kaiming_normal"),
						new ExperimentRequest.LayerOverride(List.of(0, 6), weight("xavier_normal"))))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).containsExactly(
					Map.of("field", "policies[0].layers[0].layers[0]", "message",
							"no layer 0; allowed: 1 to 5 (depth is 5)"),
					Map.of("field", "policies[0].layers[0].layers[1]", "message",
							"no layer 6; allowed: 1 to 5 (depth is 5)")));
		assertThatThrownBy(() -> this.runner.run(request("relu", 5,
				policy("p", scheme("kaiming_normal"),
						new ExperimentRequest.LayerOverride(List.of(2, 3), weight("xavier_normal")),
						new ExperimentRequest.LayerOverride(List.of(3), weight("orthogonal"))))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).containsExactly(Map.of("field", "policies[0].layers[1].layers[0]",
					"message",
					"layer 3 is already named by policies[0].layers[0]; a layer may be named by one override only")));
		assertThatThrownBy(() -> this.runner.run(request("relu", 5,
				policy("p", scheme("kaiming_normal"),
						new ExperimentRequest.LayerOverride(List.of(2),
								weight(InitSpec.of("xavier_normal", "gian", 1.0)))))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).singleElement()
				.satisfies((e) -> assertThat(e.get("field")).isEqualTo("policies[0].layers[0].init.weight.gian")));
		assertThatThrownBy(() -> this.runner.run(request("relu", 5, policy("p", scheme("kaiming_normal")),
				policy("q", scheme("kaiming_normal"),
						new ExperimentRequest.LayerOverride(List.of(2),
								new Policy(null, null, InitSpec.of("lsuv"), null, null, null, null))))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex))
				.containsExactly(Map.of("field", "policies[1].layers[0].init.bias.scheme", "message",
						"lsuv rescales a layer's weights on the batch; it is a weight scheme only")));
	}

	@Test
	void theWorkBoundIsAConfiguredLimit() {
		PropagationRequest big = new PropagationRequest(0L, null, 500, 2048, "relu", 4096,
				List.of(new ExperimentRequest.PolicySpec("he",
						new Policy(null, scheme("kaiming_normal"), null, null, null, null, null), null, null)));
		assertThatThrownBy(() -> this.runner.run(big)).isInstanceOf(LimitExceededException.class)
			.hasMessageContaining("initlab.propagation.max-work");
	}

	@Test
	void theMemoryBoundIsAConfiguredLimitAndTheGenerationLimitsDoNotApply() {
		// depth 50, width 512: 13.1M weights, over /initializations' JSON-data limit
		// (2^22);
		// under a memory limit just below the pass's peak it is that limit that answers
		PropagationRunner tight = new PropagationRunner(
				new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
				new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100, 50L * 512 * (512 + 3) - 1, 8));
		PropagationRequest request = new PropagationRequest(0L, null, 50, 512, "relu", 1,
				List.of(new ExperimentRequest.PolicySpec("he",
						new Policy(null, scheme("kaiming_normal"), null, null, null, null, null), null, null)));
		assertThatThrownBy(() -> tight.run(request)).isInstanceOf(LimitExceededException.class)
			.hasMessageContaining("initlab.propagation.max-elements")
			.hasMessageContaining(Long.toString(50L * 512 * (512 + 3)));
		assertThat(this.runner.run(request).results().get(0).layers()).hasSize(50);
	}

	private PropagationRunner.Result run(String activation, int depth, InitSpec weight) {
		return this.runner.run(request(activation, depth, policy("p", weight))).results().get(0);
	}

	private static PropagationRequest request(String activation, int depth, ExperimentRequest.PolicySpec... policies) {
		return new PropagationRequest(0L, null, depth, 256, activation, 256, List.of(policies));
	}

	/** Weights from {@code weight}, zero biases, and the given overrides. */
	private static ExperimentRequest.PolicySpec policy(String label, InitSpec weight,
			ExperimentRequest.LayerOverride... overrides) {
		return new ExperimentRequest.PolicySpec(label,
				new Policy(null, weight, InitSpec.of("zeros"), null, null, null, null), null, null,
				(overrides.length > 0) ? List.of(overrides) : null);
	}

	private static Policy weight(String scheme) {
		return weight(InitSpec.of(scheme));
	}

	private static Policy weight(InitSpec weight) {
		return new Policy(null, weight, null, null, null, null, null);
	}

	/**
	 * The layers where {@code stack}'s preactivation std, relative to {@code xavier}'s,
	 * steps up by sqrt(2) (to 1e-9); fails if a step is neither 1 nor sqrt(2).
	 */
	private static List<Integer> heLayers(List<LayerStats> stack, List<LayerStats> xavier) {
		List<Integer> he = new java.util.ArrayList<>();
		double previous = 1.0;
		for (int l = 0; l < stack.size(); l++) {
			double relative = stack.get(l).preactivationStd() / xavier.get(l).preactivationStd();
			double step = relative / previous;
			if (Math.abs(step - Math.sqrt(2)) < 1e-9) {
				he.add(l + 1);
			}
			else {
				assertThat(step).as("step at layer %d", l + 1).isCloseTo(1.0, within(1e-9));
			}
			previous = relative;
		}
		return he;
	}

	/** Geometric mean of activation_std[l] / activation_std[l - 1] for l in from..to. */
	private static double ratio(List<LayerStats> stats, int from, int to) {
		return Math.pow(stats.get(to - 1).activationStd() / stats.get(from - 2).activationStd(), 1.0 / (to - from + 1));
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, String>> errors(Throwable ex) {
		return (List<Map<String, String>>) ((InvalidRequestException) ex).getBody().getProperties().get("errors");
	}

	private static InitSpec scheme(String name) {
		return InitSpec.of(name);
	}

}
