package dev.initlab.init;

import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The normal quantile behind the inverse-CDF branch of {@code truncated_normal}, whose
 * distribution {@link IidSchemeDistributionTests} checks in both far tails.
 */
class TruncatedNormalTests {

	private static final NormalDistribution STANDARD = new NormalDistribution(0, 1);

	/** Every third decade down to 1e-307, where erfcInv(2p) failed, and the centre. */
	static DoubleStream lowerHalf() {
		return Stream
			.of(IntStream.iterate(1, (k) -> k <= 307, (k) -> k + 3).mapToDouble((k) -> Math.pow(10, -k)),
					DoubleStream.of(6.2e-16, 1e-16, 5e-17, 1e-17),
					DoubleStream.of(0.02, 0.02425, 0.025, 0.1, 0.25, 0.4, 0.5))
			.flatMapToDouble((d) -> d);
	}

	@ParameterizedTest(name = "p = {0}")
	@MethodSource("lowerHalf")
	void inversePhiIsTheQuantileToFullPrecisionDeepInTheTail(double p) {
		// d(log Phi)/dx ~ |x| in the tail, so even the double nearest the true quantile
		// can only give Phi(x) = p to about |x| ulp(x) / 2 relative (1.3e-13 at p =
		// 1e-300); allow 4 |x| ulp(x) plus 1e-14 for erfc's own error. The former
		// -sqrt(2) erfcInv(2p) was off by about 100% of p below 1e-16 and gave -infinity
		// below 5.6e-17.
		double x = TruncatedNormal.inversePhi(p);
		double tolerance = p * (1e-14 + 4 * Math.abs(x) * Math.ulp(x));
		assertThat(STANDARD.cumulativeProbability(x)).isCloseTo(p, within(tolerance));
	}

}
