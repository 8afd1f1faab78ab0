package dev.initlab.init;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Our fans, gains, std/bound and {@code pytorch_default} preset against numbers computed
 * by PyTorch itself.
 * <p>
 * The fixture {@code src/test/resources/reference/init_reference.json} is written by
 * {@code make_reference.py} beside it ({@code cd src/test/resources/reference && python3
 * make_reference.py}); it records the torch version used. Every std/bound in it is
 * computed with torch's own {@code _calculate_fan_in_and_fan_out} and
 * {@code calculate_gain} by the expressions of {@code torch/nn/init.py}, and the script
 * asserts that torch's real initializers draw with that std/bound before writing it.
 * Nothing here is statistical: all comparisons are of closed-form numbers.
 */
class PytorchReferenceTests {

	/** Relative tolerance for gains: a few ulps at most. */
	private static final double GAIN_TOLERANCE = 1e-15;

	/**
	 * Relative tolerance for std and bound (several ulps of slack for operation order).
	 */
	private static final double TOLERANCE = 1e-12;

	/**
	 * Names torch's {@code calculate_gain} rejects that initlab accepts on purpose (see
	 * {@link Gain}): {@code identity} as another name of {@code linear}, and names in any
	 * case.
	 */
	private static final Map<String, String> DOCUMENTED_EXTENSIONS = Map.of("identity", "linear", "ReLU", "relu");

