package dev.initlab.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.rng.NumpyLegacyStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The deeplearning.ai notebooks' runs, number for number, with the {@code numpy_legacy}
 * stream: the datasets from {@link Datasets}, the initial weights drawn in the course's
 * order, training by {@link Trainer#train}.
 * <p>
 * Expected values come from a NumPy re-implementation of the two notebooks
 * ({@code src/test/resources/reference/make_course_runs.py} writes
 * {@code course_runs.json}) and from the published notebooks themselves, which that
 * script checks against:
 * <ul>
 * <li>Course 1 week 3 (planar flower, 2-4-1 tanh/sigmoid, lr 1.2): the published printout
 * is the older notebook's, whose {@code initialize_parameters} calls
 * {@code np.random.seed(2)} (seed 3, the newer notebook's, prints 0.693162 at iteration
 * 0, not 0.693048). From iteration 8000 on the printed costs depend on rounding (the cost
 * rises again between 7000 and 8000): the NumPy re-run prints 0.219441/0.218554 at
 * 8000/9000, the same code with the gradient divided by m before the sums
 * 0.219559/0.218636, initlab 0.219403/0.218543, the published notebook 0.218607 at 9000;
 * so costs are compared to 1e-13 (and as printed) up to 7000, within 5e-4 after. The
 * hidden-size sweep's 20- and 50-unit runs are rounding-sensitive the same way (NumPy
 * re-run 90.5/90.75 %, initlab 90.5/90.25 %, published 90.0/90.25 %, which the
 * divided-first NumPy variant reproduces), hence "within one point".</li>
 * <li>Course 2 week 1 (circles, 2-10-5-1 relu/sigmoid, lr 0.01, 15000 iterations): zeros,
 * random ×10 and He.</li>
 * </ul>
 * Datasets are compared within 1e-12 (Java's sin/cos may differ from glibc's in the last
 * ulp); initial weights bit for bit; costs are initlab's stable loss from the logits,
 * which equals the course's log-of-sigmoid cost to about 1e-15 wherever the latter is
 * finite.
 */
class CourseReproductionTests {

	private static final JsonNode FIXTURE = load("/reference/course_runs.json");

	private static final JsonNode LOSS_FIXTURE = load("/reference/course_loss.json");

	private static final double LN2 = Math.log(2);

	// ---------------------------------------------------------------- Course 1

	@Test
	void planarFlowerIsTheCoursesDataset() {
		Dataset data = Datasets.planarFlower(400, 0.2, new NumpyLegacyStream(1));
		assertSameDataset(data, FIXTURE.get("course1").get("dataset"));
	}

	@Test
	void course1PublishedRunUsesSeed2AndIsReproduced() {
		JsonNode c1 = FIXTURE.get("course1");
		// the fixture chose the init seed that prints the published iteration-0 cost
		assertThat(c1.get("chosen_init_seed").asInt()).isEqualTo(2);
		assertThat(c1.get("seed_candidates").get("seed2").get("printed_costs").get(0).asString())
			.isEqualTo(c1.get("published").get("costs").get("0").asString())
			.isEqualTo("0.693048");
		Dataset data = Datasets.planarFlower(400, 0.2, new NumpyLegacyStream(1));
		double[][][] init = course1Init(4);
		assertSameInit(init, c1.get("init"), 2);

		List<HistoryEntry> history = train(init, new int[] { 2, 4, 1 }, Activation.TANH, data, null, 1.2, 10000);

		JsonNode checkpoints = c1.get("checkpoints");
		for (int k = 0; k <= 7; k++) {
			HistoryEntry e = history.get(k);
			assertThat(e.iteration()).isEqualTo(1000 * k);
			// NumPy's own numbers to the last bits or so (observed: within 1e-15)
			assertThat(e.loss()).as("cost after iteration %d", e.iteration())
				.isCloseTo(checkpoints.get(k).get("cost").asDouble(), within(1e-13));
			// and it prints as the notebook printed it
			assertThat(String.format(java.util.Locale.ROOT, "%f", e.loss()))
				.isEqualTo(checkpoints.get(k).get("printed").asString());
		}
		// rounding-sensitive after 7000: same to the 3rd decimal
		for (int k = 8; k <= 9; k++) {
			assertThat(history.get(k).loss()).as("cost after iteration %d", 1000 * k)
				.isCloseTo(checkpoints.get(k).get("cost").asDouble(), within(5e-4));
		}
		assertThat(history.get(9).loss()).as("vs the published cost after iteration 9000")
			.isCloseTo(Double.parseDouble(c1.get("published").get("costs").get("9000").asString()), within(5e-4));
		HistoryEntry last = history.get(history.size() - 1);
		assertThat(last.iteration()).isEqualTo(10000);
		// The final accuracy is decided by one sample near the boundary, after 3000
		// chaotic iterations: NumPy itself ends at the published 90.75 % or, with dZ2 / m
		// taken before the sums (the fixture's rounding_sensitivity), at 90.5 %. initlab
		// matches NumPy's costs to 1e-15 through 7000 and lands on the published figure;
		// a change of rounding anywhere in the engine may move it to the variant's.
		double variant = c1.get("rounding_sensitivity").get("accuracy_percent").asDouble() / 100;
		assertThat(c1.get("train_accuracy").asDouble()).isEqualTo(0.9075);
		assertThat(variant).isEqualTo(0.905);
		assertThat(last.trainAccuracy()).isEqualTo(0.9075);
		assertThat(last.testAccuracy()).isNull();
	}

