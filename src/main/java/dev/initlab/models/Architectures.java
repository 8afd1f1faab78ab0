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

	/** transformers' {@code LlamaForCausalLM}. */
	LLAMA_FOR_CAUSAL_LM(new LlamaForCausalLM()),

	/** transformers' {@code BertModel}. */
	BERT_MODEL(new BertModel()),

	/** transformers' {@code BertForMaskedLM}. */
	BERT_FOR_MASKED_LM(new BertForMaskedLM()),

	/** transformers' {@code T5ForConditionalGeneration}. */
	T5_FOR_CONDITIONAL_GENERATION(new T5ForConditionalGeneration()),

	/** torchvision's {@code resnet18} (BasicBlock [2, 2, 2, 2]). */
	TORCHVISION_RESNET18(TorchvisionResNet.resnet18()),

	/** torchvision's {@code resnet34} (BasicBlock [3, 4, 6, 3]). */
	TORCHVISION_RESNET34(TorchvisionResNet.resnet34()),

	/** torchvision's {@code resnet50} (Bottleneck [3, 4, 6, 3]). */
	TORCHVISION_RESNET50(TorchvisionResNet.resnet50()),

	/** torchvision's {@code resnet101} (Bottleneck [3, 4, 23, 3]). */
	TORCHVISION_RESNET101(TorchvisionResNet.resnet101()),

	/** torchvision's {@code resnet152} (Bottleneck [3, 8, 36, 3]). */
	TORCHVISION_RESNET152(TorchvisionResNet.resnet152()),

	/** timm's {@code VisionTransformer}. */
	TIMM_VISION_TRANSFORMER(new TimmVisionTransformer()),

	/** timm's {@code vit_tiny_patch16_224}. */
	TIMM_VIT_TINY_PATCH16_224(TimmVisionTransformer.vitTiny()),

	/** timm's {@code vit_small_patch16_224}. */
	TIMM_VIT_SMALL_PATCH16_224(TimmVisionTransformer.vitSmall()),

	/** timm's {@code vit_base_patch16_224}. */
	TIMM_VIT_BASE_PATCH16_224(TimmVisionTransformer.vitBase()),

	/** Fixup's {@code fixup_resnet18} (FixupBasicBlock [2, 2, 2, 2]). */
	FIXUP_RESNET18(FixupResNet.resnet18()),

	/** Fixup's {@code fixup_resnet34} (FixupBasicBlock [3, 4, 6, 3]). */
	FIXUP_RESNET34(FixupResNet.resnet34()),

	/** Fixup's {@code fixup_resnet50} (FixupBottleneck [3, 4, 6, 3]). */
	FIXUP_RESNET50(FixupResNet.resnet50()),

	/** Fixup's {@code fixup_resnet101} (FixupBottleneck [3, 4, 23, 3]). */
	FIXUP_RESNET101(FixupResNet.resnet101()),

	/** Fixup's {@code fixup_resnet152} (FixupBottleneck [3, 8, 36, 3]). */
	FIXUP_RESNET152(FixupResNet.resnet152());

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
