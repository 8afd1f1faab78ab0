package dev.initlab.recipes;

import dev.initlab.init.InitSpec;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Preset;

/**
 * One tensor a recipe may change, with what it would get without the recipe.
 *
 * @param spec name, shape, role, fans
 * @param place what it does in the model, or null when it plays no part a recipe knows
 * @param base its initializer before the recipe, without any depth scaling the library
 * applies on its own (GPT-2's residual projections: {@code normal(0,
 * initializer_range)}), so a recipe's scaling never compounds with the library's
 * @param current its initializer before the recipe as it would be generated (the
 * library's damped rule where it has one)
 * @param library the library's own initializer ({@code library_default}), or null for
 * {@code layers}
 * @param fixed whether no recipe may change it (buffers, the later keys of a tie group)
 * @param tiedTo the first key of its tie group when it is a later key, else null
 * @param preset the preset that chose {@code current}, or null (a role policy, a layer's
 * own initializer): what the same rule gives another shape (μP's base model)
 */
public record Slot(ParameterSpec spec, Place place, InitSpec base, InitSpec current, InitSpec library, boolean fixed,
		String tiedTo, Preset preset) {

	/** A tensor of a stack: no library rule, no tie, no preset. */
	public static Slot of(ParameterSpec spec, Place place, InitSpec init) {
		return new Slot(spec, place, init, init, null, false, null, null);
	}

	public String name() {
		return this.spec.name();
	}

}
