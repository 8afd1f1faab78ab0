package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Role;

/**
 * {@link Recipe#ZERO} (Zhao, Schäfer, Anandkumar 2022, ZerO, Algorithm 1): every linear
 * weight (and convolution centre) of a layers stack the deterministic identity / Hadamard
 * matrix of the {@code hadamard} scheme, every bias zero. Nothing is random: the symmetry
 * between units is broken by the Hadamard signs and the partial identity alone, which the
 * symmetry metrics of {@code /experiments} show.
 */
final class ZeroRecipe implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		String variant = args.string("variant");
		args.done();
		List<Step> steps = new ArrayList<>();
		int weights = 0;
		for (Slot slot : target.slots()) {
			if (slot.fixed()) {
				steps.add(null);
				continue;
			}
			String type = slot.spec().layerType();
			boolean matrix = type.equals("linear") || type.startsWith("conv");
			if (!matrix) {
				throw new InvalidRecipeException("name", "zero (ZerO) initializes linear and convolution layers; "
						+ slot.name() + " is a " + type + " layer");
			}
			if (slot.spec().role() == Role.WEIGHT) {
				steps.add(Step.of(InitSpec.of("hadamard", "variant", variant),
						"zero: ZerO identity/Hadamard (" + variant + "), deterministic"));
				weights++;
			}
			else {
				steps.add(Step.of(InitSpec.of("zeros"), "zero: bias zero"));
			}
		}
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("weights", weights);
		echo.put("note", "ZerO draws nothing: the same layers give the same values for every seed");
		return new Outcome(steps, echo);
	}

}
