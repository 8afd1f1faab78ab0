package dev.initlab.experiments;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.training.Dataset;
import dev.initlab.training.HistoryEntry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Per-layer overrides and LSUV in experiments, on a non-square network (2 → 10 → 5 → 1,
 * tanh, sigmoid output) and the course's flower. Fixed seeds; the LSUV assertions are
 * exact consequences of the algorithm (it stops only within the tolerance), recomputed
 * here from the prepared weights, so they cannot fail by chance.
 */
class ExperimentRunnerTests {

	static final double TOLERANCE = 0.05;

	private final ExperimentRunner runner = new ExperimentRunner(
			new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
			new ExperimentLimits(100000, 10000, 256, 8, 8, 1000, 20_000_000_000L, 1_000_000_000L, 100, 400, 1000));

	@Test
	void lsuvBringsEveryLayersOutputStdOnTheTrainingBatchToOneAtIterationZero() {
		ExperimentRunner.Prepared prepared = prepare(
				policy("lsuv", InitSpec.of("lsuv", "tolerance", TOLERANCE, "max_iterations", 10)),
				policy("orthogonal", InitSpec.of("orthogonal")));
		ExperimentRunner.PolicyRun lsuv = prepared.policies().get(0);
		double[] stds = outputStds(prepared, lsuv);
		assertThat(stds).hasSize(3);
		// every linear layer, the output layer included, as Mishkin and Matas do
		for (int l = 0; l < stds.length; l++) {
			assertThat(stds[l] * stds[l]).as("layer %d", l + 1).isCloseTo(1.0, within(TOLERANCE));
		}
		assertThat(lsuv.lsuvIterations()).hasSize(3).allMatch((n) -> n != null && n >= 0 && n <= 10);
		// negative control: the same orthogonal pre-init without LSUV is not at unit
		// variance in the hidden layers
		ExperimentRunner.PolicyRun plain = prepared.policies().get(1);
		double[] plainStds = outputStds(prepared, plain);
		assertThat(Math.abs(plainStds[0] * plainStds[0] - 1)).isGreaterThan(TOLERANCE);
		assertThat(Math.abs(plainStds[1] * plainStds[1] - 1)).isGreaterThan(TOLERANCE);
		assertThat(plain.lsuvIterations()).isNull();
	}

	@Test
	void theRecordedInitialStateIsTheLsuvScaledNetworkAndItIsDeterministic() {
		ExperimentRunner.Prepared prepared = prepare(
				policy("lsuv", InitSpec.of("lsuv", "tolerance", TOLERANCE, "max_iterations", 10)),
				policy("orthogonal", InitSpec.of("orthogonal")));
		List<ExperimentRunner.PolicyResult> results = this.runner.run(prepared, (p, e) -> {
		}, () -> false);
		HistoryEntry lsuvStart = results.get(0).history().get(0);
		HistoryEntry plainStart = results.get(1).history().get(0);
		assertThat(lsuvStart.iteration()).isZero();
		assertThat(lsuvStart.loss()).isCloseTo(loss(prepared, prepared.policies().get(0)), within(1e-12));
		assertThat(plainStart.loss()).isCloseTo(loss(prepared, prepared.policies().get(1)), within(1e-12));
		assertThat(lsuvStart.loss()).isNotCloseTo(plainStart.loss(), within(1e-6));
		// same request, same initial parameters
		ExperimentRunner.Prepared again = prepare(
				policy("lsuv", InitSpec.of("lsuv", "tolerance", TOLERANCE, "max_iterations", 10)),
				policy("orthogonal", InitSpec.of("orthogonal")));
		assertThat(again.policies().get(0).weights()).isDeepEqualTo(prepared.policies().get(0).weights());
		assertThat(again.policies().get(0).biases()).isDeepEqualTo(prepared.policies().get(0).biases());
	}

