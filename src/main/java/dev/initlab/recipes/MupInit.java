package dev.initlab.recipes;

/**
 * How a tensor's standard-parametrization std depends on width, which decides the
 * correction {@code microsoft/mup} applies to reach μP.
 */
public enum MupInit {

	/**
	 * A fan-in-scaled std (PyTorch's default {@code nn.Linear}/conv init, He or LeCun by
	 * fan-in; or a width-independent std on a tensor whose rule needs none): what
	 * {@code set_base_shapes(..., rescale_params=True)} assumes ({@code mup/shape.py}),
	 * so the std is multiplied by the factor it applies to the parameter: 1 for hidden
	 * weights, {@code sqrt(fan-in mult)} for linear biases, {@code sqrt(width_mult)} for
	 * the readout's weight and bias.
	 */
	FAN_IN,

	/**
	 * A fixed std that does not depend on width (GPT-2's {@code N(0, 0.02)}), which mup's
	 * README says to draw with
	 * {@code mup.init.normal_}/{@code uniform_}/{@code trunc_normal_} after
	 * {@code set_base_shapes}: {@code mup/init.py} {@code constant_std_init_} multiplies
	 * it by {@code width_mult^(-1/2)} on matrix-like tensors (two infinite dimensions)
	 * and leaves it on the others (including the readout).
	 */
	CONSTANT

}
