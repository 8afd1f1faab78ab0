package dev.initlab.models;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The registry of architectures, by wire name: what {@code GET /api/v1/architectures}
 * lists and what a request's {@code model.architecture} looks up. Adding an architecture
 * is one constant here (see {@link Architecture}).
 */
public enum Architectures {

	/** transformers' {@code GPT2LMHeadModel}. */
	GPT2_LM_HEAD_MODEL(new Gpt2LMHeadModel()),

	/** karpathy/nanoGPT's {@code GPT}. */
	NANOGPT_GPT(new NanoGpt()),

	/** timm's {@code VisionTransformer}. */
	TIMM_VISION_TRANSFORMER(new TimmVisionTransformer()),

	/** timm's {@code vit_tiny_patch16_224}. */
	TIMM_VIT_TINY_PATCH16_224(TimmVisionTransformer.vitTiny()),

	/** timm's {@code vit_small_patch16_224}. */
	TIMM_VIT_SMALL_PATCH16_224(TimmVisionTransformer.vitSmall()),

	/** timm's {@code vit_base_patch16_224}. */
	TIMM_VIT_BASE_PATCH16_224(TimmVisionTransformer.vitBase());

	private final Architecture architecture;

	Architectures(Architecture architecture) {
		this.architecture = architecture;
	}

	public Architecture architecture() {
		return this.architecture;
	}

	/**
	 * The architecture of a wire name ({@code transformers/GPT2LMHeadModel}), exactly.
	 */
	public static Optional<Architecture> byName(String name) {
		return Arrays.stream(values()).map(Architectures::architecture).filter(a -> a.name().equals(name)).findFirst();
	}

	/** Every wire name, in registry order. */
	public static List<String> names() {
		return Arrays.stream(values()).map(a -> a.architecture().name()).toList();
	}

	/** Every architecture, in registry order. */
	public static List<Architecture> all() {
		return Arrays.stream(values()).map(Architectures::architecture).toList();
	}

}
