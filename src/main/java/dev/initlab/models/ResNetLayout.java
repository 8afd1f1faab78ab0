package dev.initlab.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The ImageNet ResNet layout that torchvision's {@code resnet.py} and Fixup's
 * {@code imagenet/models/fixup_resnet_imagenet.py} share: per depth the block kind and
 * the blocks per stage ({@code layers} of {@code ResNet(block, layers)} /
 * {@code FixupResNet(block, layers)}), the stage widths 64, 128, 256, 512 and
 * {@code _make_layer}'s walk, in which a stage's first block gets a downsample branch
 * when its stride is 2 or its input width differs from {@code planes * expansion}. Each
 * library's class adds its own modules per block.
 */
enum ResNetLayout {

	/** BasicBlock [2, 2, 2, 2]. */
	RESNET18("resnet18", false, List.of(2, 2, 2, 2)),

	/** BasicBlock [3, 4, 6, 3]. */
	RESNET34("resnet34", false, List.of(3, 4, 6, 3)),

	/** Bottleneck [3, 4, 6, 3]. */
	RESNET50("resnet50", true, List.of(3, 4, 6, 3)),

	/** Bottleneck [3, 4, 23, 3]. */
	RESNET101("resnet101", true, List.of(3, 4, 23, 3)),

	/** Bottleneck [3, 8, 36, 3]. */
	RESNET152("resnet152", true, List.of(3, 8, 36, 3));

	/** The stem's output width, the first stage's input. */
	static final int STEM_WIDTH = 64;

	private static final int[] PLANES = { 64, 128, 256, 512 };

	private final String depth;

	private final boolean bottleneck;

	private final List<Integer> layers;

	ResNetLayout(String depth, boolean bottleneck, List<Integer> layers) {
		this.depth = depth;
		this.bottleneck = bottleneck;
		this.layers = layers;
	}

	/**
	 * One residual block: its key prefix ({@code layer2.0.}), its input width, its
	 * {@code planes} (output width {@code planes * expansion}) and whether it has the
	 * downsample branch.
	 */
	record Block(String prefix, int inplanes, int planes, boolean downsample) {
	}

	/** {@code resnet18}, ... */
	String depth() {
		return this.depth;
	}

	/** Bottleneck blocks (1x1, 3x3, 1x1) rather than basic blocks (3x3, 3x3). */
	boolean bottleneck() {
		return this.bottleneck;
	}

	/** The block's output-width multiplier: 4 for a bottleneck, 1 for a basic block. */
	int expansion() {
		return this.bottleneck ? 4 : 1;
	}

	/** Blocks per stage. */
	List<Integer> layers() {
		return this.layers;
	}

	/** The residual blocks of the four stages, in state_dict order. */
	List<Block> blocks() {
		List<Block> blocks = new ArrayList<>();
		int inplanes = STEM_WIDTH;
		for (int stage = 0; stage < PLANES.length; stage++) {
			int planes = PLANES[stage];
			int stride = (stage == 0) ? 1 : 2;
			for (int b = 0; b < this.layers.get(stage); b++) {
				boolean downsample = b == 0 && (stride != 1 || inplanes != planes * expansion());
				blocks.add(new Block("layer" + (stage + 1) + "." + b + ".", inplanes, planes, downsample));
				inplanes = planes * expansion();
			}
		}
		return blocks;
	}

	/** The classifier's input width, {@code 512 * expansion}. */
	int features() {
		return PLANES[PLANES.length - 1] * expansion();
	}

}
