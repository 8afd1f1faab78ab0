package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.initlab.init.InitSpec;

/**
 * {@link Recipe#SKIPINIT}: every residual-branch output projection zero, weight and bias,
 * so each block starts as x ← α·x (a zero weight alone would leave the bias, which
 * {@code pytorch_default} draws U(±1/sqrt(fan_in)), added to every block's output).
 */
final class SkipInit implements Recipe.Rule {

	private static final String WEIGHT = ".weight";

	private static final String BIAS = ".bias";

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		args.done();
		Set<String> outputs = new HashSet<>();
		for (Slot slot : target.slots()) {
			if (!slot.fixed() && slot.place() != null && slot.place().part().isResidualOutput()
					&& slot.name().endsWith(WEIGHT)) {
				outputs.add(slot.name().substring(0, slot.name().length() - WEIGHT.length()));
			}
		}
		List<Step> steps = new ArrayList<>();
		int zeroed = 0;
		for (Slot slot : target.slots()) {
			boolean weight = !slot.fixed() && slot.place() != null && slot.place().part().isResidualOutput();
			boolean bias = !slot.fixed() && slot.name().endsWith(BIAS)
					&& outputs.contains(slot.name().substring(0, slot.name().length() - BIAS.length()));
			if (!weight && !bias) {
				steps.add(null);
				continue;
			}
			steps.add(Step.of(InitSpec.of("zeros"), "skipinit: zeros (the branch adds nothing at initialization)"));
			zeroed++;
		}
		return new Outcome(steps,
				Map.of("tensors_zeroed", zeroed, "apply_in_code", List
					.of("SkipInit proper multiplies each residual branch by a learnable scalar initialized to 0; "
							+ "a zero last layer (weight and bias) gives the same forward pass at initialization")));
	}

}
