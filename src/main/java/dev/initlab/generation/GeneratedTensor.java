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
 * @param stats stats of the stored values (when included): of all of them, or of a large
 * tensor's first {@link Plan#statsMaxElements} (then marked {@code sampled})
 * @param data values nested to the shape (when included)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeneratedTensor(String name, int[] shape, String dtype, @Schema(
		description = "scheme, every parameter used, fan_in, fan_out, gain, std or bound, preset",
		example = "{\"scheme\": \"kaiming_normal\", \"a\": 0.0, \"mode\": \"fan_in\", \"nonlinearity\": \"relu\", "
				+ "\"fan_in\": 784, \"fan_out\": 256, \"gain\": 1.4142135623730951, \"std\": 0.050507627227610534}") Map<String, Object> init,
		@Schema(description = "mean, std (ddof 0), min, max of the stored values (after dtype rounding) and the "
				+ "distribution's exact expected_mean, expected_std. A tensor with more elements than "
				+ "initlab.generation.stats-max-elements (2^16), with per_tensor seeding and an element-wise "
				+ "scheme, gets the stats of its first sample_size stored values, marked sampled: true") TensorStats stats,
		@Schema(description = "values nested to the shape: np.array(data) has the right shape", type = "array",
				example = "[[0.01, -0.02], [0.03, 0.0]]") TensorValues data) {

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
		// a large tensor's stats describe its first values when they can be drawn alone;
		// the same with or without data, so a tensor's stats do not depend on include
		long limit = plan.statsMaxElements();
		boolean sample = withStats && source.drawsPrefix(index, limit);
		if (plan.data()) {
			double[] values = source.materialize(index);
			data = new TensorValues(values, t.spec().shape(), dtype);
			if (withStats) {
				int count = sample ? (int) limit : values.length;
				TensorStats.Accumulator acc = new TensorStats.Accumulator();
				for (int off = 0; off < count; off += TensorSource.BLOCK) {
					acc.add(values, off, Math.min(TensorSource.BLOCK, count - off));
				}
				stats = acc.result(expectedMean, expectedStd, sample);
			}
		}
		else if (withStats) {
			TensorStats.Accumulator acc = new TensorStats.Accumulator();
			source.generatePrefix(index, limit, acc::add);
			stats = acc.result(expectedMean, expectedStd, sample);
		}
		else {
			// nothing of it is shown: drawn only where later tensors depend on it
			source.skipTo(index + 1);
		}
		return new GeneratedTensor(t.spec().name(), t.spec().shape(), dtype.wireName(), t.init(), stats, data);
	}

}
