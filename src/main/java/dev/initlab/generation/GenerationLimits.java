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
 * @param statsMaxElements stored values a tensor's {@code stats} describe at most: a
 * tensor with more elements, when its first values can be drawn without the rest
 * ({@code per_tensor} seeding, an element-wise scheme), gets the stats of its first
 * {@code statsMaxElements} stored values, marked as sampled; 2^16 by default, one block,
 * so a GPT-2 XL's or a 7B Llama's stats cost one block per large tensor
 * @param statsExactMaxElements stored values a request's stats may describe in all before
 * any of them is sampled: a request whose reported tensors hold at most this many gets
 * exact stats for every tensor (a layer stack's stats cost milliseconds), and only a
 * larger one samples its large tensors; 2^24 by default
 * @param mimeticMaxWidth the widest d_model the {@code mimetic} recipe decomposes: it
 * costs heads + 1 SVDs of d × d per attention module (seconds each at d = 768 on one
 * core), so its default, 256, keeps a request to about a second per module
 */
@ConfigurationProperties("initlab.generation")
public record GenerationLimits(@DefaultValue("268435456") long maxElements,
		@DefaultValue("4194304") long maxJsonElements, @DefaultValue("4096") int maxTensors,
		@DefaultValue("16777216") long maxWholeElements, @DefaultValue("0") int threads,
		@DefaultValue("8589934592") long maxModelElements, @DefaultValue("65536") long statsMaxElements,
		@DefaultValue("16777216") long statsExactMaxElements, @DefaultValue("256") int mimeticMaxWidth) {

	static final String PREFIX = "initlab.generation.";

	@ConstructorBinding
	public GenerationLimits {
		if (statsMaxElements < 1) {
			throw new IllegalArgumentException(
					PREFIX + "stats-max-elements must be at least 1; got " + statsMaxElements);
		}
		if (statsExactMaxElements < 0) {
			throw new IllegalArgumentException(
					PREFIX + "stats-exact-max-elements must be at least 0; got " + statsExactMaxElements);
		}
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

	/**
	 * Limits with the default stats sample (2^16 stored values) and exact-stats budget
	 * (2^24).
	 */
	public GenerationLimits(long maxElements, long maxJsonElements, int maxTensors, long maxWholeElements, int threads,
			long maxModelElements) {
		this(maxElements, maxJsonElements, maxTensors, maxWholeElements, threads, maxModelElements, 1L << 16, 1L << 24);
	}

	/**
	 * Limits that sample every tensor above {@code statsMaxElements}, whatever the
	 * request's size (no exact-stats budget).
	 */
	public GenerationLimits(long maxElements, long maxJsonElements, int maxTensors, long maxWholeElements, int threads,
			long maxModelElements, long statsMaxElements) {
		this(maxElements, maxJsonElements, maxTensors, maxWholeElements, threads, maxModelElements, statsMaxElements,
				0);
	}

	/** Limits with the default mimetic width (256). */
	public GenerationLimits(long maxElements, long maxJsonElements, int maxTensors, long maxWholeElements, int threads,
			long maxModelElements, long statsMaxElements, long statsExactMaxElements) {
		this(maxElements, maxJsonElements, maxTensors, maxWholeElements, threads, maxModelElements, statsMaxElements,
				statsExactMaxElements, 256);
	}

	/**
	 * The most stored values one tensor's stats describe in a request whose reported
	 * tensors hold {@code reported} values in all: every value (exact stats) within the
	 * exact-stats budget, else {@link #statsMaxElements()}.
	 */
	long statsLimit(long reported) {
		return (reported <= this.statsExactMaxElements) ? Long.MAX_VALUE : this.statsMaxElements;
	}

}
