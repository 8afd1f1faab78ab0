package dev.initlab.generation;

import java.util.Map;

import dev.initlab.init.Initializer;
import dev.initlab.init.ParameterSpec;
import dev.initlab.tensor.DType;

/**
 * One tensor ready to generate.
 *
 * @param spec name, shape, role and fans
 * @param initializer how it is filled
 * @param init the resolved init as reported (scheme, parameters, fans, gain, std or
 * bound, and the preset, rule, override and tie group it came from, where they apply)
 * @param dtype its element type when it is not the plan's ({@code int64} buffers), else
 * null
 * @param tiedTo the first key of its tie group when it repeats that tensor's values
 * (drawn from that tensor's streams), else null
 * @param buffer whether it is a buffer, which {@code parameter_count} leaves out (model
 * requests, as {@code model.num_parameters()})
 * @param stream the name its streams are derived from when tensors that are not tied
 * share a random draw (a recipe's group: mimetic's query and key), else null
 */
public record PlannedTensor(ParameterSpec spec, Initializer initializer, Map<String, Object> init, DType dtype,
		String tiedTo, boolean buffer, String stream) {

	public PlannedTensor(ParameterSpec spec, Initializer initializer, Map<String, Object> init, DType dtype,
			String tiedTo, boolean buffer) {
		this(spec, initializer, init, dtype, tiedTo, buffer, null);
	}

	/** A parameter of the plan's dtype, tied to nothing. */
	public PlannedTensor(ParameterSpec spec, Initializer initializer, Map<String, Object> init) {
		this(spec, initializer, init, null, null, false);
	}

	/** Its element type in a plan of element type {@code planDtype}. */
	public DType dtypeIn(DType planDtype) {
		return (this.dtype != null) ? this.dtype : planDtype;
	}

	/**
	 * The name its random streams are derived from: its tie group's first key, its recipe
	 * group's, or its own.
	 */
	public String streamName() {
		return (this.tiedTo != null) ? this.tiedTo : (this.stream != null) ? this.stream : this.spec.name();
	}

}
