package dev.initlab.generation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of one generation request; each is a configuration property under
 * {@code initlab.generation}.
 *
 * @param maxElements elements per request (all tensors), for binary formats and stats
 * @param maxJsonElements elements of {@code data} in one JSON response
 * @param maxTensors tensors per request
 * @param maxWholeElements elements of one tensor whose scheme needs the whole tensor at
 * once (orthogonal, sparse, identity, dirac, delta_orthogonal)
 * @param threads generation threads (0: one per core)
 * @param maxModelElements elements per request of a whole architecture ({@code model}) in
 * a binary format or as stats only: models are larger than layer stacks, and binary
 * responses stream with bounded memory, so a GPT-2 XL or a 7B Llama fits the default
 */
@ConfigurationProperties("initlab.generation")
public record GenerationLimits(@DefaultValue("268435456") long maxElements,
		@DefaultValue("4194304") long maxJsonElements, @DefaultValue("4096") int maxTensors,
		@DefaultValue("16777216") long maxWholeElements, @DefaultValue("0") int threads,
		@DefaultValue("8589934592") long maxModelElements) {

	static final String PREFIX = "initlab.generation.";

	@ConstructorBinding
	public GenerationLimits {
	}

	/** Limits with the default thread count. */
	public GenerationLimits(long maxElements, long maxJsonElements, int maxTensors, long maxWholeElements) {
		this(maxElements, maxJsonElements, maxTensors, maxWholeElements, 0);
	}

	/** Limits with the default model limit (2^33 elements). */
	public GenerationLimits(long maxElements, long maxJsonElements, int maxTensors, long maxWholeElements,
			int threads) {
		this(maxElements, maxJsonElements, maxTensors, maxWholeElements, threads, 1L << 33);
	}

}
