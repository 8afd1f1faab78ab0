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
	T5_FOR_CONDITIONAL_GENERATION(new T5ForConditionalGeneration());

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
