package dev.initlab.tensor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a tensor's stored values look like, and what the distribution promised.
 * <p>
 * The first four describe either every stored value or, for a large tensor, its first
 * {@code sampleSize} stored values (then {@code sampled} is true on the wire); the
 * expected moments are the distribution's in both cases.
 *
 * @param mean mean of the stored values
 * @param std population standard deviation (ddof 0) of the stored values
 * @param min smallest stored value
 * @param max largest stored value
 * @param expectedMean exact mean of the distribution sampled
 * @param expectedStd exact standard deviation of the distribution sampled (after
 * truncation); NaN, null on the wire, where it has no closed form (a mimetic attention
 * projection, a factor of a random matrix's SVD)
 * @param sampleSize null when the stats describe every stored value; else how many they
 * describe: the tensor's first {@code sampleSize} stored values, in storage order
 */
@JsonPropertyOrder({ "mean", "std", "min", "max", "expected_mean", "expected_std", "sampled", "sample_size" })
public record TensorStats(double mean, double std, double min, double max, double expectedMean,
		@JsonIgnore double expectedStd, @JsonInclude(JsonInclude.Include.NON_NULL) Long sampleSize) {

	/** Stats of every stored value. */
	public TensorStats(double mean, double std, double min, double max, double expectedMean, double expectedStd) {
		this(mean, std, min, max, expectedMean, expectedStd, null);
	}

	/** The expected std, or null where there is no closed form. */
	@JsonProperty("expected_std")
	public Double expectedStdOnWire() {
		return Double.isNaN(this.expectedStd) ? null : this.expectedStd;
	}

	/**
	 * True when the stats describe a prefix of the stored values only; absent (null) on
	 * the wire when they describe them all, so exact stats keep their shape.
	 */
	@JsonProperty("sampled")
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public Boolean sampled() {
		return (this.sampleSize != null) ? Boolean.TRUE : null;
	}

	/**
	 * Accumulates stats block by block: exact two-pass moments inside a block, merged
	 * across blocks with Chan et al.'s formula, so the result is accurate and the same
	 * for the same block sequence.
	 */
	public static final class Accumulator {

		private long count;

		private double mean;

		private double m2;

		private double min = Double.POSITIVE_INFINITY;

		private double max = Double.NEGATIVE_INFINITY;

		public void add(double[] values, int off, int len) {
			if (len <= 0) {
				return;
			}
			double sum = 0;
			double lo = this.min;
			double hi = this.max;
			for (int i = off, end = off + len; i < end; i++) {
				double v = values[i];
				sum += v;
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
			double blockMean = sum / len;
			double blockM2 = 0;
			for (int i = off, end = off + len; i < end; i++) {
				double d = values[i] - blockMean;
				blockM2 += d * d;
			}
			long n = this.count + len;
			double delta = blockMean - this.mean;
			this.mean += delta * len / n;
			this.m2 += blockM2 + delta * delta * ((double) this.count * len / n);
			this.count = n;
			this.min = lo;
			this.max = hi;
		}

		/** Stats of every stored value: the values added were all of them. */
		public TensorStats result(double expectedMean, double expectedStd) {
			return result(expectedMean, expectedStd, false);
		}

		/**
		 * Stats of the values added, marked as a sample of the tensor's stored values
		 * ({@code sampleSize} = the count added) when {@code sample} is true.
		 */
		public TensorStats result(double expectedMean, double expectedStd, boolean sample) {
			Long sampleSize = sample ? this.count : null;
			if (this.count == 0) {
				return new TensorStats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, expectedMean, expectedStd,
						sampleSize);
			}
			return new TensorStats(this.mean, Math.sqrt(this.m2 / this.count), this.min, this.max, expectedMean,
					expectedStd, sampleSize);
		}

	}

}
