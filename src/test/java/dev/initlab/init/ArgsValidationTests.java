package dev.initlab.init;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A client's mistake in an initializer is an {@link InvalidInitializerException} that
 * names the field at fault and says what is allowed (the API turns it into a 4xx).
 */
class ArgsValidationTests {

	private static final ParameterSpec LINEAR = Sampling.weight("fc.weight", 20, 10);

	private static final ParameterSpec CONV = Sampling.weight("conv.weight", null, 1, "conv2d", 8, 8, 3, 3);

	static Stream<Arguments> invalid() {
		return Stream.of(
				// unknown parameter: the field is the parameter, the message lists the
				// allowed ones
				arguments(LINEAR, "kaiming_normal", Map.of("std", 0.1), "std",
						List.of("unknown parameter 'std'", "allowed: a, mode, nonlinearity")),
				arguments(LINEAR, "xavier_uniform", Map.of("gian", 2.0), "gian",
						List.of("unknown parameter 'gian'", "allowed: gain, nonlinearity, param")),
				arguments(LINEAR, "zeros", Map.of("value", 1.0), "value", List.of("takes no parameters")),
				// wrong type
				arguments(LINEAR, "normal", Map.of("std", "0.1"), "std", List.of("must be a number")),
				arguments(LINEAR, "normal", Map.of("mean", true), "mean", List.of("must be a number")),
				arguments(LINEAR, "kaiming_uniform", Map.of("mode", 1), "mode",
						List.of("must be a string", "fan_in, fan_out")),
				arguments(CONV, "dirac", Map.of("groups", 1.5), "groups", List.of("must be an integer")),
				// out of range
				arguments(LINEAR, "normal", Map.of("std", -0.1), "std", List.of("must be in [0, ")),
				arguments(LINEAR, "sparse", Map.of("sparsity", 1.5), "sparsity", List.of("must be in [0, 1]")),
				arguments(CONV, "dirac", Map.of("groups", 0), "groups", List.of("must be in [1, ")),
				arguments(LINEAR, "uniform", Map.of("high", Double.POSITIVE_INFINITY), "high",
						List.of("must be finite")),
				arguments(LINEAR, "normal", Map.of("mean", Double.NaN), "mean", List.of("must be finite")),
				arguments(LINEAR, "kaiming_normal", Map.of("mode", "fan_avg"), "mode",
						List.of("'fan_avg'", "allowed: fan_in, fan_out")),
				arguments(LINEAR, "variance_scaling", Map.of("distribution", "truncated"), "distribution",
						List.of("allowed: truncated_normal, normal, untruncated_normal, uniform")),
				arguments(LINEAR, "xavier_normal", Map.of("nonlinearity", "swishy"), "nonlinearity",
						List.of("'swishy'", "relu", "leaky_relu")),
				arguments(LINEAR, "uniform", Map.of("low", 1.0, "high", 0.0), "high", List.of("must be >= low")),
				arguments(LINEAR, "truncated_normal", Map.of("a", 1.0, "b", 1.0), "b", List.of("must be > a")),
				arguments(LINEAR, "truncated_normal", Map.of("std", 0.0), "std", List.of("must be > 0")),
				arguments(LINEAR, "variance_scaling", Map.of("scale", 0.0), "scale", List.of("must be > 0")),
				// an interval whose probability underflows: the bound nearer the mean is
				// at
				// fault
				arguments(LINEAR, "truncated_normal", Map.of("a", 40.0, "b", 41.0), "a", List.of("underflows")),
				arguments(LINEAR, "truncated_normal", Map.of("a", -41.0, "b", -40.0), "b", List.of("underflows")),
				// a negative gain makes no bound or std (found by the hostile-input
				// tests:
				// it was a 500); orthogonal and the like take one, as in PyTorch
				arguments(LINEAR, "xavier_uniform", Map.of("gain", -1.0), "gain", List.of("must be in [0, ")),
				arguments(LINEAR, "glorot_normal", Map.of("gain", -0.5), "gain", List.of("must be in [0, ")),
				// a scale near the largest double overflows the bound (fan_in 1)
				arguments(Sampling.weight("narrow.weight", 4, 1), "variance_scaling",
						Map.of("scale", Double.MAX_VALUE, "distribution", "uniform"), "scheme",
						List.of("overflows double precision")),
				// missing required
				arguments(LINEAR, "constant", Map.of(), "value", List.of("requires parameter 'value'")),
				arguments(LINEAR, "sparse", Map.of("std", 0.1), "sparsity", List.of("requires parameter 'sparsity'")),
				// gain comes from gain or from nonlinearity (+ param), never both
				arguments(LINEAR, "orthogonal", Map.of("gain", 2.0, "nonlinearity", "relu"), "gain",
						List.of("either gain or nonlinearity")),
				arguments(LINEAR, "xavier_normal", Map.of("gain", 2.0, "nonlinearity", "tanh"), "gain",
						List.of("either gain or nonlinearity")),
				arguments(LINEAR, "xavier_uniform", Map.of("param", 0.2), "param", List.of("needs a nonlinearity")),
				// unknown scheme
				arguments(LINEAR, "he_gaussian", Map.of(), "scheme",
						List.of("unknown scheme 'he_gaussian'", "kaiming_normal", "variance_scaling")));
	}

	@ParameterizedTest(name = "{1} {2} -> {3}")
	@MethodSource("invalid")
	void rejectsNamingTheFieldAndWhatIsAllowed(ParameterSpec spec, String scheme, Map<String, Object> params,
			String field, List<String> messageParts) {
		InitSpec init = new InitSpec(scheme, params);
		assertThatExceptionOfType(InvalidInitializerException.class).isThrownBy(() -> init.resolve(spec))
			.satisfies((e) -> assertThat(e.field()).isEqualTo(field))
			.satisfies((e) -> assertThat(e.getMessage()).contains(messageParts));
	}

	@Test
	void rejectsAMissingScheme() {
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> new InitSpec(null, Map.of()).resolve(LINEAR))
			.satisfies((e) -> assertThat(e.field()).isEqualTo("scheme"))
			.withMessageContaining("kaiming_normal");
	}

	@Test
	void acceptsAliasesAndIntegralNumbersForIntegers() {
		// Controls for the table above: the same kinds of values, valid, resolve.
		assertThat(InitSpec.of("he_normal").resolve(LINEAR).resolved()).containsEntry("scheme", "kaiming_normal");
		assertThat(InitSpec.of("trunc_normal").resolve(LINEAR).resolved()).containsEntry("scheme", "truncated_normal");
		assertThat(InitSpec.of("dirac", "groups", 2.0).resolve(CONV).resolved()).containsEntry("groups", 2);
		assertThat(InitSpec.of("normal", "std", 0).resolve(LINEAR).resolved()).containsEntry("std", 0.0);
		assertThat(InitSpec.of("xavier_uniform", "nonlinearity", "leaky_relu", "param", 0.2).resolve(LINEAR).resolved())
			.containsEntry("param", 0.2);
	}

}
