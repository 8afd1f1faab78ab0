package dev.initlab.experiments;

import java.util.ArrayList;
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
import dev.initlab.recipes.RecipeSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Residual stacks against their closed forms (API.md section 8). The stack: width n =
 * 256, batch B = 256, ReLU, 2-layer branches, W_1 He-normal (fan_in, std sqrt(2/n)), W_2
 * {@code kaiming_normal} with the last branch layer's default nonlinearity {@code linear}
 * (std 1/sqrt(n)), zero biases, L = 20 blocks, seed 0.
 *
 * <p>
 * The closed forms. Given x, each unit of W_1·x is N(0, 2q) (q = |x|²/n), ReLU keeps half
 * of the second moment, q; W_2 with variance 1/n keeps it, so E|f(x)|² = |x|², and the
 * cross term 2α·x·f(x) has mean 0 (W_2 is independent of x and zero-mean). Hence
 * <ul>
 * <li>{@code none}: E[q_l] = (α² + 1)·q_(l−1), the variance grows by α² + 1 per block;
 * backwards, J_fᵀ = W_1ᵀ·D·W_2ᵀ (D the ReLU mask) likewise keeps E|J_fᵀ g|² = |g|², so
 * the gradient variance grows by α² + 1 per block going back;</li>
 * <li>{@code pre_ln}: LN(x) has per-sample variance 1, so q_l = α²·q_(l−1) + 1: with α =
 * 1 and a unit input, Var_l ≈ 1 + l;</li>
 * <li>{@code post_ln}: every block output is LN'd, per-sample variance v/(v + eps), so
 * the activation std is 1 to within eps/(2·v_min);</li>
 * <li>last branch layer zero (SkipInit-style): f = 0 exactly, the output is α^l·x and the
 * gradient α^(L−l)·g, exactly;</li>
 * <li>last branch layer's std ÷ sqrt(2L): E|f|² = q/(2L), growth (1 + 1/(2L)) per
 * block.</li>
 * </ul>
 *
 * <p>
 * Tolerances. Each statistic is a ratio over L − 1 = 19 blocks. Its sampling sd was
 * measured over 40 other seeds (100-139) of exactly these stacks
 * ({@link ResidualSeedSpread}): per-block log variance factor forward sd 0.016 (α = 1)
 * and 0.024 (α = 0.5), backward 0.0056 and 0.0088; pre_ln Var_20 sd 1.22 and Var_10 sd
 * 0.41; scaled log growth over 19 blocks sd 0.018 (forward), 0.0072 (backward); the means
 * agreed with the closed forms to within 2.6 standard errors. The backward value is close
 * to the CLT estimate (the cross term x·f over nB entries, relative sd 2·sqrt(1.5/(nB)),
 * and W_2's rows, sqrt(2/n³·tr(A²))/q, give ≈ 0.017 per block, 0.0038 over sqrt(19)); the
 * forward one is larger because ReLU's mean puts a per-unit offset (constant over the
 * batch) into f, which only the width averages. Every tolerance is 7 measured sds: with
 * 40 seeds the sd is known to within a factor 1.3 (95 %), so that is at least 5.3 true
 * sds, false-failure odds below 1e-7 per check if the statistic is normal. Every check
 * has a negative control: a wrong factor fails the same check.
 */
class ResidualPropagationRunnerTests {

	static final int L = 20;

