package dev.initlab.generation;

/**
 * The starting parameters of a stack of linear layers with biases, drawn from a plan of
 * it (weight, then bias, layer by layer), as experiments, propagation and symmetry checks
 * train or run them.
 *
 * @param weights per layer, input to output, {@code [out, in]} row-major
 * @param biases per layer, input to output
 */
public record LinearStack(double[][] weights, double[][] biases) {

	/** The tensors of {@code plan}, a stack of linear layers, each with a bias. */
	public static LinearStack of(Plan plan) {
		int layers = plan.tensors().size() / 2;
		TensorSource source = new TensorSource(plan);
		double[][] weights = new double[layers][];
		double[][] biases = new double[layers][];
		for (int l = 0; l < layers; l++) {
			weights[l] = source.materialize(2 * l);
			biases[l] = source.materialize(2 * l + 1);
		}
		return new LinearStack(weights, biases);
	}

}
