package dev.initlab.models;

import dev.initlab.init.NameGlob;

/**
 * Which weights of an architecture play a {@link Part}, by name glob. The block a weight
 * belongs to is the first all-digit part of its name ({@code transformer.h.3.attn...} is
 * block 3).
 *
 * @param match the name glob ({@code transformer.h.*.attn.c_proj.weight})
 * @param part what the matched weights do
 * @param stack the encoder or decoder stack they belong to, or null for the
 * architecture's only stack ({@link Structure#kind()})
 * @param cross whether it is a cross-attention projection (a decoder attending to the
 * encoder)
 * @param inOut whether the weight is laid out {@code [in, out]} (transformers'
 * {@code Conv1D}) rather than nn.Linear's {@code [out, in]}
 */
public record PartRule(String match, Part part, Structure.Stack stack, boolean cross, boolean inOut) {

	/** An nn.Linear-layout weight of the architecture's only stack. */
	public static PartRule of(String match, Part part) {
		return new PartRule(match, part, null, false, false);
	}

	/** A weight of one stack of an encoder–decoder. */
	public static PartRule of(String match, Part part, Structure.Stack stack) {
		return new PartRule(match, part, stack, false, false);
	}

	/** A cross-attention weight of the decoder. */
	public static PartRule cross(String match, Part part) {
		return new PartRule(match, part, Structure.Stack.DECODER, true, false);
	}

	/** This rule for a weight laid out {@code [in, out]}. */
	public PartRule inOutLayout() {
		return new PartRule(this.match, this.part, this.stack, this.cross, true);
	}

	/** Whether the glob matches the tensor name. */
	public boolean matches(String name) {
		return NameGlob.of(this.match).matches(name);
	}

}
