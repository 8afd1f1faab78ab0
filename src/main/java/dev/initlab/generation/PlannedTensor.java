package dev.initlab.generation;

import java.util.Map;

import dev.initlab.init.Initializer;
import dev.initlab.init.ParameterSpec;

/**
 * One tensor ready to generate.
 *
 * @param spec name, shape, role and fans
 * @param initializer how it is filled
 * @param init the resolved init as reported (scheme, parameters, fans, gain, std or
 * bound, and the preset it came from, if any)
 */
public record PlannedTensor(ParameterSpec spec, Initializer initializer, Map<String, Object> init) {
}
