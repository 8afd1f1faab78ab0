package dev.initlab.init;

import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.analysis.integration.IterativeLegendreGaussIntegrator;
import org.apache.commons.math3.distribution.AbstractRealDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Reference N(mean, std^2) conditioned on [a, b], written from the textbook formulas and
 * independent of the production sampler: the CDF is
 * {@code (Phi(xi) - Phi(alpha)) / (Phi(beta) - Phi(alpha))} with
 * {@code xi = (x - mean) / std}, {@code alpha = (a - mean) / std},
 * {@code beta = (b - mean) / std}; the mean and variance are integrated numerically from
 * the density (Gauss-Legendre), not taken from the closed form the production code uses.
 */
final class TruncatedNormalDistribution extends AbstractRealDistribution {

	private static final NormalDistribution STANDARD = new NormalDistribution(0, 1);

	private final double mean;

	private final double std;

	private final double a;

	private final double b;

	private final double alpha;

	private final double beta;

	/** z0^2, z0 the standardized point of [alpha, beta] nearest 0. */
	private final double z0Square;

	private final double kernelMass;

	TruncatedNormalDistribution(double mean, double std, double a, double b) {
		super(null);
		if (!(std > 0) || !(a < b)) {
			throw new IllegalArgumentException("need std > 0 and a < b");
		}
		this.mean = mean;
		this.std = std;
		this.a = a;
		this.b = b;
		this.alpha = (a - mean) / std;
		this.beta = (b - mean) / std;
		double z0 = Math.min(Math.max(0, this.alpha), this.beta);
		this.z0Square = z0 * z0;
		this.kernelMass = integrate(this::kernel);
	}

	/**
	 * The unnormalized density of the standardized variable z, scaled by exp(z0^2 / 2) so
	 * that it is of order 1 on [alpha, beta] even in a far tail.
	 */
	private double kernel(double z) {
		return Math.exp(-0.5 * (z * z - this.z0Square));
	}

	/**
	 * Integral over [alpha, beta] of an integrand of order max(1, |z|)^2 at most, to
	 * about 1e-13: far below the 1e-9 the moment checks ask, well above rounding noise (a
	 * tighter target can make the iteration chase noise).
	 */
	private double integrate(DoubleUnaryOperator f) {
		double zMax = Math.max(1, Math.max(Math.abs(this.alpha), Math.abs(this.beta)));
		double absoluteAccuracy = 1e-15 * (this.beta - this.alpha) * zMax * zMax;
		IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(8, 1e-13, absoluteAccuracy);
		return integrator.integrate(1_000_000, f::applyAsDouble, this.alpha, this.beta);
	}

	/** E[z] of the standardized truncated variable. */
	private double standardMean() {
		return integrate((z) -> z * kernel(z)) / this.kernelMass;
	}

	private static double phi(double z) {
		return STANDARD.cumulativeProbability(z);
	}

	@Override
	public double cumulativeProbability(double x) {
		if (x <= this.a) {
			return 0;
		}
		if (x >= this.b) {
			return 1;
		}
		double alpha = this.alpha;
		double beta = this.beta;
		double xi = (x - this.mean) / this.std;
		if (alpha > 0) {
			// The same formula with Phi(t) = 1 - Phi(-t), which keeps its precision in an
			// upper tail where Phi(t) rounds to 1.
			return (phi(-alpha) - phi(-xi)) / (phi(-alpha) - phi(-beta));
		}
		return (phi(xi) - phi(alpha)) / (phi(beta) - phi(alpha));
	}

	@Override
	public double density(double x) {
		return (x < this.a || x > this.b) ? 0 : kernel((x - this.mean) / this.std) / (this.kernelMass * this.std);
	}

	@Override
	public double getNumericalMean() {
		return this.mean + this.std * standardMean();
	}

	@Override
	public double getNumericalVariance() {
		double m = standardMean();
		return this.std * this.std * integrate((z) -> (z - m) * (z - m) * kernel(z)) / this.kernelMass;
	}

	@Override
	public double getSupportLowerBound() {
		return this.a;
	}

	@Override
	public double getSupportUpperBound() {
		return this.b;
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
		return "TruncatedNormal(" + this.mean + ", " + this.std + ", [" + this.a + ", " + this.b + "])";
	}

}
