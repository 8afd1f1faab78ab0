package dev.initlab.training;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * The decision boundary's grid is the network's own forward pass over the course's plane
 * (the data's box plus 1 on each side): checked against networks of one hidden unit whose
 * outputs are written out here from the definitions.
 */
class DecisionBoundaryTests {

	/**
	 * Two points: the box is x in [0, 1], y in [0, 2]; with the margin [-1, 2] × [-1, 3].
	 */
	static final Dataset TWO_POINTS = new Dataset(new double[][] { { 0, 0 }, { 1, 2 } }, new int[] { 0, 1 }, 2);

	/** 2-1-1 tanh, sigmoid output: P(1) = σ(2 tanh(0.5 x - y + 0.25) - 0.5). */
	static TrainedNetwork oneHiddenUnit() {
		return TrainedNetwork.of(new int[] { 2, 1, 1 }, Activation.TANH, false,
				new double[][] { { 0.5, -1.0 }, { 2.0 } }, new double[][] { { 0.25 }, { -0.5 } }, 7);
	}

	static double sigmoid(double z) {
		return 1 / (1 + Math.exp(-z));
	}

	@Test
	void theGridSpansTheDataBoxWidenedByOneAsTheCoursesPlot() {
		DecisionBoundary grid = DecisionBoundary.of(oneHiddenUnit(), TWO_POINTS, 5);
		assertThat(grid.x()).containsExactly(-1, -0.25, 0.5, 1.25, 2);
		assertThat(grid.y()).containsExactly(-1, 0, 1, 2, 3);
	}

	/**
	 * 20 × 20 = 400 grid points: more than one forward chunk (256), so the pieces must
	 * line up too. Tolerance 1e-12: the engine's tanh and sigmoid kernels are accurate to
	 * a few ulp, and it sums with a fused multiply-add.
	 */
	@Test
	void aSigmoidGridHoldsTheProbabilityOfClassOneAtEachPointRowsByY() {
		int n = 20;
		DecisionBoundary grid = DecisionBoundary.of(oneHiddenUnit(), TWO_POINTS, n);
		assertThat(grid.classes()).isEqualTo(2);
		boolean[] seen = new boolean[2];
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < n; i++) {
				double x = grid.x()[i];
				double y = grid.y()[j];
				double p = sigmoid(2 * Math.tanh(0.5 * x - 1.0 * y + 0.25) - 0.5);
				assertThat(grid.probability()[j][i]).as("P(1) at (%s, %s)", x, y).isCloseTo(p, within(1e-12));
				int c = (p > 0.5) ? 1 : 0;
				assertThat(grid.prediction()[j][i]).as("class at (%s, %s)", x, y).isEqualTo(c);
				assertThat(grid.confidence()[j][i]).isCloseTo((c == 1) ? p : 1 - p, within(1e-12));
				seen[c] = true;
			}
		}
		// the boundary crosses the plane: both classes are on it
		assertThat(seen).containsExactly(true, true);
	}

	/** 2-1-3 tanh, softmax: logits (h, -h + 0.2, 0.5 h - 0.1) with h = tanh(x + y). */
	@Test
	void aSoftmaxGridHoldsThePredictedClassAndItsProbability() {
		TrainedNetwork net = TrainedNetwork.of(new int[] { 2, 1, 3 }, Activation.TANH, true,
				new double[][] { { 1.0, 1.0 }, { 1.0, -1.0, 0.5 } }, new double[][] { { 0.0 }, { 0.0, 0.2, -0.1 } }, 0);
		int n = 9;
		DecisionBoundary grid = DecisionBoundary.of(net, TWO_POINTS, n);
		assertThat(grid.classes()).isEqualTo(3);
		assertThat(grid.probability()).isNull();
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < n; i++) {
				double h = Math.tanh(grid.x()[i] + grid.y()[j]);
				double[] e = { Math.exp(h), Math.exp(-h + 0.2), Math.exp(0.5 * h - 0.1) };
				double sum = e[0] + e[1] + e[2];
				int best = 0;
				for (int k = 1; k < 3; k++) {
					if (e[k] > e[best]) {
						best = k;
					}
				}
				assertThat(grid.prediction()[j][i]).isEqualTo(best);
				assertThat(grid.confidence()[j][i]).isCloseTo(e[best] / sum, within(1e-12));
			}
		}
	}

	@Test
	void aNetworkOfOtherThanTwoInputsHasNoPlane() {
		TrainedNetwork three = TrainedNetwork.of(new int[] { 3, 1, 1 }, Activation.TANH, false,
				new double[][] { { 1, 1, 1 }, { 1 } }, new double[][] { { 0 }, { 0 } }, 0);
		Dataset data = new Dataset(new double[][] { { 0, 0, 0 } }, new int[] { 0 }, 2);
		assertThatIllegalArgumentException().isThrownBy(() -> DecisionBoundary.of(three, data, 10))
			.withMessageContaining("two input features");
		assertThat(DecisionBoundary
			.plane(new Dataset(new double[][] { { -1.7e308, 0 }, { 1.7e308, 0 } }, new int[] { 0, 1 }, 2))).isNull();
	}

	/**
	 * The kept network is the trained one: its accuracy is the last recorded one, and a
	 * cancelled run hands over the network as it stopped.
	 */
	@Test
	void trainingKeepsItsNetworkWhenItEndsAndWhenItIsCancelled() {
		Dataset xor = Datasets.xor(4, 0.1, dev.initlab.rng.Generator.XOSHIRO256PP.sequential(3));
		double[][] w = { { 0.5, -0.4, 0.3, 0.9 }, { 0.7, -0.6 } };
		double[][] b = { { 0, 0 }, { 0 } };
		Training training = new Training(OptimizerKind.GD, 1.0, 50, 10, 0, 0.9, 0.999, 1e-8);
		Trainer.Run run = Trainer.run(w, b, new int[] { 2, 2, 1 }, Activation.TANH, false, xor, null, training, null,
				() -> false, (e) -> {
				});
		List<HistoryEntry> history = run.history();
		assertThat(run.network().updates()).isEqualTo(50);
		assertThat(run.network().accuracy(xor)).isEqualTo(history.get(history.size() - 1).trainAccuracy());
		int[] checks = { 0 };
		Trainer.Cancelled cancelled = org.assertj.core.api.Assertions.catchThrowableOfType(Trainer.Cancelled.class,
				() -> Trainer.run(w, b, new int[] { 2, 2, 1 }, Activation.TANH, false, xor, null, training, null,
						() -> ++checks[0] > 20, (e) -> {
						}));
		assertThat(cancelled.network().updates()).isEqualTo(20);
		// the initial arrays were copied, not trained in place
		assertThat(w[0]).containsExactly(0.5, -0.4, 0.3, 0.9);
	}

}
