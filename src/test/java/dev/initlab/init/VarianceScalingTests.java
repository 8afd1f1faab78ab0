package dev.initlab.init;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Glorot/He/LeCun schemes are presets of one variance-scaling rule, each rounded as
 * the framework it reproduces rounds it.
 */
class VarianceScalingTests {

	private static Map<String, Object> resolve(String scheme, ParameterSpec p, Object... args) {
		return InitSpec.of(scheme, args).resolve(p).resolved();
	}

	@ParameterizedTest(name = "fan_in {0}")
	@ValueSource(ints = { 1, 2, 3, 128, 197, 211, 288, 300, 784, 4097 })
	void lecunIsVarianceScalingWithScaleOneFanInBitForBit(int fanIn) {
		// Keras LecunUniform / JAX lecun_*: scale = 1 / fan_in; limit = sqrt(3.0 *
		// scale),
		// stddev = sqrt(scale). Before the rule was shared, lecun_uniform computed
		// sqrt(3 / fan_in) and lecun_normal 1 / sqrt(fan_in), one ulp off Keras for some
		// fans (197: 0.12340351046845907 against Keras's 0.12340351046845906).
		ParameterSpec p = Sampling.weight("w", 5, fanIn);
		assertThat(resolve("lecun_uniform", p).get("bound"))
			.isEqualTo(resolve("variance_scaling", p, "distribution", "uniform").get("bound"))
			.isEqualTo(Math.sqrt(3.0 * (1.0 / fanIn)));
		assertThat(resolve("lecun_normal", p).get("std"))
			.isEqualTo(resolve("variance_scaling", p, "distribution", "normal").get("std"))
			.isEqualTo(Math.sqrt(1.0 / fanIn));
	}

	@Test
	void lecunUniformMatchesKerasInTheUlpWhereTheOldFormulaDiffered() {
		// python: math.sqrt(3.0 * (1.0 / 197)) = 0.12340351046845906
		assertThat(resolve("lecun_uniform", Sampling.weight("w", 5, 197)).get("bound")).isEqualTo(0.12340351046845906);
	}

	@ParameterizedTest(name = "fan {0}")
	@ValueSource(ints = { 1, 3, 197, 300, 4097 })
	void kaimingAndXavierKeepPytorchsRounding(int fan) {
		// torch: std = gain / math.sqrt(fan); bound = math.sqrt(3.0) * std;
		// xavier: std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
		ParameterSpec p = Sampling.weight("w", 2 * fan + 1, fan);
		double gain = Math.sqrt(2.0);
		assertThat(resolve("kaiming_normal", p, "nonlinearity", "relu").get("std")).isEqualTo(gain / Math.sqrt(fan));
		assertThat(resolve("kaiming_uniform", p, "nonlinearity", "relu").get("bound"))
			.isEqualTo(Math.sqrt(3.0) * (gain / Math.sqrt(fan)));
		double xavierStd = 0.5 * Math.sqrt(2.0 / (fan + (2 * fan + 1)));
		assertThat(resolve("xavier_normal", p, "gain", 0.5).get("std")).isEqualTo(xavierStd);
		assertThat(resolve("xavier_uniform", p, "gain", 0.5).get("bound")).isEqualTo(Math.sqrt(3.0) * xavierStd);
	}

	@Test
	void kaimingIsScaleGainSquaredInTheVarianceOfTheRule() {
		// the same variance, whatever the rounding: kaiming_normal(relu, fan_in) has var
		// 2 / fan_in, variance_scaling(2, fan_in, normal) too
		ParameterSpec p = Sampling.weight("w", 64, 300);
		double kaiming = (double) resolve("kaiming_normal", p, "nonlinearity", "relu").get("std");
		double keras = (double) resolve("variance_scaling", p, "scale", 2.0, "distribution", "normal").get("std");
		assertThat(kaiming * kaiming).isCloseTo(keras * keras,
				org.assertj.core.api.Assertions.within(1e-15 * keras * keras));
	}

}
