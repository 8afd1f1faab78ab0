package dev.initlab.tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;

import org.junit.jupiter.api.Test;
import tools.jackson.core.io.NumberOutput;
import tools.jackson.core.util.MinimalPrettyPrinter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON text of tensor data: {@link ShortestDecimal} writes, byte for byte, what
 * Jackson's Schubfach formatter ({@code NumberOutput.toString(v, true)}, the writer of
 * the token-by-token path) writes, and the raw-text path of {@link TensorValues} the
 * bytes of the token-by-token one. Seeded, so each run checks the same values.
 */
class TensorValuesTests {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@Test
	void floatsAreWrittenAsJacksonWritesThem() {
		List<Float> values = floatCases();
		assertThat(floatMismatches(values, ShortestDecimalText::ofFloat)).isEmpty();
		assertThat(values).hasSizeGreaterThan(1_000_000);
	}

	@Test
	void doublesAreWrittenAsJacksonWritesThem() {
		List<Double> values = doubleCases();
		assertThat(doubleMismatches(values, ShortestDecimalText::ofDouble)).isEmpty();
		assertThat(values).hasSizeGreaterThan(1_000_000);
	}

	@Test
	void everyFloat16AndBfloat16ValueIsWrittenAsJacksonWritesItsDouble() {
		List<Double> values = new ArrayList<>();
		for (int bits = 0; bits < 1 << 16; bits++) {
			values.add(float16(bits));
			values.add((double) Float.intBitsToFloat(bits << 16));
		}
		values.removeIf((v) -> !Double.isFinite(v));
		assertThat(values).hasSizeGreaterThan(2 * (65536 - 2 * 1024));
		assertThat(doubleMismatches(values, ShortestDecimalText::ofDouble)).isEmpty();
	}

	/**
	 * Negative controls: the comparison catches a value one ulp off, and a decimal that
	 * reads back right but is not the shortest (float32 data written as float64's
	 * digits).
	 */
	@Test
	void theComparisonCatchesWrongAndOverlongDigits() {
		List<Float> values = floatCases().subList(0, 10_000);
		assertThat(floatMismatches(values, (v) -> ShortestDecimalText.ofFloat(Math.nextUp((float) v))))
			.hasSizeGreaterThan(9_000);
		assertThat(floatMismatches(values, ShortestDecimalText::ofDouble)).hasSizeGreaterThan(9_000);
		List<Double> doubles = doubleCases().subList(0, 10_000);
		assertThat(doubleMismatches(doubles, (v) -> ShortestDecimalText.ofDouble(Math.nextDown(v))))
			.hasSizeGreaterThan(9_000);
	}

	@Test
	void rawTextEqualsTheTokenByTokenJson() {
		SplittableRandom random = new SplittableRandom(11);
		for (DType dtype : DType.values()) {
			for (int[] shape : new int[][] { {}, { 1 }, { 7 }, { 3, 5 }, { 2, 3, 4 }, { 300, 257 }, { 2, 1, 3000 },
					{ 0 }, { 2, 0 }, { 4, 1, 1 } }) {
				TensorValues t = tensor(dtype, shape, random);
				String raw = MAPPER.writeValueAsString(t);
				assertThat(raw).isEqualTo(tokens(t)).isEqualTo(expected(t));
				// through the UTF-8 byte generator too, and between other values
				Map<String, Object> body = Map.of("a", List.of(t, 1, t));
				assertThat(new String(MAPPER.writeValueAsBytes(body), StandardCharsets.UTF_8))
					.isEqualTo(MAPPER.writer().with(new MinimalPrettyPrinter()).writeValueAsString(body));
			}
		}
	}

