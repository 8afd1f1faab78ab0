package dev.initlab.init;

import java.util.Optional;

/**
 * An init policy: an initializer per parameter role, and/or a preset for the roles it
 * does not name. {@code {"preset": "pytorch_default", "weight": {"scheme":
 * "orthogonal"}}} is the preset with orthogonal weights.
 *
 * @param preset a preset name, or null
 * @param weight initializer of weights (linear, conv, input-to-hidden)
 * @param bias initializer of biases
 * @param recurrentWeight initializer of hidden-to-hidden weights
 * @param embedding initializer of embedding tables
 * @param normWeight initializer of normalization scales
 * @param normBias initializer of normalization shifts
 */
public record Policy(String preset, InitSpec weight, InitSpec bias, InitSpec recurrentWeight, InitSpec embedding,
		InitSpec normWeight, InitSpec normBias) {

	/** A policy that is just a preset. */
	public static Policy preset(String name) {
		return new Policy(name, null, null, null, null, null, null);
	}

	/** The initializer this policy names for the role itself, if any. */
	public Optional<InitSpec> forRole(Role role) {
		return Optional.ofNullable(switch (role) {
			case WEIGHT -> this.weight;
			case BIAS -> this.bias;
			case RECURRENT_WEIGHT -> this.recurrentWeight;
			case EMBEDDING -> this.embedding;
			case NORM_WEIGHT -> this.normWeight;
			case NORM_BIAS -> this.normBias;
			case RUNNING_MEAN, RUNNING_VAR, BATCH_COUNT -> null;
		});
	}

	/**
	 * The preset this policy names, if any.
	 * @throws InvalidInitializerException for an unknown preset name (field
	 * {@code preset})
	 */
	public Optional<Preset> resolvePreset() {
		if (this.preset == null) {
			return Optional.empty();
		}
		return Optional.of(Preset.byName(this.preset)
			.orElseThrow(() -> new InvalidInitializerException("preset",
					"unknown preset '" + this.preset + "'; allowed: " + String.join(", ", Preset.names()))));
	}

}