	@ParameterizedTest(name = "{0} hidden units")
	@ValueSource(ints = { 1, 2, 3, 4, 5, 20, 50 })
	void course1HiddenSizeSweepIsWithinOnePoint(int units) {
		JsonNode run = null;
		for (JsonNode r : FIXTURE.get("course1").get("sweep").get("runs")) {
			if (r.get("n_h").asInt() == units) {
				run = r;
			}
		}
		assertThat(run).isNotNull();
		Dataset data = Datasets.planarFlower(400, 0.2, new NumpyLegacyStream(1));
		double[][][] init = course1Init(units);
		assertSameInit(init, run.get("init"), 2);
		List<HistoryEntry> history = train(init, new int[] { 2, units, 1 }, Activation.TANH, data, null, 1.2, 5000);
		double accuracy = history.get(history.size() - 1).trainAccuracy();
		assertThat(accuracy).as("vs NumPy").isCloseTo(run.get("train_accuracy").asDouble(), within(0.01));
		assertThat(accuracy).as("vs published").isCloseTo(run.get("published_percent").asDouble() / 100, within(0.01));
	}

	/**
	 * The older notebook: {@code np.random.seed(2); W1 = randn(n_h, 2) * 0.01; b1 = 0;
	 * W2 = randn(1, n_h) * 0.01; b2 = 0}.
	 */
	private static double[][][] course1Init(int units) {
		return draw(new NumpyLegacyStream(2), new int[] { 2, units, 1 }, l -> 0.01);
	}

	// ---------------------------------------------------------------- Course 2

	@Test
	void circlesAreTheCoursesTrainAndTestSets() {
		Dataset[] sets = circles();
		assertSameDataset(sets[0], FIXTURE.get("course2").get("train"));
		assertSameDataset(sets[1], FIXTURE.get("course2").get("test"));
	}

	@Test
	void zerosInitNeverBreaksSymmetry() {
		JsonNode run = course2Run("zeros");
		double[][][] init = new double[][][] { { new double[20], new double[50], new double[5] },
				{ new double[10], new double[5], new double[1] } };
		assertSameInit(init, run.get("init"), 3);
		List<HistoryEntry> history = trainCourse2(init);
		for (HistoryEntry e : history) {
			assertThat(e.loss()).as("cost after iteration %d", e.iteration()).isCloseTo(LN2, within(1e-12));
			assertThat(e.symmetry().distinctUnits()).isEqualTo(1);
			assertThat(e.symmetry().rank()).isZero();
		}
		for (int k = 0; k < 15; k++) {
			assertThat(history.get(k).loss()).isCloseTo(run.get("checkpoints").get(k).get("stable_cost").asDouble(),
					within(1e-12));
			assertThat(run.get("checkpoints").get(k).get("cost").asDouble()).isCloseTo(LN2, within(1e-12));
		}
		HistoryEntry last = history.get(history.size() - 1);
		assertThat(last.trainAccuracy()).isEqualTo(0.5).isEqualTo(run.get("train_accuracy").asDouble());
		assertThat(last.testAccuracy()).isEqualTo(0.5).isEqualTo(run.get("test_accuracy").asDouble());
	}

