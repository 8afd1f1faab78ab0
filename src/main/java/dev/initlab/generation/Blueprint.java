package dev.initlab.generation;

import java.util.List;

import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * What to generate, as typed values: the {@link Planner}'s input. The wire request
 * ({@code POST /api/v1/initializations}) is converted to it once; experiments and
 * propagation build it directly.
 *
 * @param seed int64 seed, or null to draw one
 * @param generator the generator
 * @param dtype element type
 * @param layout tensor names and axis order
 * @param seeding stream derivation
 * @param init the default policy, or null ({@code pytorch_default})
 * @param layers the layers, in order
 * @param stats whether tensors carry stats
 * @param data whether tensors carry data
 */
public record Blueprint(Long seed, Generator generator, DType dtype, Layout layout, Seeding seeding, Policy init,
		List<LayerSpec> layers, boolean stats, boolean data) {

	/**
	 * A stack's starting parameters as experiments and propagation train or run them:
	 * float64 data in PyTorch's layout from one stream in layer order, weight before
	 * bias, as a framework initializes.
	 */
	public static Blueprint sequentialData(long seed, Generator generator, Policy init, List<LayerSpec> layers) {
		return new Blueprint(seed, generator, DType.FLOAT64, Layout.PYTORCH, Seeding.SEQUENTIAL, init, layers, false,
				true);
	}

}
