package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;

/**
 * {@link Recipe#FIXUP} (Zhang, Dauphin, Ma 2019): on the {@code fixup/resnet*}
 * architectures, each tensor's library rule (which is the reference implementation's
 * Fixup init); on a residual stack of L blocks with m layers per branch, each branch's
 * last layer zero and the others × L^(-1/(2m-2)).
 */
final class Fixup implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		args.done();
		List<Step> steps = new ArrayList<>();
		Map<String, Object> echo = new LinkedHashMap<>();
		if (target.kind() == Target.Kind.ARCHITECTURE) {
			int changed = 0;
			for (Slot slot : target.slots()) {
				if (slot.fixed() || slot.library() == null) {
					steps.add(null);
				}
				else if (Scaling.same(slot.library(), slot.current(), slot.spec())) {
					steps.add(Step.unchanged("fixup: unchanged, the library's own rule is Fixup's"));
				}
				else {
					steps.add(Step.of(slot.library(), "fixup: the reference implementation's rule (library_default)"));
					changed++;
				}
			}
			echo.put("tensors_changed", changed);
			if (changed == 0) {
				echo.put("note", target.describe() + "'s library_default is Fixup's initialization: the recipe "
						+ "changes nothing");
			}
			return new Outcome(steps, echo);
		}
		int blocks = target.blocks();
		int m = target.branchLayers();
		double scale = (m > 1) ? Math.pow(blocks, -1.0 / (2 * m - 2)) : 1.0;
		for (Slot slot : target.slots()) {
			if (slot.fixed() || slot.place() == null) {
				steps.add(null);
			}
			else if (slot.place().part().isResidualOutput()) {
				steps.add(Step.of(InitSpec.of("zeros"), "fixup: zeros (the branch's last layer)"));
			}
			else {
				double divisor = Math.pow(blocks, 1.0 / (2 * m - 2));
				steps.add(Step.of(Scaling.divide(slot.base(), slot.spec(), divisor),
						"fixup: × L^(-1/(2m-2)) = " + blocks + "^(-1/" + (2 * m - 2) + ") = " + scale));
			}
		}
		echo.put("blocks", blocks);
		echo.put("branch_layers", m);
		echo.put("scale", scale);
		echo.put("apply_in_code", List.of("Fixup also adds a scalar bias (initialized 0) before each layer and "
				+ "activation and a scalar multiplier (initialized 1) on each branch"));
		return new Outcome(steps, echo);
	}

}
