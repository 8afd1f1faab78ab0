package dev.initlab.generation;

import java.util.List;

import dev.initlab.layers.Layout;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * A validated request: every tensor named, shaped and resolved, nothing generated yet.
 *
 * @param seed the seed (given or drawn)
 * @param generator the generator
 * @param dtype element type
 * @param layout naming and axis order
 * @param seeding stream derivation
 * @param stats whether tensors carry stats
 * @param data whether tensors carry data
 * @param tensors the tensors in layer order
 */
public record Plan(long seed, Generator generator, DType dtype, Layout layout, Seeding seeding, boolean stats,
		boolean data, List<PlannedTensor> tensors) {

	/** Total elements. */
	public long parameterCount() {
		return this.tensors.stream().mapToLong(t -> t.spec().numel()).sum();
	}

}