	@Test
	void nonFiniteValuesAreStringsAsBefore() {
		double[] values = { Double.NaN, 1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0 };
		for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
			TensorValues t = new TensorValues(values, new int[] { 5 }, dtype);
			assertThat(MAPPER.writeValueAsString(t)).isEqualTo("[\"NaN\",1.5,\"Infinity\",\"-Infinity\",-0.0]")
				.isEqualTo(tokens(t));
		}
	}

	/**
	 * The token-by-token path: a pretty printer that adds nothing keeps the serializer
	 * there.
	 */
	private static String tokens(TensorValues t) {
		return MAPPER.writer().with(new MinimalPrettyPrinter()).writeValueAsString(t);
	}

	/** The expected text, built here from Jackson's formatter. */
	private static String expected(TensorValues t) {
		StringBuilder out = new StringBuilder();
		if (t.shape().length == 0) {
			return number(t.values()[0], t.dtype());
		}
		int[] position = { 0 };
		nest(t, 0, position, out);
		return out.toString();
	}

	private static void nest(TensorValues t, int dim, int[] position, StringBuilder out) {
		out.append('[');
		int n = t.shape()[dim];
		if (t.values().length == 0) {
			// the writer opens and closes every level once
			for (int d = dim + 1; d < t.shape().length; d++) {
				out.append('[');
			}
			out.append("]".repeat(t.shape().length - dim));
			return;
		}
		for (int i = 0; i < n; i++) {
			if (i > 0) {
				out.append(',');
			}
			if (dim == t.shape().length - 1) {
				out.append(number(t.values()[position[0]++], t.dtype()));
			}
			else {
				nest(t, dim + 1, position, out);
			}
		}
		out.append(']');
	}

	private static String number(double v, DType dtype) {
		if (dtype == DType.INT64) {
			return Long.toString((long) v);
		}
		if (!Double.isFinite(v)) {
			// JSON has no such numbers: strings
			return '"' + Double.toString(v) + '"';
		}
		return (dtype == DType.FLOAT32) ? NumberOutput.toString((float) v, true) : NumberOutput.toString(v, true);
	}

	private static TensorValues tensor(DType dtype, int[] shape, SplittableRandom random) {
		int size = 1;
		for (int s : shape) {
			size *= s;
		}
		double[] v = new double[size];
		for (int i = 0; i < size; i++) {
			double x = switch (i % 4) {
				case 0 -> random.nextGaussian() * 0.05;
				case 1 -> random.nextDouble(-1e6, 1e6);
				case 2 -> Math.scalb(random.nextDouble(), random.nextInt(-60, 60));
				default -> Math.rint(random.nextGaussian() * 100);
			};
			v[i] = dtype.round(x);
		}
		return new TensorValues(v, shape, dtype);
	}

	/**
	 * 2^20 random float bit patterns and the cases that break formatters: zeros, the
	 * extremes, every subnormal below 2^-140, powers of ten and their neighbours, small
	 * integers, and values where JDK 17's {@code Float.toString} writes a digit too many.
	 */
	private static List<Float> floatCases() {
		List<Float> values = new ArrayList<>();
		SplittableRandom random = new SplittableRandom(20261205);
		for (int i = 0; i < 1 << 20; i++) {
			float f = Float.intBitsToFloat(random.nextInt());
			if (Float.isFinite(f)) {
				values.add(f);
			}
		}
		float[] special = { 0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
				Math.nextDown(Float.MIN_NORMAL), 1f, -1f, 0.1f, 0.001f, 1e7f, 9999999f, 16777216f, 16777215f,
				8388608.5f, 3.0E10f, Float.intBitsToFloat(0x4f6f4ea8), 2.0E-3f, 1e-3f, 1e-4f, 1.0E23f };
		for (float f : special) {
			values.add(f);
			values.add(-f);
		}
		for (int bits = 1; bits < 512; bits++) {
			values.add(Float.intBitsToFloat(bits));
		}
		for (int e = -45; e <= 38; e++) {
			float p = Float.parseFloat("1e" + e);
			values.add(p);
			values.add(Math.nextUp(p));
			values.add(Math.nextDown(p));
		}
		for (int exponent = -149; exponent <= 127; exponent++) {
			values.add(Math.scalb(1f, exponent));
		}
		return values;
	}

	private static List<Double> doubleCases() {
		List<Double> values = new ArrayList<>();
		SplittableRandom random = new SplittableRandom(20261206);
		for (int i = 0; i < 1 << 20; i++) {
			double d = Double.longBitsToDouble(random.nextLong());
			if (Double.isFinite(d)) {
				values.add(d);
			}
		}
		double[] special = { 0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
				Math.nextDown(Double.MIN_NORMAL), 1.0, 0.1, 0.001, 1e7, 9999999.999999998, 2e23, 1e23, 5e-324,
				9007199254740993.0, 4.35, 0.3 };
		for (double d : special) {
			values.add(d);
			values.add(-d);
		}
		for (long bits = 1; bits < 512; bits++) {
			values.add(Double.longBitsToDouble(bits));
		}
		for (int e = -324; e <= 308; e++) {
			double p = Double.parseDouble("1e" + e);
			values.add(p);
			values.add(Math.nextUp(p));
			values.add(Math.nextDown(p));
		}
		for (int exponent = -1074; exponent <= 1023; exponent++) {
			values.add(Math.scalb(1.0, exponent));
		}
		return values;
	}

	private static List<String> floatMismatches(List<Float> values, DoubleFunction<String> writer) {
		List<String> mismatches = new ArrayList<>();
		for (float f : values) {
			String want = NumberOutput.toString(f, true);
			String got = writer.apply(f);
			if (!want.equals(got)) {
				mismatches.add(Integer.toHexString(Float.floatToRawIntBits(f)) + ": " + got + " != " + want);
			}
		}
		return mismatches;
	}

	private static List<String> doubleMismatches(List<Double> values, DoubleFunction<String> writer) {
		List<String> mismatches = new ArrayList<>();
		for (double d : values) {
			String want = NumberOutput.toString(d, true);
			String got = writer.apply(d);
			if (!want.equals(got)) {
				mismatches.add(Long.toHexString(Double.doubleToRawLongBits(d)) + ": " + got + " != " + want);
			}
		}
		return mismatches;
	}

	/** The value of an IEEE binary16 bit pattern. */
	private static double float16(int bits) {
		int exponent = (bits >>> 10) & 0x1f;
		int fraction = bits & 0x3ff;
		double sign = ((bits & 0x8000) != 0) ? -1 : 1;
		if (exponent == 0x1f) {
			return (fraction == 0) ? sign * Double.POSITIVE_INFINITY : Double.NaN;
		}
		if (exponent == 0) {
			return sign * Math.scalb((double) fraction, -24);
		}
		return sign * Math.scalb((double) (1024 + fraction), exponent - 25);
	}

	/** {@link ShortestDecimal}'s text as a String, for comparison. */
	private static final class ShortestDecimalText {

		private static final byte[] BUFFER = new byte[64];

		static String ofFloat(double v) {
			return new String(BUFFER, 0, ShortestDecimal.appendFloat((float) v, BUFFER, 0), StandardCharsets.US_ASCII);
		}

		static String ofDouble(double v) {
			return new String(BUFFER, 0, ShortestDecimal.appendDouble(v, BUFFER, 0), StandardCharsets.US_ASCII);
		}

	}

}