	@Test
	void anOverrideKeepsTheOutputLayerOutOfLsuv() {
		ExperimentRequest.PolicySpec hiddenOnly = new ExperimentRequest.PolicySpec("lsuv hidden",
				new Policy(null, InitSpec.of("lsuv", "tolerance", TOLERANCE), InitSpec.of("zeros"), null, null, null,
						null),
				null, null,
				List.of(new ExperimentRequest.LayerOverride(List.of(3), weight(InitSpec.of("orthogonal")))));
		ExperimentRunner.Prepared prepared = prepare(hiddenOnly, policy("orthogonal", InitSpec.of("orthogonal")));
		ExperimentRunner.PolicyRun run = prepared.policies().get(0);
		assertThat(run.lsuvIterations()).hasSize(3);
		assertThat(run.lsuvIterations().get(0)).isNotNull();
		assertThat(run.lsuvIterations().get(1)).isNotNull();
		assertThat(run.lsuvIterations().get(2)).isNull();
		// the output layer is exactly the orthogonal policy's (same seed, same draws)
		assertThat(run.weights()[2]).containsExactly(prepared.policies().get(1).weights()[2]);
		double[] stds = outputStds(prepared, run);
		assertThat(stds[1] * stds[1]).isCloseTo(1.0, within(TOLERANCE));
	}

	@Test
	void overridesGiveExactlyTheNamedLayersTheirOwnInit() {
		// the symmetric failure everywhere except layer 2, which gets He weights
		ExperimentRequest.PolicySpec spec = new ExperimentRequest.PolicySpec("zeros but layer 2",
				Policy.preset("zeros"), null, null,
				List.of(new ExperimentRequest.LayerOverride(List.of(2), weight(InitSpec.of("kaiming_normal")))));
		ExperimentRunner.PolicyRun run = prepare(spec).policies().get(0);
		assertThat(run.weights()[0]).containsOnly(0.0);
		assertThat(run.weights()[1]).doesNotContain(0.0);
		assertThat(run.weights()[2]).containsOnly(0.0);
		for (double[] b : run.biases()) {
			assertThat(b).containsOnly(0.0);
		}
		// He normal for [5, 10]: std sqrt(2 / 10) (kaiming's default leaky_relu gain is
		// ~sqrt(2)); 50 draws put the sample std within 35 % of it with probability
		// > 1 - 1e-6
		double std = Math.sqrt(Arrays.stream(run.weights()[1]).map((v) -> v * v).average().orElseThrow());
		assertThat(std / Math.sqrt(2.0 / 10)).isCloseTo(1.0, within(0.35));
		// negative control: without the override layer 2 is zeros too
		assertThat(prepare(policy("zeros", null)).policies().get(0).weights()[1]).containsOnly(0.0);
	}

	@Test
	void invalidOverridesAndLsuvSettingsNameTheirFields() {
		Policy he = weight(InitSpec.of("kaiming_normal"));
		assertThat(fields(() -> prepare(new ExperimentRequest.PolicySpec("p", he, null, null,
				List.of(new ExperimentRequest.LayerOverride(List.of(4), he))))))
			.containsEntry("policies[0].layers[0].layers[0]",
					"no layer 4; allowed: 1 to 3 (the network has 3 linear layers: 2 hidden, then the output layer)");
		assertThat(fields(() -> prepare(new ExperimentRequest.PolicySpec("p", he, null, null,
				List.of(new ExperimentRequest.LayerOverride(List.of(1, 2), he),
						new ExperimentRequest.LayerOverride(List.of(2), he))))))
			.containsOnlyKeys("policies[0].layers[1].layers[0]");
		assertThat(fields(() -> prepare(new ExperimentRequest.PolicySpec("p", he, null, null,
				List.of(new ExperimentRequest.LayerOverride(List.of(1, 2, 3),
						weight(InitSpec.of("kaiming_nromal"))))))))
			.containsOnlyKeys("policies[0].layers[0].init.weight.scheme")
			.allSatisfy((field, message) -> assertThat(message).contains("kaiming_normal"));
		assertThat(fields(() -> prepare(policy("p", InitSpec.of("lsuv", "tolerance", 2.0, "gain", 1.0)))))
			.containsOnlyKeys("policies[0].init.weight.tolerance", "policies[0].init.weight.gain");
		assertThat(fields(() -> prepare(policy("p", InitSpec.of("lsuv", "max_iterations", 101))))).hasEntrySatisfying(
				"policies[0].init.weight.max_iterations", (message) -> assertThat(message).contains("[1, 100]")
					.contains("initlab.experiments.max-lsuv-iterations"));
	}

