package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;

/**
 * {@link Recipe#SKIPINIT}: every residual-branch output projection zero, so each block
 * starts as x ← α·x.
 */
final class SkipInit implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		args.done();
		List<Step> steps = new ArrayList<>();
		int zeroed = 0;
		for (Slot slot : target.slots()) {
			if (slot.fixed() || slot.place() == null || !slot.place().part().isResidualOutput()) {
				steps.add(null);
				continue;
			}
			steps.add(Step.of(InitSpec.of("zeros"), "skipinit: zeros (the branch adds nothing at initialization)"));
			zeroed++;
		}
		return new Outcome(steps,
				Map.of("tensors_zeroed", zeroed, "apply_in_code", List
					.of("SkipInit proper multiplies each residual branch by a learnable scalar initialized to 0; "
							+ "a zero last layer gives the same forward pass at initialization")));
	}

}
