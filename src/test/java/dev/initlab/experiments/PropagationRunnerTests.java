package dev.initlab.experiments;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.LimitExceededException;
import dev.initlab.generation.Planner;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
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
			new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100));

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

	@Test
	void theWorkBoundIsAConfiguredLimit() {
		PropagationRequest big = new PropagationRequest(0L, null, 500, 2048, "relu", 4096,
				List.of(new ExperimentRequest.PolicySpec("he",
						new Policy(null, scheme("kaiming_normal"), null, null, null, null, null), null, null)));
		assertThatThrownBy(() -> this.runner.run(big)).isInstanceOf(LimitExceededException.class)
			.hasMessageContaining("initlab.propagation.max-work");
	}

	private PropagationRunner.Result run(String activation, int depth, InitSpec weight) {
		PropagationRequest request = new PropagationRequest(0L, null, depth, 256, activation, 256,
				List.of(new ExperimentRequest.PolicySpec("p",
						new Policy(null, weight, InitSpec.of("zeros"), null, null, null, null), null, null)));
		return this.runner.run(request).results().get(0);
	}

	private static InitSpec scheme(String name) {
		return InitSpec.of(name);
	}

}
