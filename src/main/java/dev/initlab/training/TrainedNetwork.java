package dev.initlab.training;

import java.util.Arrays;

/**
 * A network's parameters as training left them, after {@link #updates()} updates, and the
 * forward pass of the network that trained them (so a prediction is computed by the same
 * code, bit for bit, as the training accuracy).
 * <p>
 * It holds copies of the weights and biases only, never the training buffers: Σ_l
 * (n_{l-1} + 1) n_l doubles, as many as the initial parameters an experiment already
 * holds per policy (2-4-1: 17; two inputs, eight hidden layers of 256 units, two outputs:
 * 461,826, about 3.7 MB). Immutable and safe to share: every {@link #forward} runs on its
 * own {@link Network} over these read-only arrays.
 */
public final class TrainedNetwork {

	/**
	 * Samples per forward pass: a pass holds three {@code [units][samples]} buffers per
	 * layer, so a grid of 160,000 points is sent through in pieces (at most 8 × 256
	 * units: 12.6 MB at a time). The forward pass computes each sample on its own, so the
	 * pieces change no bit of the result.
	 */
	static final int CHUNK = 256;

	private final int[] sizes;

	private final Activation hidden;

	private final boolean softmax;

	private final double[][] w;

	private final double[][] b;

	private final int updates;

	private TrainedNetwork(int[] sizes, Activation hidden, boolean softmax, double[][] w, double[][] b, int updates) {
		this.sizes = sizes;
		this.hidden = hidden;
		this.softmax = softmax;
		this.w = w;
		this.b = b;
		this.updates = updates;
	}

	/**
	 * A network from its parameters (copied).
	 * @param sizes units per layer, input first
	 * @param hidden activation of the hidden layers
	 * @param softmax softmax output, else one sigmoid unit
	 * @param weights per linear layer, {@code [out, in]} row-major
	 * @param biases per linear layer
	 * @param updates the updates that led to these parameters (0: the initial state)
	 */
	public static TrainedNetwork of(int[] sizes, Activation hidden, boolean softmax, double[][] weights,
			double[][] biases, int updates) {
		double[][] w = new double[weights.length][];
		double[][] b = new double[biases.length][];
		for (int l = 0; l < weights.length; l++) {
			w[l] = weights[l].clone();
			b[l] = biases[l].clone();
		}
		return new TrainedNetwork(sizes.clone(), hidden, softmax, w, b, updates);
	}

	/** The state of a network being trained (its parameters copied). */
	static TrainedNetwork of(Network net, int updates) {
		return of(net.sizes, net.hidden, net.softmax, net.w, net.b, updates);
	}

	/** The updates that led to these parameters (0: the initial state). */
	public int updates() {
		return this.updates;
	}

	/** Input features. */
	public int inputs() {
		return this.sizes[0];
	}

	/** Output units: 1 (sigmoid) or the number of classes (softmax). */
	public int outputs() {
		return this.sizes[this.sizes.length - 1];
	}

	public boolean softmax() {
		return this.softmax;
	}

	/** Weights and biases in all. */
	public long parameters() {
		long n = 0;
		for (int l = 0; l < this.w.length; l++) {
			n += this.w[l].length + this.b[l].length;
		}
		return n;
	}

	/**
	 * What the network outputs for some samples.
	 *
	 * @param activations the output layer's activations, {@code [units][samples]}:
	 * P(class 1) for a sigmoid output, the class probabilities for softmax
	 * @param predicted the predicted class of each sample, as the training accuracy
	 * counts it
	 */
	public record Outputs(double[][] activations, int[] predicted) {
	}

	/**
	 * The network's outputs for {@code columns} ({@code [features][samples]}), computed
	 * by the training engine's forward pass and prediction.
	 */
	public Outputs forward(double[][] columns) {
		if (columns.length != inputs()) {
			throw new IllegalArgumentException("The network takes " + inputs() + " features, got " + columns.length);
		}
		int m = columns[0].length;
		Network net = new Network(this.sizes, this.hidden, this.softmax, this.w, this.b);
		double[][] out = new double[outputs()][m];
		int[] predicted = new int[m];
		for (int from = 0; from < m; from += CHUNK) {
			int to = Math.min(m, from + CHUNK);
			double[][] piece = new double[columns.length][];
			for (int f = 0; f < columns.length; f++) {
				piece[f] = Arrays.copyOfRange(columns[f], from, to);
			}
			Network.Pass pass = net.forward(piece);
			double[][] a = pass.a()[net.layers()];
			for (int k = 0; k < a.length; k++) {
				System.arraycopy(a[k], 0, out[k], from, to - from);
			}
			System.arraycopy(net.predict(pass), 0, predicted, from, to - from);
		}
		return new Outputs(out, predicted);
	}

	/** The fraction of {@code data} classified right. */
	public double accuracy(Dataset data) {
		return Network.accuracy(forward(data.columns()).predicted(), data.y());
	}

}
