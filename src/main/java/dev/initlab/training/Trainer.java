package dev.initlab.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.initlab.rng.NumpyLegacyStream;
import dev.initlab.rng.RandomStream;

/**
 * Trains one network and records its history: iteration 0 first, then every
 * {@code record_every} updates, and the last iteration last. Each recorded gradient is
 * the full-batch gradient of the mean loss at that state.
 */
public final class Trainer {

	private Trainer() {
	}

	/**
	 * Thrown when {@code cancelled} turned true; the history so far went to the listener,
	 * and the network as it stopped is {@link #network()}.
	 */
	public static final class Cancelled extends RuntimeException {

		private final transient TrainedNetwork network;

		Cancelled(TrainedNetwork network) {
			super("cancelled");
			this.network = network;
		}

		/** The parameters when training stopped. */
		public TrainedNetwork network() {
			return this.network;
		}

	}

	/**
	 * A finished training run.
	 *
	 * @param history the recorded entries; the last carries the test accuracy
	 * @param network the trained parameters
	 */
	public record Run(List<HistoryEntry> history, TrainedNetwork network) {
	}

	/**
	 * @param weights initial weights per linear layer, {@code [out, in]} row-major
	 * (copied)
	 * @param biases initial biases per linear layer (copied)
	 * @param sizes units per layer, input first
	 * @param hidden hidden activation
	 * @param softmax softmax output, else one sigmoid unit
	 * @param train training set
	 * @param test test set, or null
	 * @param training optimizer and schedule
	 * @param shuffle stream for mini-batch order (unused for full batch)
	 * @param cancelled checked between updates
	 * @param onRecord receives each history entry as it is recorded
	 * @return the history; its last entry carries the test accuracy
	 */
	public static List<HistoryEntry> train(double[][] weights, double[][] biases, int[] sizes, Activation hidden,
			boolean softmax, Dataset train, Dataset test, Training training, RandomStream shuffle,
			BooleanSupplier cancelled, Consumer<HistoryEntry> onRecord) {
		return run(weights, biases, sizes, hidden, softmax, train, test, training, shuffle, cancelled, onRecord)
			.history();
	}

	/**
	 * As {@link #train}, keeping the trained parameters too.
	 * @throws Cancelled when {@code cancelled} turns true, with the parameters then
	 */
	public static Run run(double[][] weights, double[][] biases, int[] sizes, Activation hidden, boolean softmax,
			Dataset train, Dataset test, Training training, RandomStream shuffle, BooleanSupplier cancelled,
			Consumer<HistoryEntry> onRecord) {
		double[][] w = new double[weights.length][];
		double[][] b = new double[biases.length][];
		for (int l = 0; l < weights.length; l++) {
			w[l] = weights[l].clone();
			b[l] = biases[l].clone();
		}
		Network net = new Network(sizes, hidden, softmax, w, b);
		Optimizer optimizer = new Optimizer(training.optimizer(), training.learningRate(), training.beta1(),
				training.beta2(), training.epsilon());
		double[][] x = train.columns();
		int m = train.size();
		boolean fullBatch = training.batchSize() <= 0 || training.batchSize() >= m;
		int[] order = new int[m];
		for (int i = 0; i < m; i++) {
			order[i] = i;
		}
		int cursor = m;
		List<HistoryEntry> history = new ArrayList<>();
		for (int it = 0;; it++) {
			boolean record = it % training.recordEvery() == 0 || it == training.iterations();
			Network.Gradients g = null;
			if (record || fullBatch) {
				Network.Pass pass = net.forward(x);
				g = net.backward(pass, train.y());
				if (record) {
					HistoryEntry entry = entry(it, net, pass, train.y(), g);
					if (it == training.iterations()) {
						entry = entry.withTestAccuracy(
								(test != null) ? net.accuracy(net.forward(test.columns()), test.y()) : null);
					}
					history.add(entry);
					onRecord.accept(entry);
				}
			}
			if (it == training.iterations()) {
				return new Run(history, TrainedNetwork.of(net, it));
			}
			if (cancelled.getAsBoolean()) {
				throw new Cancelled(TrainedNetwork.of(net, it));
			}
			if (!fullBatch) {
				int size = training.batchSize();
				if (cursor + size > m) {
					Datasets.shuffle(order, shuffle);
					cursor = 0;
				}
				int[] batch = java.util.Arrays.copyOfRange(order, cursor, cursor + size);
				cursor += size;
				Network.Pass pass = net.forward(train.columns(batch));
				g = net.backward(pass, train.subset(batch).y());
			}
			optimizer.step(net, g);
		}
	}

	/**
	 * Trains throwaway networks for about {@code iterations} updates (the course's planar
	 * flower, 2-4-1 tanh and ReLU, in runs of 1,000), so that the JIT has compiled the
	 * training loops before the first experiment: a 10,000-iteration run takes some 300
	 * ms in a fresh JVM and 50 ms once compiled.
	 * @return the updates run
	 */
	public static int warmUp(int iterations) {
		Dataset data = Datasets.planarFlower(400, 0.2, new NumpyLegacyStream(1));
		Training training = new Training(OptimizerKind.GD, 0.5, 1000, 500, 0, 0.9, 0.999, 1e-8);
		int[] sizes = { 2, 4, 1 };
		double[][] weights = { { 0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8 }, { 0.2, -0.1, 0.4, -0.3 } };
		double[][] biases = { new double[4], new double[1] };
		int done = 0;
		for (int run = 0; done < iterations; run++) {
			train(weights, biases, sizes, (run % 2 == 0) ? Activation.TANH : Activation.RELU, false, data, null,
					training, null, () -> false, (entry) -> {
					});
			done += training.iterations();
		}
		return done;
	}

	private static HistoryEntry entry(int iteration, Network net, Network.Pass pass, int[] y, Network.Gradients g) {
		int layers = net.layers();
		List<Double> saturation = new ArrayList<>();
		List<Double> dead = new ArrayList<>();
		for (int l = 1; l < layers; l++) {
			double[][] a = pass.a()[l];
			if (net.hidden.saturates()) {
				long saturated = 0;
				long total = 0;
				for (double[] unit : a) {
					for (double v : unit) {
						if (net.hidden.saturated(v)) {
							saturated++;
						}
						total++;
					}
				}
				saturation.add((double) saturated / total);
			}
			else {
				saturation.add(null);
			}
			int deadUnits = 0;
			for (double[] unit : a) {
				boolean allZero = true;
				for (double v : unit) {
					if (v != 0) {
						allZero = false;
						break;
					}
				}
				if (allZero) {
					deadUnits++;
				}
			}
			dead.add((double) deadUnits / a.length);
		}
		List<Double> norms = new ArrayList<>();
		for (double n : g.norms()) {
			norms.add(n);
		}
		Symmetry symmetry = (layers > 1)
				? SymmetryMetrics.of(net.w[0], net.b[0], net.sizes[1], net.sizes[0], pass.a()[1]) : null;
		return new HistoryEntry(iteration, net.loss(pass, y), net.accuracy(pass, y), null, symmetry, saturation, dead,
				norms);
	}

}
