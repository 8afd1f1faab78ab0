package dev.initlab.generation;

import java.util.List;

import dev.initlab.layers.Layout;
import dev.initlab.models.Model;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * A validated request: every tensor named, shaped and resolved, nothing generated yet.
 *
 * @param seed the seed (given or drawn)
 * @param generator the generator
 * @param dtype element type
 * @param layout naming and axis order
 * @param seeding stream derivation
 * @param stats whether tensors carry stats
 * @param data whether tensors carry data
 * @param tensors the tensors in layer order
 * @param only the index of the one tensor the response holds ({@code ?tensor=NAME}), or
 * null for all
 * @param statsMaxElements stored values a tensor's stats describe at most, where its
 * first values can be drawn without the rest ({@link TensorSource#drawsPrefix})
 * @param recipe what the request's recipe resolved to (its name, parameters, constants
 * and what the user must apply in code), or null without a recipe
 * @param model the whole architecture the tensors are the state_dict of, or null for
 * layers
 */
public record Plan(long seed, Generator generator, DType dtype, Layout layout, Seeding seeding, boolean stats,
		boolean data, List<PlannedTensor> tensors, Integer only, long statsMaxElements,
		java.util.Map<String, Object> recipe, Model model) {

	/** Indices of the tensors the response holds, in order. */
	public List<Integer> selectedIndices() {
		if (this.only != null) {
			return List.of(this.only);
		}
		return java.util.stream.IntStream.range(0, this.tensors.size()).boxed().toList();
	}

	/** The tensors the response holds, in order. */
	public List<PlannedTensor> selected() {
		return selectedIndices().stream().map(this.tensors::get).toList();
	}

	/**
	 * Parameters of the tensors the response holds: every element, except buffers of a
	 * model and the later keys of a tie group whose first key is held too (as
	 * {@code model.num_parameters()} counts).
	 */
	public long parameterCount() {
		java.util.Set<String> held = new java.util.HashSet<>();
		for (PlannedTensor t : selected()) {
			held.add(t.spec().name());
		}
		return selected().stream()
			.filter(t -> !t.buffer() && (t.tiedTo() == null || !held.contains(t.tiedTo())))
			.mapToLong(t -> t.spec().numel())
			.sum();
	}

	/** Total elements of the tensors the response holds, tied keys each time. */
	public long elementCount() {
		return selected().stream().mapToLong(t -> t.spec().numel()).sum();
	}

	/** Bytes of the values of the tensors the response holds, each in its dtype. */
	public long byteCount() {
		return selected().stream().mapToLong(t -> t.spec().numel() * t.dtypeIn(this.dtype).size()).sum();
	}

}
