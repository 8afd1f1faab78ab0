package dev.initlab.rng;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link NumpyLegacyStream} and {@link NumpyPcg64Stream} against values drawn by NumPy
 * itself.
 * <p>
 * The fixture {@code src/test/resources/reference/numpy_streams.json} is written by
 * {@code make_numpy_streams.py} beside it ({@code cd src/test/resources/reference &&
 * python3 make_numpy_streams.py}), which records the NumPy version and platform and
 * asserts, before writing, that its own simulator of each algorithm reproduces NumPy bit
 * for bit. Comparisons here are of bits ({@link Double#doubleToLongBits}), with one
 * exception that the fixture names: legacy normals whose pair went through a platform
 * {@code log} that was not correctly rounded ({@code libm_log_differs}) may differ by at
 * most 2 ulp, since initlab's log is correctly rounded. Nothing here is statistical.
 */
class NumpyStreamsTests {

	private static final JsonNode FIXTURE = load("/reference/numpy_streams.json");

	private static final int LIBM_ULPS = 2;

	@Test
	void fixtureIsComplete() {
		assertThat(FIXTURE.get("numpy_version").asString()).isNotBlank();
		assertThat(seeds("legacy")).containsExactly(0L, 1L, 2L, 3L, 42L, (1L << 31) + 5, (1L << 32) - 1);
		assertThat(seeds("pcg64")).containsExactly(0L, 1L, 42L, (1L << 40) + 3, Long.MAX_VALUE);
		int wedges = 0;
		int tails = 0;
		for (JsonNode c : FIXTURE.get("pcg64")) {
			JsonNode normals = c.get("standard_normal");
			assertThat(normals.get("values").size()).isEqualTo(1000);
			wedges += normals.get("ziggurat_paths").get("wedge").asInt();
			tails += normals.get("ziggurat_paths").get("tail").asInt();
		}
		assertThat(wedges).as("wedge draws among the 5 x 1000 normals").isPositive();
		assertThat(tails).as("tail draws among the 5 x 1000 normals").isPositive();
		JsonNode longRun = FIXTURE.get("pcg64_long_run");
		assertThat(longRun.get("tail").size()).as("tail draws in the long run").isGreaterThan(100);
		assertThat(longRun.get("ziggurat_paths").get("rejections").asInt()).isPositive();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replays")
	void drawsWhatNumpyDraws(Replay replay) {
		RandomStream stream = replay.factory().apply(replay.seed());
		for (JsonNode call : replay.calls()) {
			replay(stream, call);
		}
	}

	@ParameterizedTest(name = "seed={0}")
	@MethodSource("pcg64Seeds")
	void seedsPcg64AsSeedSequenceDoes(JsonNode c) {
		long seed = c.get("seed").longValue();
		List<Long> words = new ArrayList<>();
		for (JsonNode word : c.get("seed_sequence_uint64")) {
			words.add(Long.parseUnsignedLong(word.asString().substring(2), 16));
		}
		assertThat(SeedSequence.generateState64(seed, 4))
			.containsExactly(words.stream().mapToLong(Long::longValue).toArray());
		String state = c.get("pcg64_state").asString().substring(2);
		String inc = c.get("pcg64_inc").asString().substring(2);
		assertThat(Pcg64.fromSeed(seed).state()).containsExactly(Long.parseUnsignedLong(state.substring(0, 16), 16),
				Long.parseUnsignedLong(state.substring(16), 16), Long.parseUnsignedLong(inc.substring(0, 16), 16),
				Long.parseUnsignedLong(inc.substring(16), 16));
	}

	@Test
	void pcg64LongRunIsBitIdentical() {
		JsonNode run = FIXTURE.get("pcg64_long_run");
		int count = run.get("count").asInt();
		double[] values = new double[count];
		new NumpyPcg64Stream(run.get("seed").longValue()).fillGaussian(values, 0, count);
		for (JsonNode tail : run.get("tail")) {
			int i = tail.get("index").asInt();
			assertThat(bits(values[i])).as("tail value %d", i).isEqualTo(bits(tail.get("value").doubleValue()));
		}
		assertThat(sha256(values)).isEqualTo(run.get("sha256_float64_le").asString());
	}

	@Test
	void legacyLongRunIsBitIdenticalWhereTheLibmLogWasCorrectlyRounded() {
		JsonNode run = FIXTURE.get("legacy_long_run");
		int count = run.get("count").asInt();
		double[] values = new double[count];
		new NumpyLegacyStream(run.get("seed").longValue()).fillGaussian(values, 0, count);
		JsonNode differs = run.get("libm_log_differs");
		assertThat(differs.size()).as("a platform log that is nearly always correctly rounded").isLessThan(count / 100);
		for (JsonNode d : differs) {
			int i = d.get("index").asInt();
			assertThat(ulps(values[i], d.get("value").doubleValue())).as("value %d", i).isLessThanOrEqualTo(LIBM_ULPS);
			values[i] = 0.0;
		}
		assertThat(sha256(values)).isEqualTo(run.get("sha256_float64_le_masked").asString());
	}

	@Test
	void logIsCorrectlyRounded() {
		// Spread and edge arguments, arguments whose log is within 2^-13 ulp of a
		// rounding
		// boundary (where the fast evaluation defers to the accurate one), and arguments
		// where glibc's log is not correctly rounded; expected values by Python's
		// decimal.
		JsonNode cases = FIXTURE.get("correctly_rounded_log");
		int strictMathMisses = 0;
		for (JsonNode pair : cases.get("pairs")) {
			double x = pair.get(0).doubleValue();
			double expected = pair.get(1).doubleValue();
			assertThat(bits(CorrectlyRoundedLog.log(x))).as("log(%s)", Double.toHexString(x)).isEqualTo(bits(expected));
			assertThat(bits(CorrectlyRoundedLog.accurate(x))).as("accurate log(%s)", Double.toHexString(x))
				.isEqualTo(bits(expected));
			strictMathMisses += (StrictMath.log(x) != expected) ? 1 : 0;
		}
		// Negative control: the cases tell a correctly rounded log from fdlibm's.
		assertThat(strictMathMisses).isPositive();
		assertThat(CorrectlyRoundedLog.log(1.0)).isEqualTo(0.0);
		assertThat(CorrectlyRoundedLog.log(0.0)).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(CorrectlyRoundedLog.log(-1.0)).isNaN();
		assertThat(CorrectlyRoundedLog.log(Double.POSITIVE_INFINITY)).isEqualTo(Double.POSITIVE_INFINITY);
	}

	@Test
	void seedsOutsideNumpysRangeAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new NumpyLegacyStream(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> new NumpyLegacyStream(1L << 32));
		assertThatIllegalArgumentException().isThrownBy(() -> new NumpyPcg64Stream(-1));
	}

	@Test
	void argumentsNumpyRefusesAreRefused() {
		NumpyLegacyStream legacy = new NumpyLegacyStream(0);
		NumpyPcg64Stream pcg64 = new NumpyPcg64Stream(0);
		assertThatIllegalArgumentException().isThrownBy(() -> legacy.nextInt(0));
		assertThatIllegalArgumentException().isThrownBy(() -> pcg64.nextInt(-3));
		assertThatIllegalArgumentException().isThrownBy(() -> legacy.normal(0, -1));
		assertThatIllegalArgumentException().isThrownBy(() -> pcg64.normal(0, Double.NaN));
		assertThatIllegalArgumentException().isThrownBy(() -> legacy.uniform(-Double.MAX_VALUE, Double.MAX_VALUE));
		assertThatIllegalArgumentException().isThrownBy(() -> pcg64.uniform(1, 0));
		// RandomState.uniform allows high < low; Generator.uniform does not.
		assertThat(legacy.uniform(1, 0)).isBetween(0.0, 1.0);
	}

	/** Draws the values of one fixture call from {@code stream} and compares them. */
	private static void replay(RandomStream stream, JsonNode call) {
		String name = call.get("call").asString();
		JsonNode args = call.get("args");
		JsonNode expected = call.get("values");
		List<Integer> libmDiffers = new ArrayList<>();
		if (call.has("libm_log_differs")) {
			call.get("libm_log_differs").forEach((i) -> libmDiffers.add(i.asInt()));
		}
		for (int i = 0; i < expected.size(); i++) {
			String what = name + args + "[" + i + "]";
			switch (name) {
				case "randint", "integers" ->
					assertThat(stream.nextInt(args.get(0).asInt())).as(what).isEqualTo(expected.get(i).asInt());
				default -> {
					double actual = draw(stream, name, args);
					double want = expected.get(i).doubleValue();
					if (libmDiffers.contains(i)) {
						assertThat(ulps(actual, want)).as(what).isLessThanOrEqualTo(LIBM_ULPS);
					}
					else {
						assertThat(bits(actual)).as("%s: %s, NumPy %s", what, actual, want).isEqualTo(bits(want));
					}
				}
			}
		}
	}

	private static double draw(RandomStream stream, String call, JsonNode args) {
		return switch (call) {
			case "rand", "random" -> stream.nextDouble();
			case "randn", "standard_normal" -> stream.nextGaussian();
			case "uniform" -> (stream instanceof NumpyLegacyStream legacy)
					? legacy.uniform(args.get(0).doubleValue(), args.get(1).doubleValue())
					: ((NumpyPcg64Stream) stream).uniform(args.get(0).doubleValue(), args.get(1).doubleValue());
			case "normal" -> (stream instanceof NumpyLegacyStream legacy)
					? legacy.normal(args.get(0).doubleValue(), args.get(1).doubleValue())
					: ((NumpyPcg64Stream) stream).normal(args.get(0).doubleValue(), args.get(1).doubleValue());
			default -> throw new IllegalArgumentException("Unknown call " + call);
		};
	}

	/**
	 * One fresh stream and the calls to replay on it, in order.
	 */
	record Replay(String label, LongFunction<RandomStream> factory, long seed, List<JsonNode> calls) {

		@Override
		public String toString() {
			return this.label;
		}

	}

	static Stream<Replay> replays() {
		List<Replay> replays = new ArrayList<>();
		addReplays(replays, "legacy", NumpyLegacyStream::new,
				List.of("rand", "randn", "mixed", "mixed_int", "uniform", "normal", "randint"));
		addReplays(replays, "pcg64", NumpyPcg64Stream::new,
				List.of("random", "standard_normal", "mixed", "uniform", "normal", "integers"));
		return replays.stream();
	}

	private static void addReplays(List<Replay> replays, String family, LongFunction<RandomStream> factory,
			List<String> keys) {
		for (JsonNode c : FIXTURE.get(family)) {
			long seed = c.get("seed").longValue();
			for (String key : keys) {
				JsonNode value = c.get(key);
				String label = family + " seed=" + seed + " " + key;
				if (key.equals("mixed") || key.equals("mixed_int")) {
					// one stream through the whole sequence
					replays.add(new Replay(label, factory, seed, List.copyOf(value.values())));
				}
				else if (value.isArray()) {
					// a fresh stream for each bound
					for (JsonNode call : value) {
						replays.add(new Replay(label + call.get("args"), factory, seed, List.of(call)));
					}
				}
				else {
					replays.add(new Replay(label, factory, seed, List.of(value)));
				}
			}
		}
	}

	static Stream<Named<JsonNode>> pcg64Seeds() {
		return FIXTURE.get("pcg64").values().stream().map((c) -> Named.of(c.get("seed").asString(), c));
	}

	private static List<Long> seeds(String family) {
		return FIXTURE.get(family).values().stream().map((c) -> c.get("seed").longValue()).toList();
	}

	private static long bits(double value) {
		return Double.doubleToLongBits(value);
	}

	/** Distance in units in the last place between two doubles of the same sign. */
	private static long ulps(double a, double b) {
		assertThat(Math.signum(a)).isEqualTo(Math.signum(b));
		return Math.abs(bits(a) - bits(b));
	}

	private static String sha256(double[] values) {
		ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
		buffer.asDoubleBuffer().put(values);
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(buffer.array()));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode load(String resource) {
		try (InputStream in = NumpyStreamsTests.class.getResourceAsStream(resource)) {
			return JsonMapper.builder().build().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