	@Test
	void fixtureIsComplete() {
		Fixture f = Reference.FIXTURE;
		assertThat(f.torchVersion()).isNotBlank();
		assertThat(f.fans()).hasSizeGreaterThanOrEqualTo(15);
		assertThat(f.fans()).extracting(FansCase::layerType)
			.contains("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
					"conv_transpose3d", "tensor");
		assertThat(f.gains()).extracting(GainCase::nonlinearity)
			.containsAll(Gain.TABLE.stream().filter((name) -> !DOCUMENTED_EXTENSIONS.containsKey(name)).toList());
		assertThat(f.schemes()).extracting(SchemeCase::scheme)
			.contains("kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal");
		assertThat(f.moduleDefaults()).extracting(ModuleDefault::layerType)
			.contains("linear", "conv2d", "conv_transpose2d");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("fans")
	void fansAreTorchs(FansCase c) {
		assertThat(Fans.of(c.weightShape())).isEqualTo(new Fans(c.fanIn(), c.fanOut()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("noFans")
	void tensorsBelowTwoDimensionsHaveNoFans(NoFansCase c) {
		// torch: ValueError "<torch_error>"; initlab: no fans, and fan-based schemes
		// refuse.
		int[] shape = c.weightShape();
		assertThat(Fans.of(shape)).isNull();
		ParameterSpec p = ParameterSpec.of("t", shape, Role.WEIGHT, null, null, 1, "tensor");
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("kaiming_uniform").resolve(p));
		assertThatExceptionOfType(InvalidInitializerException.class)
			.isThrownBy(() -> InitSpec.of("xavier_normal").resolve(p));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gains")
	void gainsAreTorchs(GainCase c) {
		assertRelative(Gain.of(c.nonlinearity(), c.param()), c.gain(), GAIN_TOLERANCE, "gain");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("gainsRejected")
	void gainsTorchRejectsAreRejectedUnlessDocumented(RejectedGain c) {
		String sameAs = DOCUMENTED_EXTENSIONS.get(c.nonlinearity());
		if (sameAs != null) {
			assertThat(Gain.of(c.nonlinearity(), null)).isEqualTo(Gain.of(sameAs, null));
			return;
		}
		if (Gain.COMPUTED.contains(c.nonlinearity())) {
			// documented extension: a computed gain where torch's table has none
			assertThat(Gain.of(c.nonlinearity(), null)).isEqualTo(Gain.quadrature(c.nonlinearity(), null));
			assertThat(Gain.inTable(c.nonlinearity())).isFalse();
			return;
		}
		assertThat(Gain.isKnown(c.nonlinearity())).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Gain.of(c.nonlinearity(), null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("schemes")
	void stdAndBoundAreTorchs(SchemeCase c) {
		Map<String, Object> resolved = resolve(c);

		assertThat(resolved).containsEntry("scheme", c.scheme());
		assertThat(resolved).containsEntry("fan_in", c.fanIn()).containsEntry("fan_out", c.fanOut());
		assertRelative(number(resolved, "gain"), c.gain(), TOLERANCE, "gain");
		if (c.nonlinearity() != null) {
			assertThat(resolved).containsEntry("nonlinearity", c.nonlinearity());
		}
		else {
			assertThat(resolved).doesNotContainKey("nonlinearity");
		}
		if (c.bound() != null) {
			assertRelative(number(resolved, "bound"), c.bound(), TOLERANCE, "bound");
			assertThat(resolved).doesNotContainKey("std");
		}
		else {
			assertRelative(number(resolved, "std"), c.std(), TOLERANCE, "std");
			assertThat(resolved).doesNotContainKey("bound");
		}
	}

	/**
	 * Beyond 1e-12: our std and bound are the very doubles torch computes (same
	 * operations in the same order), so a resolved {@code init} can be compared with
	 * torch's by equality. The fixture's gains are exact; only a leaky_relu slope whose
	 * square libm's pow rounds differently from {@code x * x} (such as 0.5102, see the
	 * fixture script) would make a gain, and so a bound, differ by an ulp.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("schemes")
	void stdAndBoundAreBitIdenticalToTorchs(SchemeCase c) {
		Map<String, Object> resolved = resolve(c);
		assertThat(resolved.get("gain")).isEqualTo(c.gain());
		if (c.bound() != null) {
			assertThat(resolved.get("bound")).isEqualTo(c.bound());
		}
		else {
			assertThat(resolved.get("std")).isEqualTo(c.std());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("moduleDefaults")
	void pytorchDefaultPresetIsTorchsResetParameters(ModuleDefault c) {
		int[] weightShape = c.weightShape();
		if (c.layerType().startsWith("conv_transpose")) {
			// PyTorch's quirk: fan_in of the [in, out/groups, *k] weight is
			// (out/groups) * prod(k).
			assertThat(c.fanIn()).isEqualTo((long) weightShape[1] * receptiveField(weightShape));
		}
		Map<String, Object> w = resolveDefault(c, Role.WEIGHT);
		assertThat(w).containsEntry("scheme", "kaiming_uniform")
			.containsEntry("fan_in", c.fanIn())
			.containsEntry("fan_out", c.fanOut());
		assertRelative(number(w, "bound"), c.weightBound(), TOLERANCE, "weight bound");

		Map<String, Object> b = resolveDefault(c, Role.BIAS);
		assertThat(b).containsEntry("scheme", "uniform");
		assertRelative(number(b, "low"), -c.biasBound(), TOLERANCE, "bias low");
		assertRelative(number(b, "high"), c.biasBound(), TOLERANCE, "bias high");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("moduleDefaults")
	void pytorchDefaultBoundsAreBitIdenticalToTorchs(ModuleDefault c) {
		assertThat(resolveDefault(c, Role.WEIGHT).get("bound")).isEqualTo(c.weightBound());
		Map<String, Object> b = resolveDefault(c, Role.BIAS);
		assertThat(b.get("low")).isEqualTo(-c.biasBound());
		assertThat(b.get("high")).isEqualTo(c.biasBound());
	}

	static Stream<Named<FansCase>> fans() {
		return Reference.FIXTURE.fans()
			.stream()
			.map((c) -> Named.of(name(c.module(), c.weightShape()) + " " + Arrays.toString(c.weightShape()), c));
	}

	static Stream<Named<NoFansCase>> noFans() {
		return Reference.FIXTURE.noFans().stream().map((c) -> Named.of(Arrays.toString(c.weightShape()), c));
	}

	static Stream<Named<GainCase>> gains() {
		return Reference.FIXTURE.gains()
			.stream()
			.map((c) -> Named.of("calculate_gain('" + c.nonlinearity() + "', " + c.param() + ")", c));
	}

	static Stream<Named<RejectedGain>> gainsRejected() {
		return Reference.FIXTURE.gainsRejected().stream().map((c) -> Named.of("'" + c.nonlinearity() + "'", c));
	}

	static Stream<Named<SchemeCase>> schemes() {
		return Reference.FIXTURE.schemes()
			.stream()
			.map((c) -> Named.of(
					name(c.module(), c.weightShape()) + ": " + c.scheme() + " " + c.params()
							+ ((c.activation() != null) ? " activation=" + c.activation() : "") + " ~ " + c.torch(),
					c));
	}

	static Stream<Named<ModuleDefault>> moduleDefaults() {
		return Reference.FIXTURE.moduleDefaults().stream().map((c) -> Named.of(c.module(), c));
	}

	/** Resolves the case's initlab parameters for its weight, in PyTorch layout. */
	private static Map<String, Object> resolve(SchemeCase c) {
		int[] shape = c.weightShape();
		ParameterSpec p = ParameterSpec.of(name(c.module(), shape) + ".weight", shape, Role.WEIGHT, Fans.of(shape),
				c.activation(), c.groups(), c.layerType());
		return spec(c.scheme(), c.params()).resolve(p).resolved();
	}

	/**
	 * What {@code pytorch_default} resolves to for the module's weight or bias. A bias
	 * carries the fans of its layer's weight: torch bounds it by the weight's fan_in.
	 */
	private static Map<String, Object> resolveDefault(ModuleDefault c, Role role) {
		int[] weightShape = c.weightShape();
		Fans fans = Fans.of(weightShape);
		String name = name(c.module(), weightShape);
		ParameterSpec p = (role == Role.WEIGHT)
				? ParameterSpec.of(name + ".weight", weightShape, Role.WEIGHT, fans, null, c.groups(), c.layerType())
				: ParameterSpec.of(name + ".bias", c.biasShape(), Role.BIAS, fans, null, c.groups(), c.layerType());
		return Preset.PYTORCH_DEFAULT.initFor(p).resolve(p).resolved();
	}

	private static InitSpec spec(String scheme, Map<String, Object> params) {
		List<Object> keyValues = new ArrayList<>();
		params.forEach((key, value) -> {
			keyValues.add(key);
			keyValues.add(value);
		});
		return InitSpec.of(scheme, keyValues.toArray());
	}

	private static String name(String module, int[] shape) {
		return (module != null) ? module : "tensor" + Arrays.toString(shape);
	}

	private static long receptiveField(int[] shape) {
		long r = 1;
		for (int i = 2; i < shape.length; i++) {
			r *= shape[i];
		}
		return r;
	}

	private static double number(Map<String, Object> resolved, String key) {
		assertThat(resolved).containsKey(key);
		assertThat(resolved.get(key)).isInstanceOf(Number.class);
		return ((Number) resolved.get(key)).doubleValue();
	}

	private static void assertRelative(double actual, double expected, double tolerance, String what) {
		assertThat(actual).as("%s (torch: %s, ours: %s)", what, expected, actual)
			.isCloseTo(expected, within(Math.abs(expected) * tolerance));
	}

	/** The fixture, read once. */
	private static final class Reference {

		static final Fixture FIXTURE = load();

		private static Fixture load() {
			JsonMapper mapper = JsonMapper.builder()
				.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
				.build();
			try (InputStream in = PytorchReferenceTests.class.getResourceAsStream("/reference/init_reference.json")) {
				assertThat(in).as("reference/init_reference.json on the test class path").isNotNull();
				return mapper.readValue(in, Fixture.class);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	record Fixture(String generatedBy, String torchVersion, List<FansCase> fans, List<NoFansCase> noFans,
			List<GainCase> gains, List<RejectedGain> gainsRejected, List<SchemeCase> schemes,
			List<ModuleDefault> moduleDefaults) {
	}

	record FansCase(String module, String layerType, int groups, int[] weightShape, long fanIn, long fanOut) {
	}

	record NoFansCase(int[] weightShape, String torchError) {
	}

	record GainCase(String nonlinearity, Double param, double gain) {
	}

	record RejectedGain(String nonlinearity, String torchError) {
	}

	/**
	 * One torch initializer call on one weight: {@code params} (and {@code activation})
	 * are what initlab is given, {@code torch} is the equivalent torch call.
	 */
	record SchemeCase(String module, String layerType, int groups, int[] weightShape, String activation, String scheme,
			Map<String, Object> params, String torch, String nonlinearity, long fanIn, long fanOut, double gain,
			Double bound, Double std) {
	}

	record ModuleDefault(String module, String layerType, int groups, int[] weightShape, int[] biasShape, long fanIn,
			long fanOut, double weightBound, double biasBound) {
	}

}
