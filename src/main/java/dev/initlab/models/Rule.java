package dev.initlab.models;

/**
 * One rule of an architecture's own initialization, as the catalog lists it.
 *
 * @param match the tensors it applies to, a name glob as {@code overrides} take
 * ({@code transformer.h.*.attn.c_proj.weight}; {@code *} within one dot-separated part,
 * {@code **} any number of parts)
 * @param rule what the library does, in words a user can check against its code
 * ({@code GPT2 residual projection: normal(0, initializer_range/sqrt(2*n_layer))})
 */
public record Rule(String match, String rule) {
}
