package dev.initlab.training;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
	 * Thrown when {@code cancelled} turned true; the history so far went to the listener.
	 */
	public static final class Cancelled extends RuntimeException {

		Cancelled() {
			super("cancelled");
		}

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
		double[][] w = new double[weights.length][];
		double[][] b = new double[biases.length][];
		for (int l = 0; l < weights.length; l++) {
			w[l] = weights[l].clone();
			b[l] = biases[l].clone();
		}
		Network net = new Network(sizes, hidden, softmax, w, b);
		Optimizer optimizer = new Optimizer(training.optimizer(), training.learningRate(), training.beta1(),
				training.beta2(), training.epsilon());
		double[][] x = Network.columns(train, null);
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
						entry = entry.withTestAccuracy((test != null)
								? net.accuracy(net.forward(Network.columns(test, null)), test.y()) : null);
					}
					history.add(entry);
					onRecord.accept(entry);
				}
			}
			if (it == training.iterations()) {
				return history;
			}
			if (cancelled.getAsBoolean()) {
				throw new Cancelled();
			}
			if (!fullBatch) {
				int size = training.batchSize();
				if (cursor + size > m) {
					Datasets.shuffle(order, shuffle);
					cursor = 0;
				}
				int[] batch = java.util.Arrays.copyOfRange(order, cursor, cursor + size);
				cursor += size;
				Network.Pass pass = net.forward(Network.columns(train, batch));
				g = net.backward(pass, train.subset(batch).y());
			}
			optimizer.step(net, g);
		}
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
