package dev.initlab.init;

import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;

/**
 * Draws from a resolved initializer the way generation does: one xoshiro256++ stream per
 * (seed, tensor name), block 0.
 */
final class Sampling {

	private Sampling() {
	}

	/** A PyTorch-layout weight with PyTorch's fans, no activation, one group. */
	static ParameterSpec weight(String name, int... shape) {
		return ParameterSpec.of(name, shape, Role.WEIGHT, Fans.of(shape), null, 1, "linear");
	}

	/** A PyTorch-layout weight of a layer with an activation and groups. */
	static ParameterSpec weight(String name, String activation, int groups, String layerType, int... shape) {
		return ParameterSpec.of(name, shape, Role.WEIGHT, Fans.of(shape), activation, groups, layerType);
	}

	static RandomStream stream(long seed, String name) {
		return Generator.XOSHIRO256PP.create(SeedMaterial.forTensorBlock(seed, name, 0));
	}

	/**
	 * {@code n} elements of an element-wise initializer, from the stream of (seed, name).
	 */
	static double[] sample(Initializer init, long seed, String name, int n) {
		if (!(init.fill() instanceof Fill.Elementwise elementwise)) {
			throw new AssertionError("expected an element-wise fill, got " + init.fill());
		}
		double[] out = new double[n];
		elementwise.sample(stream(seed, name), out, 0, n);
		return out;
	}

	/**
	 * The whole tensor of a whole-tensor initializer, from the stream of (seed, name).
	 */
	static double[] fill(Initializer init, ParameterSpec spec, long seed) {
		if (!(init.fill() instanceof Fill.Whole whole)) {
			throw new AssertionError("expected a whole-tensor fill, got " + init.fill());
		}
		double[] out = new double[Math.toIntExact(spec.numel())];
		whole.fill(stream(seed, spec.name()), out);
		return out;
	}

}