	@Test
	void zeroStartsDeterministicWithRepeatedUnitsThatTrainingSeparates() {
		// ZerO on 2 → 4 → 1: the first two columns of H_4 (m = 2) repeat every other row,
		// so units 1 and 3, 2 and 4 start with the same incoming weights (2 distinct);
		// the
		// readout's partial identity [1, 0, 0, 0] gives 1 and 3 different outgoing
		// weights,
		// so their gradients differ and they separate, but 2 and 4 share both their
		// incoming and their (zero) outgoing weights: the same gradient forever (3
		// distinct)
		ExperimentRunner.Prepared prepared = this.runner.prepare(new ExperimentRequest(1L, null,
				new DatasetSpec("planar_flower", 400, null, null, null, null, null, null, null, null, null),
				new ExperimentRequest.ModelSpec(List.of(4), "tanh", "sigmoid"),
				new TrainingSpec("gd", 1.2, 300, 100, null, null, null, null),
				List.of(new ExperimentRequest.PolicySpec("zeros", Policy.preset("zeros"), null, null),
						new ExperimentRequest.PolicySpec("zero", Policy.preset("zeros"), null, null, null,
								dev.initlab.recipes.RecipeSpec.of("zero")))));
		double c = Math.sqrt(0.5);
		assertThat(prepared.policies().get(1).weights()[0]).containsExactly(c, c, c, -c, c, c, c, -c);
		assertThat(prepared.policies().get(1).weights()[1]).containsExactly(1, 0, 0, 0);
		List<ExperimentRunner.PolicyResult> results = this.runner.run(prepared, (p, e) -> {
		}, () -> false);
		HistoryEntry zerosStart = results.get(0).history().get(0);
		HistoryEntry zeroStart = results.get(1).history().get(0);
		HistoryEntry zeroEnd = results.get(1).history().get(results.get(1).history().size() - 1);
		assertThat(zerosStart.symmetry().distinctUnits()).isEqualTo(1);
		assertThat(zeroStart.symmetry().distinctUnits()).isEqualTo(2);
		assertThat(zeroEnd.symmetry().distinctUnits()).isEqualTo(3);
		// negative control: all zeros never separates
		HistoryEntry zerosEnd = results.get(0).history().get(results.get(0).history().size() - 1);
		assertThat(zerosEnd.symmetry().distinctUnits()).isEqualTo(1);
	}

	@Test
	void mupScalesTheReadoutOfAWiderNetworkBySqrtWidthMult() {
		ExperimentRequest.PolicySpec plain = new ExperimentRequest.PolicySpec("sp", Policy.preset("pytorch_default"),
				null, null);
		ExperimentRequest.PolicySpec mup = new ExperimentRequest.PolicySpec("mup", Policy.preset("pytorch_default"),
				null, null, null,
				dev.initlab.recipes.RecipeSpec.of("mup", "base_layers", List.of(Map.of("out_features", 5),
						Map.of("in_features", 5, "out_features", 3), Map.of("in_features", 3))));
		ExperimentRunner.Prepared prepared = prepare(plain, mup);
		double[][] sp = prepared.policies().get(0).weights();
		double[][] mu = prepared.policies().get(1).weights();
		// 2 → 10 → 5 → 1 over a base 2 → 5 → 3 → 1, torch's fan-in init, same seed and
		// stream: set_base_shapes leaves hidden weights alone, multiplies the readout by
		// sqrt(width_mult) = sqrt(5/3) and the second layer's bias by sqrt(fan-in mult
		// 10/5)
		assertThat(mu[0]).containsExactly(sp[0]);
		assertThat(mu[1]).containsExactly(sp[1]);
		for (int i = 0; i < sp[2].length; i++) {
			assertThat(mu[2][i]).isCloseTo(sp[2][i] * Math.sqrt(5.0 / 3), within(1e-15));
		}
		double[] spBias = prepared.policies().get(0).biases()[1];
		double[] muBias = prepared.policies().get(1).biases()[1];
		for (int i = 0; i < spBias.length; i++) {
			assertThat(muBias[i]).isCloseTo(spBias[i] * Math.sqrt(2), within(1e-15));
		}
		assertThat(prepared.policies().get(1).biases()[0]).containsExactly(prepared.policies().get(0).biases()[0]);
		// negative control: a base where only a hidden fan-in grows is refused, as mup
		// does
		assertThat(fields(
				() -> prepare(new ExperimentRequest.PolicySpec("p", Policy.preset("pytorch_default"), null, null, null,
						dev.initlab.recipes.RecipeSpec.of("mup", "base_layers",
								List.of(Map.of("out_features", 5), Map.of("in_features", 5, "out_features", 5),
										Map.of("in_features", 5)))))))
			.hasEntrySatisfying("policies[0].recipe.base_layers",
					(message) -> assertThat(message).contains("assert_hidden_size_inf"));
		assertThat(fields(() -> prepare(new ExperimentRequest.PolicySpec("p", Policy.preset("pytorch_default"), null,
				null, null, dev.initlab.recipes.RecipeSpec.of("deepnorm")))))
			.containsOnlyKeys("policies[0].recipe.name");
	}