	@Test
	void randomTimesTenTrainsTo83And86Percent() {
		JsonNode run = course2Run("random");
		double[][][] init = draw(new NumpyLegacyStream(3), new int[] { 2, 10, 5, 1 }, l -> 10.0);
		assertSameInit(init, run.get("init"), 3);
		List<HistoryEntry> history = trainCourse2(init);
		JsonNode checkpoints = run.get("checkpoints");
		// the course prints inf at iteration 0 (log of a sigmoid that rounded to 0 or 1);
		// the loss from the logits is finite
		assertThat(checkpoints.get(0).get("cost").asString()).isEqualTo("inf");
		assertThat(history.get(0).loss()).isFinite()
			.isCloseTo(checkpoints.get(0).get("stable_cost").asDouble(), within(1e-9));
		// After iteration 0 this run depends on rounding: its first steps are huge (|z3|
		// in
		// the hundreds) and switch relu units on and off, so a one-ulp change (the
		// fixture's rerun with (a3 - Y) / m instead of 1./m * (a3 - Y)) already moves the
		// NumPy cost at 1000 by 1e-3. initlab's sums are not NumPy's BLAS sums to the
		// ulp,
		// so compare within 5e-3 (observed: 1.3e-3 at 1000, 2.3e-3 at 7000, below 1e-4
		// elsewhere) and the accuracies exactly. The loss itself is NumPy's on one
		// trajectory: theReportedLossIsNumpysStableLogLossOnNumpysTrajectory.
		JsonNode variant = run.get("rounding_sensitivity").get("stable_costs");
		assertThat(Math.abs(variant.get(1).asDouble() - checkpoints.get(1).get("stable_cost").asDouble()))
			.isGreaterThan(5e-4);
		for (int k = 1; k < 15; k++) {
			assertThat(history.get(k).loss()).as("cost after iteration %d", 1000 * k)
				.isCloseTo(checkpoints.get(k).get("stable_cost").asDouble(), within(5e-3));
		}
		HistoryEntry last = history.get(history.size() - 1);
		assertThat(last.trainAccuracy()).isEqualTo(0.83).isEqualTo(run.get("train_accuracy").asDouble());
		assertThat(last.testAccuracy()).isEqualTo(0.86).isEqualTo(run.get("test_accuracy").asDouble());
		assertThat(last.symmetry().distinctUnits()).isEqualTo(10);
	}

	/**
	 * The loss initlab reports, on NumPy's own trajectory: at every 1000th iteration of
	 * the NumPy run ({@code course_loss.json}, written by {@code make_course_loss.py}),
	 * initlab's loss at NumPy's parameters equals NumPy's numerically stable log-loss of
	 * the same parameters' logits. The random ×10 run's costs above differ from NumPy's
	 * by up to 5e-3 because its trajectory does (it is chaotic in rounding: NumPy on two
	 * machines differs by 9e-4 at iteration 1000, see the script), not because of the
	 * loss: on one trajectory the two agree to the last bits, saturated outputs included
	 * (iteration 0: every a3 rounds to 0 or 1, the course's cost is inf, the stable loss
	 * 1773.6).
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "random", "he" })
	void theReportedLossIsNumpysStableLogLossOnNumpysTrajectory(String init) {
		JsonNode checkpoints = LOSS_FIXTURE.get(init);
		assertThat(checkpoints).hasSize(15);
		Dataset train = circles()[0];
		for (JsonNode checkpoint : checkpoints) {
			double[][][] params = params(checkpoint.get("params"), 3);
			Training training = new Training(OptimizerKind.GD, 0.01, 1, 1, 0, 0.9, 0.999, 1e-8);
			double loss = Trainer.train(params[0], params[1], new int[] { 2, 10, 5, 1 }, Activation.RELU, false, train,
					null, training, null, () -> false, e -> {
					})
				.get(0)
				.loss();
			double expected = checkpoint.get("stable_cost").asDouble();
			assertThat(loss).as("%s, loss at NumPy's iteration %d", init, checkpoint.get("iteration").asInt())
				.isCloseTo(expected, within(1e-14 * Math.max(1, expected)));
		}
		JsonNode first = checkpoints.get(0);
		if (init.equals("random")) {
			assertThat(first.get("saturated").asInt()).isEqualTo(300);
			assertThat(first.get("course_cost").asString()).isEqualTo("inf");
		}
	}

	@Test
	void heTrainsTo99And96Percent() {
		JsonNode run = course2Run("he");
		double[][][] init = draw(new NumpyLegacyStream(3), new int[] { 2, 10, 5, 1 }, n -> Math.sqrt(2.0 / n));
		assertSameInit(init, run.get("init"), 3);
		List<HistoryEntry> history = trainCourse2(init);
		JsonNode checkpoints = run.get("checkpoints");
		// the published printout, to the last digit, and the NumPy re-run
		assertThat(checkpoints.get(0).get("cost").asDouble()).isEqualTo(0.8830537463419761);
		assertThat(checkpoints.get(1).get("cost").asDouble()).isEqualTo(0.6879825919728063);
		for (int k = 0; k < 15; k++) {
			assertThat(history.get(k).loss()).as("cost after iteration %d", 1000 * k)
				.isCloseTo(checkpoints.get(k).get("cost").asDouble(), within(1e-6));
		}
		HistoryEntry last = history.get(history.size() - 1);
		assertThat(last.trainAccuracy()).isEqualTo(298 / 300.0).isEqualTo(run.get("train_accuracy").asDouble());
		assertThat(last.testAccuracy()).isEqualTo(0.96).isEqualTo(run.get("test_accuracy").asDouble());
	}

	/**
	 * The course's {@code load_dataset}: seed 1, 300 training points; seed 2, 100 test
	 * points.
	 */
	private static Dataset[] circles() {
		return new Dataset[] { Datasets.circles(300, 0.05, 0.8, new NumpyLegacyStream(1)),
				Datasets.circles(100, 0.05, 0.8, new NumpyLegacyStream(2)) };
	}

