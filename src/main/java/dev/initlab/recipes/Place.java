package dev.initlab.recipes;

import java.util.List;

import dev.initlab.models.Part;
import dev.initlab.models.PartRule;
import dev.initlab.models.Structure;

/**
 * Where a weight sits: what it does, in which stack and block.
 *
 * @param part what it does
 * @param stack the encoder or decoder stack
 * @param block its block, 0-based (-1 outside the blocks: embeddings, readout)
 * @param cross whether it is a cross-attention projection
 * @param inOut whether it is laid out {@code [in, out]} rather than {@code [out, in]}
 */
public record Place(Part part, Structure.Stack stack, int block, boolean cross, boolean inOut) {

	/**
	 * The place of a tensor by an architecture's part rules (the first match wins), or
	 * null when it plays no part.
	 */
	public static Place of(String name, List<PartRule> rules, Structure structure) {
		for (PartRule rule : rules) {
			if (rule.matches(name)) {
				Structure.Stack stack = (rule.stack() != null) ? rule.stack() : structure.defaultStack();
				return new Place(rule.part(), stack, blockOf(name), rule.cross(), rule.inOut());
			}
		}
		return null;
	}

	/**
	 * Layer {@code j} of block {@code block}'s branch in a residual stack: the last one
	 * is the branch's residual output ({@link Part#FFN_OUT}), the others
	 * {@link Part#FFN_IN}; a residual stack counts as an encoder.
	 */
	public static Place branch(int block, boolean last) {
		return new Place(last ? Part.FFN_OUT : Part.FFN_IN, Structure.Stack.ENCODER, block, false, false);
	}

	/** The first all-digit part of a dotted name, or -1. */
	static int blockOf(String name) {
		for (String part : name.split("\\.")) {
			if (!part.isEmpty() && part.length() < 10 && part.chars().allMatch(Character::isDigit)) {
				return Integer.parseInt(part);
			}
		}
		return -1;
	}

}
