package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Preset;
import dev.initlab.init.Role;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.recipes.InvalidRecipeException;
import dev.initlab.recipes.Outcome;
import dev.initlab.recipes.Place;
import dev.initlab.recipes.Recipe;
import dev.initlab.recipes.RecipeSpec;
import dev.initlab.recipes.Slot;
import dev.initlab.recipes.Step;
import dev.initlab.recipes.Target;

/**
 * A policy's recipe over a residual stack (API.md sections 7 and 8), in the order preset
 * → recipe → overrides: the recipe ({@link Recipe}, the shared registry) sees each branch
 * tensor with what the policy's init gives it and its place (block b, last branch layer
 * or not: {@link Place#branch}); each tensor the recipe changes gets the recipe's
 * initializer as its layer's own, unless an override names that layer with an initializer
 * for the role or a preset, which then wins.
 *
 * @param layerInits per branch layer (block-major), its own init as the planner sees it
 * @param echo the recipe's resolved parameters and what to apply in code, for the
 * response
 */
record ResidualRecipe(List<Policy> layerInits, Map<String, Object> echo) {

	/**
	 * Applies {@code recipe} to a planned residual stack.
	 * @param recipe the policy's recipe
	 * @param path the policy in the request, e.g. {@code policies[1]}
	 * @param stack the policy over the stack (its init and overrides)
	 * @param branch the branch layers, block-major
	 * @param layers their layer specs, in the same order
	 * @throws InvalidRequestException naming {@code path.recipe} or its field at fault
	 */
	static ResidualRecipe apply(RecipeSpec recipe, String path, StackPolicy stack, List<BranchLayer> branch,
			List<LayerSpec> layers) {
		List<Slot> slots = new ArrayList<>();
		List<Integer> layerOf = new ArrayList<>();
		for (int i = 0; i < layers.size(); i++) {
			BranchLayer layer = branch.get(i);
			for (ParameterSpec p : layers.get(i).parameters(Layout.PYTORCH)) {
				Place place = (p.role() == Role.WEIGHT) ? Place.branch(layer.block(), layer.last()) : null;
				slots.add(Slot.of(p, place, policyInit(stack.init(), p)));
				layerOf.add(i);
			}
		}
		Outcome outcome;
		try {
			outcome = Recipe.apply(recipe,
					Target.residualStack(branch.get(0).blocks(), branch.get(0).branchLayers(), slots));
		}
		catch (InvalidRecipeException ex) {
			List<FieldError> errors = new ArrayList<>();
			for (InvalidRecipeException.Problem problem : ex.problems()) {
				errors.add(new FieldError(path + ".recipe" + (problem.field().isEmpty() ? "" : "." + problem.field()),
						problem.message()));
			}
			throw new InvalidRequestException(errors);
		}
		List<Policy> inits = new ArrayList<>(stack.layerInits());
		for (int k = 0; k < slots.size(); k++) {
			Step step = outcome.steps().get(k);
			if (step == null || step.keeps()) {
				continue;
			}
			if (step.init() == null) {
				throw new IllegalStateException("recipe " + recipe.name() + " built its own initializer for "
						+ slots.get(k).name() + "; a residual stack takes initializers the planner resolves");
			}
			int i = layerOf.get(k);
			Role role = slots.get(k).spec().role();
			Policy own = inits.get(i);
			if (own != null && (own.forRole(role).isPresent() || own.preset() != null)) {
				// overrides come last
				continue;
			}
			inits.set(i, with(own, role, step.init()));
		}
		return new ResidualRecipe(inits, outcome.echo());
	}

	/**
	 * What the policy gives a tensor before any recipe, as the planner chooses it without
	 * a layer's own init: its initializer for the role, else its preset's rule, else
	 * {@code pytorch_default}'s. Called after the stack was planned once, so the preset
	 * and the rule resolve.
	 */
	private static InitSpec policyInit(Policy policy, ParameterSpec p) {
		return policy.forRole(p.role())
			.orElseGet(() -> policy.resolvePreset().orElse(Preset.PYTORCH_DEFAULT).initFor(p));
	}

	/** {@code own} (null: none) with {@code init} for {@code role}. */
	private static Policy with(Policy own, Role role, InitSpec init) {
		Policy p = (own != null) ? own : new Policy(null, null, null, null, null, null, null);
		return switch (role) {
			case WEIGHT -> new Policy(p.preset(), init, p.bias(), p.recurrentWeight(), p.embedding(), p.normWeight(),
					p.normBias());
			case BIAS -> new Policy(p.preset(), p.weight(), init, p.recurrentWeight(), p.embedding(), p.normWeight(),
					p.normBias());
			default -> throw new IllegalStateException("a residual stack's linear layers have no " + role);
		};
	}

}
