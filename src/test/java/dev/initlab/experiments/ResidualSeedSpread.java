package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.List;

import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Planner;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.propagation.LayerStats;

/**
 * Where the tolerances of {@link ResidualPropagationRunnerTests} come from: runs its
 * stacks for seeds 100-139 (not the tests' seed) and prints, per statistic, the mean's
 * distance from the closed form and the sd over seeds. Not a test (it asserts nothing and
 * takes minutes); run it from the test class path, e.g. {@code ./mvnw -q test-compile}
 * then {@code java -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.initlab.experiments.ResidualSeedSpread} with the class path from
 * {@code ./mvnw dependency:build-classpath -Dmdep.outputFile=cp.txt}. Its output on 40
 * seeds: forward log factor per block sd 0.0157 (α = 1) and 0.0241 (α = 0.5), backward
 * 0.0056 and 0.0088, pre_ln Var_10 sd 0.41 and Var_20 sd 1.22, scaled log growth 0.0179
 * (forward) and 0.0072 (backward); every mean within 2.6 standard errors of its closed
 * form.
 */
final class ResidualSeedSpread {

	static final int L = ResidualPropagationRunnerTests.L;

	private ResidualSeedSpread() {
	}

	public static void main(String[] args) {
		PropagationRunner runner = new PropagationRunner(
				new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
				new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100, 5L << 23, 8));
		List<Integer> last = new ArrayList<>();
		for (int b = 1; b <= L; b++) {
			last.add(2 * b);
		}
		ExperimentRequest.LayerOverride scaled = new ExperimentRequest.LayerOverride(last, new Policy(null,
				InitSpec.of("normal", "std", 1 / Math.sqrt(256.0 * 2 * L)), null, null, null, null, null));
		double growth = (L - 1) * Math.log(1 + 1.0 / (2 * L));
		String[] names = { "forward, alpha 1", "backward, alpha 1", "forward, alpha 0.5", "backward, alpha 0.5",
				"pre_ln Var_10", "pre_ln Var_20", "scaled, forward", "scaled, backward" };
		double[] expected = { Math.log(2), Math.log(2), Math.log(1.25), Math.log(1.25), 11, 1 + L, growth, growth };
		List<double[]> rows = new ArrayList<>();
		for (long seed = 100; seed < 140; seed++) {
			List<LayerStats> one = run(runner, seed, "none", 1.0, null);
			List<LayerStats> half = run(runner, seed, "none", 0.5, null);
			List<LayerStats> pre = run(runner, seed, "pre_ln", 1.0, null);
			List<LayerStats> s = run(runner, seed, "none", 1.0, scaled);
			rows.add(new double[] { perBlock(forward(one)), perBlock(backward(one)), perBlock(forward(half)),
					perBlock(backward(half)), variance(pre, 10), variance(pre, L), forward(s), backward(s) });
		}
		for (int k = 0; k < names.length; k++) {
			double mean = 0;
			for (double[] row : rows) {
				mean += row[k] / rows.size();
			}
			double ss = 0;
			for (double[] row : rows) {
				ss += (row[k] - mean) * (row[k] - mean);
			}
			double sd = Math.sqrt(ss / (rows.size() - 1));
			System.out.printf("%-22s mean - closed form %+.5f  sd %.5f  (%d seeds)%n", names[k], mean - expected[k], sd,
					rows.size());
		}
	}

	private static List<LayerStats> run(PropagationRunner runner, long seed, String norm, double alpha,
			ExperimentRequest.LayerOverride override) {
		PropagationRequest r = new PropagationRequest(seed, null, L, 256, "relu", 256,
				List.of(new ExperimentRequest.PolicySpec("he",
						new Policy(null, InitSpec.of("kaiming_normal"), InitSpec.of("zeros"), null, null, null, null),
						null, null, (override == null) ? null : List.of(override))),
				new BlockSpec("residual", 2, norm, alpha));
		return runner.run(r).results().get(0).layers();
	}

	private static double variance(List<LayerStats> s, int block) {
		return Math.pow(s.get(block - 1).activationStd(), 2);
	}

	/** log(Var_L / Var_1). */
	private static double forward(List<LayerStats> s) {
		return Math.log(variance(s, s.size()) / variance(s, 1));
	}

	/** log of the gradient variance ratio, block 1 over block L. */
	private static double backward(List<LayerStats> s) {
		return 2 * Math.log(s.get(0).gradientStd() / s.get(s.size() - 1).gradientStd());
	}

	private static double perBlock(double total) {
		return total / (L - 1);
	}

}
