package dev.initlab.recipes;

/**
 * How {@code microsoft/mup}'s {@code set_base_shapes(model, base, rescale_params=True)}
 * treats a parameter, which depends only on the module that holds it
 * ({@code mup/shape.py}: a {@code MuReadout} is rescaled by
 * {@code MuReadout._rescale_parameters}, any other {@code nn.Linear} or convolution by
 * {@code rescale_linear_bias}, every other module is left alone).
 */
public enum MupRole {

	/**
	 * The weight of an {@code nn.Linear} or a convolution that is not the readout: a
	 * hidden or input weight. Not rescaled; {@code set_base_shapes} refuses one whose
	 * fan-in (dimension 1) is infinite and fan-out (dimension 0) finite
	 * ({@code assert_hidden_size_inf}): that layer must be a {@code MuReadout}.
	 */
	LINEAR_WEIGHT,

	/**
	 * The bias of an {@code nn.Linear} or a convolution that is not the readout:
	 * multiplied by {@code sqrt(weight.infshape[1].width_mult())}, the square root of its
	 * weight's fan-in multiplier ({@code mup/layer.py} {@code rescale_linear_bias}).
	 */
	LINEAR_BIAS,

	/**
	 * A {@code MuReadout}'s weight: multiplied by {@code sqrt(width_mult())}
	 * ({@code MuReadout._rescale_parameters}), zero with {@code readout_zero_init}.
	 */
	READOUT_WEIGHT,

	/**
	 * A {@code MuReadout}'s bias: multiplied by {@code sqrt(width_mult())} of its
	 * readout's weight, zero with {@code readout_zero_init}.
	 */
	READOUT_BIAS,

	/**
	 * An {@code nn.Embedding}'s weight that a {@code MuSharedReadout} shares (a readout
	 * tied to the embedding): one tensor, rescaled as a readout weight, so the embedding
	 * itself is multiplied by {@code sqrt(width_mult())}.
	 */
	SHARED_READOUT_WEIGHT,

	/**
	 * Anything else (embeddings, norms, Hugging Face {@code Conv1D}, which is not an
	 * {@code nn.Linear}): not rescaled.
	 */
	OTHER;

	boolean isBias() {
		return this == LINEAR_BIAS || this == READOUT_BIAS;
	}

	boolean isReadoutWeight() {
		return this == READOUT_WEIGHT || this == SHARED_READOUT_WEIGHT;
	}

	boolean isReadout() {
		return isReadoutWeight() || this == READOUT_BIAS;
	}

}