	private ExperimentRunner.Prepared prepare(ExperimentRequest.PolicySpec... policies) {
		return this.runner.prepare(new ExperimentRequest(1L, null,
				new DatasetSpec("planar_flower", 400, null, null, null, null, null, null, null, null, null),
				new ExperimentRequest.ModelSpec(List.of(10, 5), "tanh", "sigmoid"),
				new TrainingSpec("gd", 1.2, 1, 1, null, null, null, null), List.of(policies)));
	}

	private static ExperimentRequest.PolicySpec policy(String label, InitSpec weight) {
		Policy init = (weight != null) ? new Policy(null, weight, InitSpec.of("zeros"), null, null, null, null)
				: Policy.preset("zeros");
		return new ExperimentRequest.PolicySpec(label, init, null, null);
	}

	private static Policy weight(InitSpec weight) {
		return new Policy(null, weight, null, null, null, null, null);
	}

	/** field → message of the 400 the call throws. */
	@SuppressWarnings("unchecked")
	private static Map<String, String> fields(Runnable call) {
		Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call::run);
		assertThat(thrown).isInstanceOf(InvalidRequestException.class);
		List<Map<String, String>> errors = (List<Map<String, String>>) ((InvalidRequestException) thrown).getBody()
			.getProperties()
			.get("errors");
		return errors.stream()
			.collect(java.util.stream.Collectors.toMap((e) -> e.get("field"), (e) -> e.get("message")));
	}

	/** The pre-activations W a + b of each layer on the training inputs. */
	private static double[][][] preactivations(ExperimentRunner.Prepared prepared, ExperimentRunner.PolicyRun run) {
		Dataset train = prepared.train();
		int[] sizes = prepared.sizes();
		double[][] a = new double[train.size()][];
		for (int s = 0; s < train.size(); s++) {
			a[s] = train.x()[s];
		}
		double[][][] zs = new double[sizes.length - 1][][];
		for (int l = 0; l < sizes.length - 1; l++) {
			int in = sizes[l];
			int out = sizes[l + 1];
			double[][] z = new double[a.length][out];
			for (int s = 0; s < a.length; s++) {
				for (int i = 0; i < out; i++) {
					double v = run.biases()[l][i];
					for (int k = 0; k < in; k++) {
						v += run.weights()[l][i * in + k] * a[s][k];
					}
					z[s][i] = v;
				}
			}
			zs[l] = z;
			double[][] next = new double[a.length][out];
			for (int s = 0; s < a.length; s++) {
				for (int i = 0; i < out; i++) {
					next[s][i] = Math.tanh(z[s][i]);
				}
			}
			a = next;
		}
		return zs;
	}

	/** Population std over units and samples of each layer's output W a + b. */
	private static double[] outputStds(ExperimentRunner.Prepared prepared, ExperimentRunner.PolicyRun run) {
		double[][][] zs = preactivations(prepared, run);
		double[] stds = new double[zs.length];
		for (int l = 0; l < zs.length; l++) {
			double[] all = Arrays.stream(zs[l]).flatMapToDouble(Arrays::stream).toArray();
			double mean = Arrays.stream(all).average().orElseThrow();
			stds[l] = Math.sqrt(Arrays.stream(all).map((v) -> (v - mean) * (v - mean)).average().orElseThrow());
		}
		return stds;
	}

	/** Mean binary cross-entropy of the sigmoid output on the training set. */
	private static double loss(ExperimentRunner.Prepared prepared, ExperimentRunner.PolicyRun run) {
		double[][][] zs = preactivations(prepared, run);
		double[][] logits = zs[zs.length - 1];
		int[] y = prepared.train().y();
		double sum = 0;
		for (int s = 0; s < y.length; s++) {
			double p = 1 / (1 + Math.exp(-logits[s][0]));
			sum -= (y[s] == 1) ? Math.log(p) : Math.log(1 - p);
		}
		return sum / y.length;
	}

}