	private final PropagationRunner runner = new PropagationRunner(
			new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
			new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100, 5L << 23, 8));

	@Test
	void withoutNormTheVarianceGrowsByAlphaSquaredPlusOnePerBlockForwardAndBackward() {
		List<LayerStats> one = layers(run("none", 1.0, he()));
		List<LayerStats> half = layers(run("none", 0.5, he()));
		// α = 1: × 2 per block
		assertThat(forwardFactor(one)).isCloseTo(Math.log(2), within(7 * 0.016));
		assertThat(backwardFactor(one)).isCloseTo(Math.log(2), within(7 * 0.0056));
		// α = 0.5: × 1.25 per block
		assertThat(forwardFactor(half)).isCloseTo(Math.log(1.25), within(7 * 0.024));
		assertThat(backwardFactor(half)).isCloseTo(Math.log(1.25), within(7 * 0.0088));
		// negative controls: each run fails the other's factor by far more than the
		// tolerance
		assertThat(Math.abs(forwardFactor(half) - Math.log(2))).isGreaterThan(7 * 0.016);
		assertThat(Math.abs(backwardFactor(one) - Math.log(1.25))).isGreaterThan(7 * 0.0088);
	}

	/**
	 * The last branch layer's kaiming_normal defaults to nonlinearity linear (gain 1).
	 * Negative control: with ReLU's gain there (as a plain stack's layer would take) the
	 * branch doubles its input's second moment, E|f|² = 2|x|², so the factor is α² + 2 =
	 * 3, which the check for 2 rejects.
	 */
	@Test
	void theLastBranchLayerTakesNonlinearityLinearByDefault() {
		PropagationRunner.Result relu = run("none", 1.0,
				he(override(lastLayers(), weight(InitSpec.of("kaiming_normal", "nonlinearity", "relu")))));
		// the branch's share of the variance is 2/3 here, between α = 1's 1/2 and α =
		// 0.5's 4/5, so α = 0.5's sd bounds this one's
		assertThat(forwardFactor(layers(relu))).isCloseTo(Math.log(3), within(7 * 0.024));
		assertThat(Math.abs(forwardFactor(layers(relu)) - Math.log(2))).isGreaterThan(7 * 0.024);
		// and naming linear explicitly draws the very same weights as the default
		List<LayerStats> linear = layers(run("none", 1.0,
				he(override(lastLayers(), weight(InitSpec.of("kaiming_normal", "nonlinearity", "linear"))))));
		assertThat(linear).isEqualTo(layers(run("none", 1.0, he())));
		assertThat(run("none", 1.0, he()).verdict()).isEqualTo("exploding");
	}

	/**
	 * Four seeds averaged (one policy each), so the sds are half the single-seed ones:
	 * 0.61 at block 20, 0.21 at block 10.
	 */
	@Test
	void preLnGrowsTheVarianceLinearly() {
		List<ExperimentRequest.PolicySpec> seeds = new ArrayList<>();
		for (long seed = 0; seed < 4; seed++) {
			seeds.add(new ExperimentRequest.PolicySpec("he, seed " + seed, he().init(), seed, null));
		}
		List<PropagationRunner.Result> results = this.runner
			.run(new PropagationRequest(0L, null, L, 256, "relu", 256, seeds,
					new BlockSpec("residual", 2, "pre_ln", 1.0)))
			.results();
		double var10 = results.stream().mapToDouble((r) -> variance(r.layers(), 10)).average().orElseThrow();
		double var20 = results.stream().mapToDouble((r) -> variance(r.layers(), L)).average().orElseThrow();
		// Var_l ≈ 1 + l
		assertThat(var10).isCloseTo(11, within(7 * 0.41 / 2));
		assertThat(var20).isCloseTo(1 + L, within(7 * 1.22 / 2));
		// negative controls: half the slope (1 + l/2) fails, and so does the no-norm
		// doubling
		assertThat(Math.abs(var20 - (1 + L / 2.0))).isGreaterThan(7 * 1.22 / 2);
		assertThat(Math.abs(var10 - (1 + 10 / 2.0))).isGreaterThan(7 * 0.41 / 2);
		assertThat(var20).isLessThan(Math.pow(2, 10));
	}

	/**
	 * Not statistical: LN makes each sample's variance v/(v + eps) exactly, so the std
	 * over all entries is in [sqrt(1 − eps/v_min), 1]; v, the per-sample variance of x +
	 * f(x), is about 2 here, and below 0.5 only if a chi-square with 256 degrees of
	 * freedom fell to a quarter of its mean (odds below 1e-40). So |std − 1| ≤ 1e-5.
	 */
	@Test
	void postLnKeepsEveryBlocksOutputAtUnitVariance() {
		List<LayerStats> post = layers(run("post_ln", 1.0, he()));
		for (LayerStats block : post) {
			assertThat(block.activationStd()).as("block %d", block.layer()).isCloseTo(1.0, within(1e-5));
			assertThat(block.activationMean()).isCloseTo(0.0, within(1e-12));
		}
		// negative control: the same weights without norm are far from it
		assertThat(layers(run("none", 1.0, he())).get(L - 1).activationStd()).isGreaterThan(100);
	}

	/**
	 * Exact: a zero last branch layer (and zero bias) makes f = 0, so each block
	 * multiplies its input by α, forward and backward.
	 */
	@Test
	void zeroLastBranchLayersPassTheInputThroughScaledByAlpha() {
		Policy zeros = new Policy(null, InitSpec.of("zeros"), InitSpec.of("zeros"), null, null, null, null);
		for (double alpha : new double[] { 1.0, 0.9 }) {
			PropagationRunner.Result r = run("none", alpha, he(override(lastLayers(), zeros)));
			List<LayerStats> s = layers(r);
			for (int l = 1; l < L; l++) {
				assertThat(s.get(l).activationStd() / s.get(l - 1).activationStd()).as("block %d", l + 1)
					.isCloseTo(alpha, within(1e-12));
				assertThat(s.get(l - 1).gradientStd() / s.get(l).gradientStd()).isCloseTo(alpha, within(1e-12));
				assertThat(s.get(l).preactivationStd()).isZero();
			}
			// block 1 is α·x; std(x) of 256² unit-normal draws is 1 ± 0.0028 (one sd), so
			// ± 0.015 is 5.4 sd
			assertThat(s.get(0).activationStd()).isCloseTo(alpha, within(0.015));
			assertThat(r.verdict()).isEqualTo("stable");
		}
		// negative control: without the zeros the blocks are not a pure scaling
		List<LayerStats> he = layers(run("none", 0.9, he()));
		assertThat(Math.abs(he.get(1).activationStd() / he.get(0).activationStd() - 0.9)).isGreaterThan(0.1);
	}

	/**
	 * GPT-2's scaled residual projection on a residual stack: the last branch layer's std
	 * 1/sqrt(n) × 1/sqrt(2L) gives E|f|² = |x|²/(2L), so the variance grows by 1 + 1/(2L)
	 * per block: (1 + 1/40)^19 ≈ 1.60 from block 1 to block 20, bounded (≤ sqrt(e) for
	 * any L) instead of 2^19.
	 */
	@Test
	void scalingTheLastBranchLayerBy1OverSqrt2LBoundsTheGrowth() {
		Policy scaled = weight(InitSpec.of("normal", "std", 1 / Math.sqrt(256.0 * 2 * L)));
		PropagationRunner.Result r = run("none", 1.0, he(override(lastLayers(), scaled)));
		List<LayerStats> s = layers(r);
		double expected = (L - 1) * Math.log(1 + 1.0 / (2 * L));
		assertThat(Math.log(variance(s, L) / variance(s, 1))).isCloseTo(expected, within(7 * 0.018));
		assertThat(2 * Math.log(s.get(0).gradientStd() / s.get(L - 1).gradientStd())).isCloseTo(expected,
				within(7 * 0.0072));
		assertThat(r.verdict()).isEqualTo("stable");
		// negative control: 1/sqrt(L) instead of 1/sqrt(2L) would grow by (1 + 1/L)^19
		assertThat(Math.abs(Math.log(variance(s, L) / variance(s, 1)) - (L - 1) * Math.log(1 + 1.0 / L)))
			.isGreaterThan(7 * 0.018);
	}

	@Test
	void overridesNumberBranchLayersBlockMajorAndSayHow() {
		assertThatThrownBy(() -> this.runner.run(request("none", 1.0, 3,
				he(new ExperimentRequest.LayerOverride(List.of(0, 7), weight(InitSpec.of("zeros")))))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).containsExactly(Map.of("field", "policies[0].layers[0].layers[0]",
					"message",
					"no layer 0; allowed: 1 to 6 (depth is 3 blocks × 2 branch layers; block b's branch layer j is "
							+ "layer (b − 1) × 2 + j)"),
					Map.of("field", "policies[0].layers[0].layers[1]", "message",
							"no layer 7; allowed: 1 to 6 (depth is 3 blocks × 2 branch layers; block b's branch layer "
									+ "j is layer (b − 1) × 2 + j)")));
		// layer 4 is block 2's last branch layer: zero it and only block 2 passes through
		List<LayerStats> s = this.runner
			.run(request("none", 1.0, 3, he(override(List.of(4), weight(InitSpec.of("zeros"))))))
			.results()
			.get(0)
			.layers();
		assertThat(s.get(1).preactivationStd()).isZero();
		assertThat(s.get(0).preactivationStd()).isPositive();
		assertThat(s.get(2).preactivationStd()).isPositive();
	}

	@Test
	void invalidBlocksNameTheFieldAndTheAllowedValues() {
		assertThatThrownBy(() -> this.runner.run(request(new BlockSpec("dense", 0, "layer_norm", null))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).containsExactly(
					Map.of("field", "block.type", "message", "unknown block type 'dense'; allowed: residual"),
					Map.of("field", "block.branch_layers", "message", "must be an integer in [1, 8]; got 0"),
					Map.of("field", "block.norm", "message",
							"unknown norm 'layer_norm'; allowed: none, pre_ln, post_ln")));
		assertThatThrownBy(() -> this.runner.run(request(new BlockSpec(null, 2, "none", Double.POSITIVE_INFINITY))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).containsExactly(
					Map.of("field", "block.type", "message",
							"required; allowed: residual (omit block for a plain stack)"),
					Map.of("field", "block.alpha", "message", "must be a finite number; got Infinity")));
		assertThatThrownBy(() -> this.runner.run(request(new BlockSpec("residual", 9, null, null))))
			.isInstanceOf(LimitExceededException.class)
			.hasMessageContaining("initlab.propagation.max-branch-layers");
	}

	/**
	 * The memory limit counts every branch weight and the activations the backward pass
	 * keeps; API.md's example (depth 50, width 512, batch 256) with a 2-layer residual
	 * block fits the default limit, and a limit one element below its count refuses it.
	 */
	@Test
	void theMemoryLimitCountsBranchWeightsAndKeptActivations() {
		long peak = 50L * 2 * (512 * 512 + 512) + 50L * 512 * 256 + (2L * 1 + 9) * 512 * 256 + 2 * 256;
		assertThat(peak).isEqualTo(34_261_504L)
			.isLessThanOrEqualTo(
					new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100, 41_943_040L, 8).maxElements());
		PropagationRunner tight = new PropagationRunner(
				new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24)),
				new PropagationLimits(500, 2048, 4096, 20_000_000_000L, 100, peak - 1, 8));
		PropagationRequest example = new PropagationRequest(0L, null, 50, 512, "relu", 256,
				List.of(new ExperimentRequest.PolicySpec("he", weight(InitSpec.of("kaiming_normal")), null, null)),
				new BlockSpec("residual", 2, "none", 1.0));
		assertThatThrownBy(() -> tight.run(example)).isInstanceOf(LimitExceededException.class)
			.hasMessageContaining("initlab.propagation.max-elements")
			.hasMessageContaining(Long.toString(peak))
			.hasMessageContaining("branch_layers");
		// the plain stack of the same size is still counted as before
		assertThat(PropagationRunner.peakElements(50, 512, 256)).isEqualTo(50L * 512 * (512 + 3 * 256));
	}

	@Test
	void lsuvRescalesEveryBranchLayerOnWhatItReads() {
		PropagationRunner.Result r = this.runner
			.run(request("pre_ln", 1.0, 4,
					new ExperimentRequest.PolicySpec("lsuv",
							new Policy(null, InitSpec.of("lsuv", "tolerance", 0.05), InitSpec.of("zeros"), null, null,
									null, null),
							null, null)))
			.results()
			.get(0);
		assertThat(r.lsuvIterations()).hasSize(8).doesNotContainNull();
		// the last branch layer's output f has unit variance on the batch: its std is
		// the block's preactivation_std
		for (LayerStats block : r.layers()) {
			assertThat(block.preactivationStd()).isBetween(Math.sqrt(0.95) - 1e-12, Math.sqrt(1.05) + 1e-12);
		}
	}

	/**
	 * Recipes (API.md section 7) on residual stacks, through the shared registry: each
	 * must give exactly the stack its formula describes when written by hand as
	 * initializers (same draws: sequential seeding, same schemes), so the comparison is
	 * exact up to the rounding of the std (1e-12).
	 */
	@Test
	void recipesGiveTheStacksTheirFormulasDescribe() {
		int depth = 8;
		List<Integer> last = new ArrayList<>();
		for (int b = 1; b <= depth; b++) {
			last.add(2 * b);
		}
		// scaled_residual: the last branch layers' std (kaiming_normal, linear:
		// 1/sqrt(n))
		// ÷ sqrt(2L)
		assertSameStats(small(depth, "none", recipe(he(), RecipeSpec.of("scaled_residual"))), small(depth, "none",
				he(override(last, weight(InitSpec.of("normal", "std", 1 / Math.sqrt(64.0 * 2 * depth)))))));
		// per_layer: block l (0-based) ÷ sqrt(2(l + 1))
		List<ExperimentRequest.LayerOverride> perLayer = new ArrayList<>();
		for (int b = 0; b < depth; b++) {
			perLayer.add(override(List.of(2 * b + 2),
					weight(InitSpec.of("normal", "std", 1 / Math.sqrt(64.0 * 2 * (b + 1))))));
		}
		assertSameStats(small(depth, "none", recipe(he(), RecipeSpec.of("scaled_residual", "per_layer", true))),
				small(depth, "none", he(perLayer.toArray(ExperimentRequest.LayerOverride[]::new))));
		// skipinit: the last branch layers zero
		PropagationRunner.Result skip = small(depth, "none", recipe(he(), RecipeSpec.of("skipinit")));
		assertSameStats(skip, small(depth, "none", he(override(last, weight(InitSpec.of("zeros"))))));
		assertThat(skip.layers()).allSatisfy((s) -> assertThat(s.preactivationStd()).isZero());
		// fixup: the last branch layers zero, the first ÷ L^(1/(2m-2)) = sqrt(L); with a
		// zero last layer the first's scale does not show in the pass, so the echo says
		// it
		PropagationRunner.Result fixup = small(depth, "none", recipe(he(), RecipeSpec.of("fixup")));
		List<Integer> first = last.stream().map((l) -> l - 1).toList();
		assertSameStats(fixup, small(depth, "none", he(override(last, weight(InitSpec.of("zeros"))),
				override(first, weight(InitSpec.of("normal", "std", Math.sqrt(2.0 / 64) / Math.sqrt(depth)))))));
		assertThat(fixup.recipe()).containsEntry("name", "fixup").containsEntry("blocks", depth);
		assertThat((double) fixup.recipe().get("scale")).isCloseTo(1 / Math.sqrt(depth), within(1e-15));
		// deepnorm: every branch layer xavier_normal(gain β), β = (8N)^(-1/4), α =
		// (2N)^(1/4) reported
		double beta = Math.pow(8.0 * depth, -0.25);
		PropagationRunner.Result deepnorm = small(depth, "post_ln", recipe(he(), RecipeSpec.of("deepnorm")));
		assertSameStats(deepnorm, small(depth, "post_ln",
				new ExperimentRequest.PolicySpec("xavier β", new Policy(null,
						InitSpec.of("xavier_normal", "gain", beta), InitSpec.of("zeros"), null, null, null, null), null,
						null)));
		assertThat((double) deepnorm.recipe().get("alpha")).isCloseTo(Math.pow(2.0 * depth, 0.25), within(1e-12));
		// the block is post_ln but alpha 1, not DeepNorm's α: the echo says so
		assertThat((String) deepnorm.recipe().get("note")).contains("\"alpha\": " + deepnorm.recipe().get("alpha"));
		// negative control: the plain He stack differs from each
		assertThat(small(depth, "none", he()).layers().get(depth - 1).activationStd())
			.isNotCloseTo(skip.layers().get(depth - 1).activationStd(), within(1.0));
	}

	@Test
	void anOverrideWinsOverTheRecipe() {
		// skipinit zeroes every last branch layer but block 2's (layer 4), which the
		// override gives kaiming_normal
		PropagationRunner.Result r = small(4, "none",
				recipe(he(override(List.of(4), weight(InitSpec.of("kaiming_normal")))), RecipeSpec.of("skipinit")));
		assertThat(r.layers()).extracting(LayerStats::preactivationStd)
			.satisfies((stds) -> assertThat(stds.get(1)).isPositive())
			.satisfies((stds) -> assertThat(stds.get(0)).isZero())
			.satisfies((stds) -> assertThat(stds.get(2)).isZero());
		assertThat(r.recipe()).containsEntry("name", "skipinit");
	}

	@Test
	void recipeProblemsNameTheFieldAndWhereTheRecipeApplies() {
		assertThatThrownBy(() -> this.runner
			.run(new PropagationRequest(0L, null, 3, 8, "relu", 8, List.of(recipe(he(), RecipeSpec.of("skipinit"))))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).singleElement()
				.satisfies((e) -> assertThat(e).containsEntry("field", "policies[0].recipe"))
				.satisfies((e) -> assertThat(e.get("message")).contains("residual")));
		assertThatThrownBy(() -> this.runner.run(request(3, recipe(he(), RecipeSpec.of("zero")))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).singleElement()
				.satisfies((e) -> assertThat(e).containsEntry("field", "policies[0].recipe.name"))
				.satisfies((e) -> assertThat(e.get("message")).contains("does not apply to a residual stack")));
		assertThatThrownBy(() -> this.runner.run(request(3, recipe(he(), RecipeSpec.of("scaled_recidual")))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).singleElement()
				.satisfies((e) -> assertThat(e).containsEntry("field", "policies[0].recipe.name"))
				.satisfies((e) -> assertThat(e.get("message")).contains("scaled_residual")));
		assertThatThrownBy(
				() -> this.runner.run(request(3, recipe(he(), RecipeSpec.of("scaled_residual", "factor", -1.0)))))
			.isInstanceOf(InvalidRequestException.class)
			.satisfies((ex) -> assertThat(errors(ex)).singleElement()
				.satisfies((e) -> assertThat(e).containsEntry("field", "policies[0].recipe.factor")));
	}

	private PropagationRunner.Result small(int depth, String norm, ExperimentRequest.PolicySpec policy) {
		return this.runner
			.run(new PropagationRequest(0L, null, depth, 64, "relu", 64, List.of(policy),
					new BlockSpec("residual", 2, norm, 1.0)))
			.results()
			.get(0);
	}

	private static PropagationRequest request(int depth, ExperimentRequest.PolicySpec policy) {
		return new PropagationRequest(0L, null, depth, 8, "relu", 8, List.of(policy),
				new BlockSpec("residual", 2, "none", 1.0));
	}

	private static ExperimentRequest.PolicySpec recipe(ExperimentRequest.PolicySpec p, RecipeSpec recipe) {
		return new ExperimentRequest.PolicySpec(p.label(), p.init(), p.seed(), p.rng(), p.layers(), recipe);
	}

	/** Every statistic of every block equal to 1e-12 relative. */
	private static void assertSameStats(PropagationRunner.Result a, PropagationRunner.Result b) {
		assertThat(a.layers()).hasSameSizeAs(b.layers());
		for (int l = 0; l < a.layers().size(); l++) {
			LayerStats x = a.layers().get(l);
			LayerStats y = b.layers().get(l);
			double[] u = { x.preactivationStd(), x.activationMean(), x.activationStd(), x.deadFraction(),
					x.gradientStd() };
			double[] v = { y.preactivationStd(), y.activationMean(), y.activationStd(), y.deadFraction(),
					y.gradientStd() };
			for (int k = 0; k < u.length; k++) {
				assertThat(u[k]).as("block %d, statistic %d", l + 1, k)
					.isCloseTo(v[k], within(1e-12 * Math.max(1, Math.abs(v[k]))));
			}
		}
	}

	private PropagationRunner.Result run(String norm, double alpha, ExperimentRequest.PolicySpec policy) {
		return this.runner.run(request(norm, alpha, L, policy)).results().get(0);
	}

	private static PropagationRequest request(String norm, double alpha, int depth,
			ExperimentRequest.PolicySpec policy) {
		return new PropagationRequest(0L, null, depth, 256, "relu", 256, List.of(policy),
				new BlockSpec("residual", 2, norm, alpha));
	}

	private static PropagationRequest request(BlockSpec block) {
		return new PropagationRequest(0L, null, 3, 8, "relu", 8, List.of(he()), block);
	}

	/** He-normal weights (kaiming_normal, its defaults), zero biases. */
	private static ExperimentRequest.PolicySpec he(ExperimentRequest.LayerOverride... overrides) {
		return new ExperimentRequest.PolicySpec("he",
				new Policy(null, InitSpec.of("kaiming_normal"), InitSpec.of("zeros"), null, null, null, null), null,
				null, (overrides.length > 0) ? List.of(overrides) : null);
	}

	private static ExperimentRequest.LayerOverride override(List<Integer> layers, Policy init) {
		return new ExperimentRequest.LayerOverride(layers, init);
	}

	/** Every block's last branch layer: 2, 4, ..., 2L. */
	private static List<Integer> lastLayers() {
		List<Integer> last = new ArrayList<>();
		for (int b = 1; b <= L; b++) {
			last.add(2 * b);
		}
		return last;
	}

	private static Policy weight(InitSpec weight) {
		return new Policy(null, weight, null, null, null, null, null);
	}

	private static List<LayerStats> layers(PropagationRunner.Result r) {
		return r.layers();
	}

	private static double variance(List<LayerStats> s, int block) {
		return Math.pow(s.get(block - 1).activationStd(), 2);
	}

	/** log of the per-block variance factor, block 1 to block L. */
	private static double forwardFactor(List<LayerStats> s) {
		return Math.log(variance(s, s.size()) / variance(s, 1)) / (s.size() - 1);
	}

	/** log of the per-block gradient variance factor, block L back to block 1. */
	private static double backwardFactor(List<LayerStats> s) {
		return 2 * Math.log(s.get(0).gradientStd() / s.get(s.size() - 1).gradientStd()) / (s.size() - 1);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, String>> errors(Throwable ex) {
		return (List<Map<String, String>>) ((InvalidRequestException) ex).getBody().getProperties().get("errors");
	}

}
