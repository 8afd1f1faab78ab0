package dev.initlab.init;

import org.apache.commons.math3.distribution.AbstractRealDistribution;

/**
 * Reference N(mean, std^2) conditioned on [a, b]: Apache Commons Statistics'
 * {@code TruncatedNormalDistribution} seen as a Commons Math {@code RealDistribution},
 * the type Commons Math's KS test takes. Independent of the production sampler, whose
 * quantile and CDF are its own; its moments are checked against 50-digit mpmath values in
 * {@link ExpectedMomentsTests}.
 */
final class TruncatedNormalDistribution extends AbstractRealDistribution {

	private final org.apache.commons.statistics.distribution.TruncatedNormalDistribution exact;

	private final double mean;

	private final double std;

	TruncatedNormalDistribution(double mean, double std, double a, double b) {
		super(null);
		this.exact = org.apache.commons.statistics.distribution.TruncatedNormalDistribution.of(mean, std, a, b);
		this.mean = mean;
		this.std = std;
	}

	@Override
	public double cumulativeProbability(double x) {
		return this.exact.cumulativeProbability(x);
	}

	@Override
	public double density(double x) {
		return this.exact.density(x);
	}

	@Override
	public double getNumericalMean() {
		return this.exact.getMean();
	}

	@Override
	public double getNumericalVariance() {
		return this.exact.getVariance();
	}

	@Override
	public double getSupportLowerBound() {
		return this.exact.getSupportLowerBound();
	}

	@Override
	public double getSupportUpperBound() {
		return this.exact.getSupportUpperBound();
	}

	@Override
	public boolean isSupportLowerBoundInclusive() {
		return true;
	}

	@Override
	public boolean isSupportUpperBoundInclusive() {
		return true;
	}

	@Override
	public boolean isSupportConnected() {
		return true;
	}

	@Override
	public String toString() {
		return "TruncatedNormal(" + this.mean + ", " + this.std + ", [" + getSupportLowerBound() + ", "
				+ getSupportUpperBound() + "])";
	}

}
