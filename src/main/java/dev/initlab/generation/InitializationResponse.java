package dev.initlab.generation;

import java.util.AbstractList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.initlab.tensor.TensorStats;
import dev.initlab.tensor.TensorValues;
import dev.initlab.training.Report;

/**
 * The JSON answer of {@code POST /api/v1/initializations}. Its {@code tensors} list is
 * lazy: each tensor is generated when the JSON writer reaches it, so the response streams
 * without ever holding more than one tensor.
 *
 * @param seed the seed used (echoed, or drawn)
 * @param rng the generator
 * @param dtype element type
 * @param layout naming and axis order
 * @param seeding stream derivation
 * @param parameterCount total elements
 * @param tensors the tensors in layer order
 * @param symmetryReport the symmetry check's report, when one was asked for
 */
public record InitializationResponse(long seed, String rng, String dtype, String layout, String seeding,
		long parameterCount, List<GeneratedTensor> tensors,
		@JsonInclude(JsonInclude.Include.NON_NULL) Report symmetryReport) {

	/** This response with a symmetry report. */
	public InitializationResponse withSymmetryReport(Report report) {
		return new InitializationResponse(this.seed, this.rng, this.dtype, this.layout, this.seeding,
				this.parameterCount, this.tensors, report);
	}

	/** The response of a plan; tensors are generated as they are read, in order. */
	public static InitializationResponse of(Plan plan) {
		TensorSource source = new TensorSource(plan);
		List<Integer> selected = plan.selectedIndices();
		List<GeneratedTensor> tensors = new AbstractList<>() {
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
		return new InitializationResponse(plan.seed(), plan.generator().wireName(), plan.dtype().wireName(),
				plan.layout().wireName(), plan.seeding().wireName(), plan.parameterCount(), tensors, null);
	}

	private static GeneratedTensor generate(Plan plan, TensorSource source, int index) {
		PlannedTensor t = plan.tensors().get(index);
		TensorStats stats = null;
		TensorValues data = null;
		double expectedMean = t.initializer().expectedMean();
		double expectedStd = t.initializer().expectedStd();
		if (plan.data()) {
			double[] values = source.materialize(index);
			data = new TensorValues(values, t.spec().shape(), plan.dtype());
			if (plan.stats()) {
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
			if (plan.stats()) {
				stats = acc.result(expectedMean, expectedStd);
			}
		}
		return new GeneratedTensor(t.spec().name(), t.spec().shape(), plan.dtype().wireName(), t.init(), stats, data);
	}

}
