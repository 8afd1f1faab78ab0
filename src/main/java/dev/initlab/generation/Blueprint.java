package dev.initlab.generation;

import java.util.List;

import dev.initlab.init.InitOverride;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.models.Model;
import dev.initlab.recipes.RecipeSpec;
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
 * @param layers the layers, in order (empty for a model)
 * @param model the whole architecture instead of layers, or null
 * @param overrides initializers by tensor-name glob, applied in order after the policy
 * (the last match wins)
 * @param recipe the depth- or width-aware recipe applied after the policy and before the
 * overrides, or null
 * @param stats whether tensors carry stats
 * @param data whether tensors carry data
 */
public record Blueprint(Long seed, Generator generator, DType dtype, Layout layout, Seeding seeding, Policy init,
		List<LayerSpec> layers, Model model, List<InitOverride> overrides, RecipeSpec recipe, boolean stats,
		boolean data) {

	public Blueprint {
		layers = (layers != null) ? List.copyOf(layers) : List.of();
		overrides = (overrides != null) ? List.copyOf(overrides) : List.of();
	}

	/** Without a recipe. */
	public Blueprint(Long seed, Generator generator, DType dtype, Layout layout, Seeding seeding, Policy init,
			List<LayerSpec> layers, Model model, List<InitOverride> overrides, boolean stats, boolean data) {
		this(seed, generator, dtype, layout, seeding, init, layers, model, overrides, null, stats, data);
	}

	/** Layers without overrides. */
	public Blueprint(Long seed, Generator generator, DType dtype, Layout layout, Seeding seeding, Policy init,
			List<LayerSpec> layers, boolean stats, boolean data) {
		this(seed, generator, dtype, layout, seeding, init, layers, null, List.of(), stats, data);
	}

	/**
	 * A stack's starting parameters as experiments and propagation train or run them:
	 * float64 data in PyTorch's layout from one stream in layer order, weight before
	 * bias, as a framework initializes.
	 */
	public static Blueprint sequentialData(long seed, Generator generator, Policy init, List<LayerSpec> layers) {
		return sequentialData(seed, generator, init, layers, null);
	}

	/** As {@link #sequentialData(long, Generator, Policy, List)}, with a recipe. */
	public static Blueprint sequentialData(long seed, Generator generator, Policy init, List<LayerSpec> layers,
			RecipeSpec recipe) {
		return new Blueprint(seed, generator, DType.FLOAT64, Layout.PYTORCH, Seeding.SEQUENTIAL, init, layers, null,
				List.of(), recipe, false, true);
	}

}
