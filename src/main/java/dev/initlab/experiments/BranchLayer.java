package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.List;

/**
 * A branch layer of a residual stack in {@code /propagation}: where it sits, which is
 * what a depth-aware recipe needs to know about it (scaled_residual scales the last
 * branch layer by 1/sqrt(2L), Fixup zeroes it and scales the others by L^(-1/(2m-2))).
 * Layers are numbered block-major: block b's branch layer j (both 1-based) is layer
 * {@code (b − 1)·m + j} of the stack, its weight {@code block<b>.layer<j>.weight}.
 *
 * @param block 0-based block index, 0 to {@code blocks − 1}
 * @param position 0-based position in the branch, 0 to {@code branchLayers − 1}
 * @param blocks L, the blocks in the stack ({@code depth})
 * @param branchLayers m, the linear layers per branch
 */
record BranchLayer(int block, int position, int blocks, int branchLayers) {

	BranchLayer {
		if (block < 0 || block >= blocks || position < 0 || position >= branchLayers) {
			throw new IllegalArgumentException("no branch layer " + position + " of block " + block + " in " + blocks
					+ " blocks of " + branchLayers);
		}
	}

	/** Every branch layer of a stack, block-major. */
	static List<BranchLayer> of(int blocks, int branchLayers) {
		List<BranchLayer> layers = new ArrayList<>();
		for (int b = 0; b < blocks; b++) {
			for (int j = 0; j < branchLayers; j++) {
				layers.add(new BranchLayer(b, j, blocks, branchLayers));
			}
		}
		return layers;
	}

	/**
	 * Whether this is the branch's output layer, the one with no activation after it (so
	 * {@code kaiming_*} takes nonlinearity {@code linear} there by default).
	 */
	boolean last() {
		return this.position == this.branchLayers - 1;
	}

	/** Its 0-based index in the stack, as {@code layers} overrides count from 1. */
	int index() {
		return this.block * this.branchLayers + this.position;
	}

	/** Its layer name, {@code block<b>.layer<j>} (1-based). */
	String name() {
		return "block" + (this.block + 1) + ".layer" + (this.position + 1);
	}

	/** How overrides number a residual stack's layers, for messages. */
	static String numbering(int blocks, int branchLayers) {
		return "depth is " + blocks + " blocks × " + branchLayers + " branch layers; block b's branch layer j is layer "
				+ "(b − 1) × " + branchLayers + " + j";
	}

}
