package dev.initlab.tensor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Npy#header} against NumPy: the {@code npy} cases of
 * {@code reference/tensor_formats.json} (written by {@code tensor_formats.py}) hold the
 * header bytes {@code numpy.lib.format.write_array} writes for each dtype and shape (0-d,
 * one-element tuples {@code (n,)}, empty, up to 8 dimensions of up to 2^31 - 1, a header
 * past 128 bytes); the script loads the small ones back with {@code np.load}. Ours must
 * be the same bytes, so NumPy reads ours as it reads its own.
 */
class NpyTests {

	static final JsonNode FIXTURE = Fixtures.read("tensor_formats.json");

	static final HexFormat HEX = HexFormat.of();

	static Stream<Arguments> numpyHeaders() {
		List<Arguments> out = new ArrayList<>();
		for (JsonNode c : FIXTURE.get("npy")) {
			int[] shape = new int[c.get("shape").size()];
			for (int i = 0; i < shape.length; i++) {
				shape[i] = c.get("shape").get(i).asInt();
			}
			out.add(Arguments.of(c.get("descr").asString(), shape, c.get("numel_fits_int64").asBoolean(),
					c.get("header").asString()));
		}
		return out.stream();
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("numpyHeaders")
	void headerIsNumpysByteForByte(String descr, int[] shape, boolean canExist, String numpy) {
		byte[] header = Npy.header(byDescr(descr), shape);
		byte[] theirs = HEX.parseHex(numpy);
		if (canExist) {
			assertThat(text(header)).isEqualTo(text(theirs));
			assertThat(HEX.formatHex(header)).isEqualTo(numpy);
		}
		else {
			// more than 2^63 elements: NumPy's spare space for growing the first axis can
			// take its header to the next 64 bytes; the dict is the same
			assertThat(text(header).stripTrailing()).isEqualTo(text(theirs).stripTrailing());
		}
	}

	/**
	 * The format's own rules, on random shapes of rank 0 to 8: magic, version 1.0, the
	 * little-endian length of what follows, the dict, data aligned to 64, a final
	 * newline.
	 */
	@Test
	void headersFollowTheFormatForAnyShape() {
		Random random = new Random(12);
		for (int n = 0; n < 2000; n++) {
			int[] shape = new int[random.nextInt(9)];
			for (int i = 0; i < shape.length; i++) {
				shape[i] = random.nextBoolean() ? random.nextInt(10) : random.nextInt(Integer.MAX_VALUE);
			}
			DType dtype = List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16).get(random.nextInt(3));
			byte[] h = Npy.header(dtype, shape);
			assertThat(h[0] & 0xff).isEqualTo(0x93);
			assertThat(new String(h, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
			assertThat(new byte[] { h[6], h[7] }).containsExactly(1, 0);
			assertThat((h[8] & 0xff) | (h[9] & 0xff) << 8).isEqualTo(h.length - 10);
			assertThat(h.length % 64).isZero();
			assertThat(h[h.length - 1]).isEqualTo((byte) '\n');
			String dims = IntStream.of(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
			String tuple = "(" + dims + ((shape.length == 1) ? ",)" : ")");
			String dict = "{'descr': '" + Npy.descr(dtype) + "', 'fortran_order': False, 'shape': " + tuple + ", }";
			assertThat(new String(h, 10, h.length - 10, StandardCharsets.US_ASCII)).startsWith(dict)
				.matches("\\Q" + dict + "\\E *\n");
		}
	}

	@Test
	void fileSizeIsHeaderPlusData() {
		int[] shape = { 3, 4 };
		for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16)) {
			assertThat(Npy.fileSize(dtype, shape, 12)).isEqualTo(Npy.header(dtype, shape).length + 12L * dtype.size());
		}
		assertThat(Npy.fileSize(DType.FLOAT32, new int[] { 32768, 32768 }, 1L << 30)).isEqualTo(128 + (1L << 32));
	}

	@Test
	void numpyHasNoBfloat16() {
		assertThat(Npy.supports(DType.BFLOAT16)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Npy.descr(DType.BFLOAT16));
		assertThat(Stream.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16).map(Npy::descr)).containsExactly("<f4", "<f8",
				"<f2");
	}

	static DType byDescr(String descr) {
		return Stream.of(DType.values())
			.filter((d) -> Npy.supports(d) && Npy.descr(d).equals(descr))
			.findFirst()
			.orElseThrow();
	}

	/** The header as text, so a failure shows where it differs. */
	static String text(byte[] header) {
		return new String(header, 10, header.length - 10, StandardCharsets.US_ASCII);
	}

}
