package dev.initlab.generation;

import java.util.AbstractList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.initlab.tensor.DType;
import dev.initlab.tensor.TensorStats;
import dev.initlab.tensor.TensorValues;

/**
 * One tensor of the JSON response.
 *
 * @param name {@code state_dict} key (or Keras name)
 * @param shape shape in the requested layout
 * @param dtype element type
 * @param init the resolved initializer
 * @param stats stats of the stored values (when included)
 * @param data values nested to the shape (when included)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeneratedTensor(String name, int[] shape, String dtype, @Schema(
		description = "scheme, every parameter used, fan_in, fan_out, gain, std or bound, preset",
		example = "{\"scheme\": \"kaiming_normal\", \"a\": 0.0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\", "
				+ "\"fan_in\": 784, \"fan_out\": 256, \"gain\": 1.4142135623730951, \"std\": 0.050507627227610534}") Map<String, Object> init,
		TensorStats stats, @Schema(description = "values nested to the shape: np.array(data) has the right shape",
				type = "array", example = "[[0.01, -0.02], [0.03, 0.0]]") TensorValues data) {

	/**
	 * The tensors of a plan that the response holds, in order, generated as they are
	 * read: a JSON writer walking the list never holds more than one tensor.
	 */
	public static List<GeneratedTensor> of(Plan plan) {
		TensorSource source = new TensorSource(plan);
		List<Integer> selected = plan.selectedIndices();
		return new AbstractList<>() {
			@Override
			public GeneratedTensor get(int index) {
				int tensor = selected.get(index);
				source.skipTo(tensor);
				return generate(plan, source, tensor);
			}

			@Override
			public int size() {
				return selected.size();
			}
		};
	}

	private static GeneratedTensor generate(Plan plan, TensorSource source, int index) {
		PlannedTensor t = plan.tensors().get(index);
		TensorStats stats = null;
		TensorValues data = null;
		DType dtype = t.dtypeIn(plan.dtype());
		// float stats describe floating tensors; an int64 buffer (a counter) has none
		boolean withStats = plan.stats() && dtype.isFloating();
		double expectedMean = t.initializer().expectedMean();
		double expectedStd = t.initializer().expectedStd();
		if (plan.data()) {
			double[] values = source.materialize(index);
			data = new TensorValues(values, t.spec().shape(), dtype);
			if (withStats) {
				TensorStats.Accumulator acc = new TensorStats.Accumulator();
				for (int off = 0; off < values.length; off += TensorSource.BLOCK) {
					acc.add(values, off, Math.min(TensorSource.BLOCK, values.length - off));
				}
				stats = acc.result(expectedMean, expectedStd);
			}
		}
		else {
			TensorStats.Accumulator acc = new TensorStats.Accumulator();
			source.generate(index, acc::add);
			if (withStats) {
				stats = acc.result(expectedMean, expectedStd);
			}
		}
		return new GeneratedTensor(t.spec().name(), t.spec().shape(), dtype.wireName(), t.init(), stats, data);
	}

}
