package dev.initlab.models;

import dev.initlab.init.ParameterSpec;

/**
 * One entry of an architecture's {@code state_dict()}.
 *
 * @param spec name, shape, role, fans (as PyTorch computes them for the module's weight,
 * explicit where the layout is not {@code [out, in, *k]}, e.g. GPT-2's {@code Conv1D}
 * {@code [in, out]}), module type and parameter name, padding row
 * @param kind parameter or buffer, and its element type
 * @param libraryDefault what the library's own initialization gives it, with the rule's
 * text ({@code library_default})
 * @param pytorchDefault what the bare module does at construction, before the library's
 * own init runs ({@code pytorch_default}), with its rule's text
 * @param tiedTo the name of the tensor this one is tied to (the first key of its tie
 * group, which is generated once), or null: GPT-2's {@code lm_head.weight} is tied to
 * {@code transformer.wte.weight}
 */
public record ModelTensor(ParameterSpec spec, Kind kind, InitRule libraryDefault, InitRule pytorchDefault,
		String tiedTo) {

	/** What a state_dict entry is, and its element type. */
	public enum Kind {

		/** A parameter ({@code named_parameters()}); floating, of the request's dtype. */
		PARAMETER,

		/**
		 * A persistent floating buffer (batch norm's {@code running_mean},
		 * {@code running_var}), of the request's dtype; presets and policies do not
		 * change it.
		 */
		BUFFER,

		/**
		 * A persistent int64 buffer (torchvision's {@code num_batches_tracked}, a scalar
		 * 0), always int64 whatever the request's dtype.
		 */
		INT64_BUFFER;

		/** Whether it is a buffer rather than a parameter. */
		public boolean isBuffer() {
			return this != PARAMETER;
		}

	}

	/** The tensor's name (its state_dict key). */
	public String name() {
		return this.spec.name();
	}

}
