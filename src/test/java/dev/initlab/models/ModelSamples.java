package dev.initlab.models;

import dev.initlab.init.Fill;
import dev.initlab.init.Initializer;
import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;

/**
 * Draws what initlab would generate for one built {@link ModelTensor}, for comparing with
 * the real library's samples in {@link ArchitectureFixtures}: the tensor's
 * {@code library_default} (or {@code pytorch_default}) rule is resolved against its spec
 * exactly as the planner resolves it, and drawn from one xoshiro256++ stream per (seed,
 * tensor name), block 0, as generation does.
 */
final class ModelSamples {

	private ModelSamples() {
	}

	/** The resolved {@code library_default} initializer of the tensor. */
	static Initializer libraryDefault(ModelTensor tensor) {
		return tensor.libraryDefault().init().resolve(tensor.spec());
	}

	/** The resolved {@code pytorch_default} initializer of the tensor. */
	static Initializer pytorchDefault(ModelTensor tensor) {
		return tensor.pytorchDefault().init().resolve(tensor.spec());
	}

	/**
	 * At most {@code n} values of the tensor drawn with {@code init} (all of them for a
	 * whole-tensor fill such as orthogonal, whose elements depend on each other).
	 */
	static double[] draw(ModelTensor tensor, Initializer init, long seed, int n) {
		RandomStream stream = Generator.XOSHIRO256PP.create(SeedMaterial.forTensorBlock(seed, tensor.name(), 0));
		long numel = tensor.spec().numel();
		if (init.fill() instanceof Fill.Elementwise elementwise) {
			double[] out = new double[(int) Math.min(n, numel)];
			elementwise.sample(stream, out, 0, out.length);
			return out;
		}
		double[] all = new double[Math.toIntExact(numel)];
		((Fill.Whole) init.fill()).fill(stream, all);
		return all;
	}

	/** {@link #draw} of the tensor's {@code library_default}. */
	static double[] libraryDraw(ModelTensor tensor, long seed, int n) {
		return draw(tensor, libraryDefault(tensor), seed, n);
	}

}
