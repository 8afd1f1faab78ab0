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
 */
@ConfigurationProperties("initlab.generation")
public record GenerationLimits(@DefaultValue("268435456") long maxElements,
		@DefaultValue("4194304") long maxJsonElements, @DefaultValue("4096") int maxTensors,
		@DefaultValue("16777216") long maxWholeElements, @DefaultValue("0") int threads) {

	static final String PREFIX = "initlab.generation.";

	@ConstructorBinding
	public GenerationLimits {
	}

	/** Limits with the default thread count. */
	public GenerationLimits(long maxElements, long maxJsonElements, int maxTensors, long maxWholeElements) {
		this(maxElements, maxJsonElements, maxTensors, maxWholeElements, 0);
	}

}
