package dev.initlab.tensor;

/**
 * What a tensor's stored values look like, and what the distribution promised.
 *
 * @param mean mean of the stored values
 * @param std population standard deviation (ddof 0) of the stored values
 * @param min smallest stored value
 * @param max largest stored value
 * @param expectedMean exact mean of the distribution sampled
 * @param expectedStd exact standard deviation of the distribution sampled (after
 * truncation)
 */
public record TensorStats(double mean, double std, double min, double max, double expectedMean, double expectedStd) {

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

		public TensorStats result(double expectedMean, double expectedStd) {
			if (this.count == 0) {
				return new TensorStats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, expectedMean, expectedStd);
			}
			return new TensorStats(this.mean, Math.sqrt(this.m2 / this.count), this.min, this.max, expectedMean,
					expectedStd);
		}

	}

}