	private static List<HistoryEntry> trainCourse2(double[][][] init) {
		Dataset[] sets = circles();
		List<HistoryEntry> history = train(init, new int[] { 2, 10, 5, 1 }, Activation.RELU, sets[0], sets[1], 0.01,
				15000);
		assertThat(history).hasSize(16);
		return history;
	}

	private static JsonNode course2Run(String name) {
		return FIXTURE.get("course2").get("runs").get(name);
	}

	// ---------------------------------------------------------------- helpers

	/**
	 * Layer by layer, {@code randn(n_l, n_{l-1}) * scale(n_{l-1})}, biases zero:
	 * {@code [0]} weights, {@code [1]} biases.
	 */
	private static double[][][] draw(NumpyLegacyStream numpy, int[] sizes,
			java.util.function.IntToDoubleFunction scale) {
		int layers = sizes.length - 1;
		double[][] w = new double[layers][];
		double[][] b = new double[layers][];
		for (int l = 0; l < layers; l++) {
			w[l] = new double[sizes[l + 1] * sizes[l]];
			double factor = scale.applyAsDouble(sizes[l]);
			for (int i = 0; i < w[l].length; i++) {
				w[l][i] = numpy.nextGaussian() * factor;
			}
			b[l] = new double[sizes[l + 1]];
		}
		return new double[][][] { w, b };
	}

	private static List<HistoryEntry> train(double[][][] init, int[] sizes, Activation hidden, Dataset train,
			Dataset test, double learningRate, int iterations) {
		Training training = new Training(OptimizerKind.GD, learningRate, iterations, 1000, 0, 0.9, 0.999, 1e-8);
		return Trainer.train(init[0], init[1], sizes, hidden, false, train, test, training, null, () -> false, e -> {
		});
	}

	private static void assertSameDataset(Dataset data, JsonNode expected) {
		JsonNode x = expected.get("x");
		JsonNode y = expected.get("y");
		assertThat(data.size()).isEqualTo(x.size()).isEqualTo(y.size());
		for (int i = 0; i < data.size(); i++) {
			assertThat(data.y()[i]).as("y[%d]", i).isEqualTo(y.get(i).asInt());
			for (int f = 0; f < 2; f++) {
				assertThat(data.x()[i][f]).as("x[%d][%d]", i, f).isCloseTo(x.get(i).get(f).asDouble(), within(1e-12));
			}
		}
	}

	/** Parameters as the fixtures hold them ({@code W_l [n_l][n_{l-1}]}, {@code b_l}). */
	private static double[][][] params(JsonNode json, int layers) {
		double[][] w = new double[layers][];
		double[][] b = new double[layers][];
		for (int l = 0; l < layers; l++) {
			JsonNode wl = json.get("W" + (l + 1));
			int in = wl.get(0).size();
			w[l] = new double[wl.size() * in];
			for (int i = 0; i < wl.size(); i++) {
				for (int k = 0; k < in; k++) {
					w[l][i * in + k] = wl.get(i).get(k).asDouble();
				}
			}
			JsonNode bl = json.get("b" + (l + 1));
			b[l] = new double[bl.size()];
			for (int i = 0; i < bl.size(); i++) {
				b[l][i] = bl.get(i).asDouble();
			}
		}
		return new double[][][] { w, b };
	}

	private static void assertSameInit(double[][][] init, JsonNode expected, int layers) {
		for (int l = 0; l < layers; l++) {
			JsonNode w = expected.get("W" + (l + 1));
			int in = w.get(0).size();
			assertThat(init[0][l]).hasSize(w.size() * in);
			for (int i = 0; i < w.size(); i++) {
				for (int k = 0; k < in; k++) {
					assertThat(init[0][l][i * in + k]).as("W%d[%d][%d]", l + 1, i, k)
						.isEqualTo(w.get(i).get(k).asDouble());
				}
			}
			JsonNode b = expected.get("b" + (l + 1));
			assertThat(init[1][l]).hasSize(b.size());
			for (int i = 0; i < b.size(); i++) {
				assertThat(init[1][l][i]).isEqualTo(b.get(i).asDouble());
			}
		}
	}

	private static JsonNode load(String resource) {
		try (InputStream in = CourseReproductionTests.class.getResourceAsStream(resource)) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
