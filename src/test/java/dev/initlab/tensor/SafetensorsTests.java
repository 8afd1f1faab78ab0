package dev.initlab.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import dev.initlab.tensor.Safetensors.Entry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link Safetensors#header} against the {@code safetensors} package: the
 * {@code safetensors} cases of {@code reference/tensor_formats.json} (written by
 * {@code tensor_formats.py}). Where the tensors are given as safetensors orders them
 * (names sorted, one dtype) the fixture holds the bytes {@code safetensors.torch.save}
 * writes (metadata keys aside: safetensors writes them in a Rust HashMap's order, which
 * changes from run to run, so the script compares those as JSON); where they are in a
 * model's order, which initlab keeps, the fixture holds that layout and the script checks
 * that {@code safetensors.numpy.load} and {@code safe_open} read every tensor back.
 * <p>
 * What safetensors requires, and the structural test checks on random entries: an 8-byte
 * little-endian length N, N bytes of UTF-8 JSON starting with {@code {}, padded with
 * spaces only; {@code __metadata__} a map of strings to strings; per tensor a dtype code,
 * a shape and {@code data_offsets} that cover the data without holes or overlap. Key
 * order is free; ours is metadata first, then the tensors in the order given, with
 * offsets in that order, and the data starts 8-byte aligned.
 */
class SafetensorsTests {

	static final JsonNode FIXTURE = Fixtures.read("tensor_formats.json");

	static Stream<Arguments> safetensorsHeaders() {
		List<Arguments> out = new ArrayList<>();
		for (JsonNode c : FIXTURE.get("safetensors")) {
			List<Entry> entries = new ArrayList<>();
			for (JsonNode e : c.get("entries")) {
				int[] shape = new int[e.get("shape").size()];
				long numel = 1;
				for (int i = 0; i < shape.length; i++) {
					shape[i] = e.get("shape").get(i).asInt();
					numel *= shape[i];
				}
				entries.add(new Entry(e.get("name").asString(), byCode(e.get("dtype").asString()), shape, numel));
			}
			Map<String, String> metadata = new LinkedHashMap<>();
			c.get("metadata").properties().forEach((p) -> metadata.put(p.getKey(), p.getValue().asString()));
			out.add(Arguments.of(c.get("why").asString(), entries, metadata, c.get("header").asString()));
		}
		return out.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("safetensorsHeaders")
	void headerIsWhatSafetensorsWritesAndReads(String why, List<Entry> entries, Map<String, String> metadata,
			String expected) {
		byte[] header = Safetensors.header(entries, metadata);
		byte[] theirs = HexFormat.of().parseHex(expected);
		assertThat(new String(header, StandardCharsets.UTF_8)).isEqualTo(new String(theirs, StandardCharsets.UTF_8));
		assertThat(header).isEqualTo(theirs);
	}

	@Test
	void dtypeCodes() {
		assertThat(Stream.of(DType.values()).map(Safetensors::code)).containsExactly("F32", "F64", "F16", "BF16",
				"I64");
	}

	/** The format's rules, on random entries with names that need escaping. */
	@Test
	void headersFollowTheFormatForAnyEntries() {
		Random random = new Random(8);
		String[] parts = { "fc", "weight", "bias", "\u00e9", "\"", "\\", "/", "\u4e2d", "a b", "\t", "0" };
		for (int n = 0; n < 500; n++) {
			List<Entry> entries = new ArrayList<>();
			int count = 1 + random.nextInt(6);
			while (entries.size() < count) {
				String name = parts[random.nextInt(parts.length)] + "." + parts[random.nextInt(parts.length)] + n
						+ entries.size();
				int[] shape = new int[random.nextInt(4)];
				long numel = 1;
				for (int i = 0; i < shape.length; i++) {
					shape[i] = random.nextInt(50);
					numel *= shape[i];
				}
				entries.add(new Entry(name, DType.values()[random.nextInt(DType.values().length)], shape, numel));
			}
			Map<String, String> metadata = new LinkedHashMap<>();
			metadata.put("seed", Integer.toString(n));
			metadata.put("init." + entries.get(0).name(), "{\"scheme\": \"zeros\"}");

			byte[] h = Safetensors.header(entries, metadata);
			long length = ByteBuffer.wrap(h, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
			assertThat(length).isEqualTo(h.length - 8);
			assertThat(h.length % 8).isZero();
			String text = new String(h, 8, h.length - 8, StandardCharsets.UTF_8);
			assertThat(text).startsWith("{");
			String json = text.stripTrailing();
			assertThat(text.substring(json.length())).matches(" {0,7}");
			JsonNode header = Fixtures.JSON.readTree(json);
			List<String> keys = new ArrayList<>(header.propertyNames());
			assertThat(keys.get(0)).isEqualTo("__metadata__");
			assertThat(keys.subList(1, keys.size()))
				.containsExactlyElementsOf(entries.stream().map(Entry::name).toList());
			header.get("__metadata__").properties().forEach((p) -> assertThat(p.getValue().isString()).isTrue());
			assertThat(header.get("__metadata__").get("init." + entries.get(0).name()).asString())
				.isEqualTo("{\"scheme\": \"zeros\"}");
			long offset = 0;
			for (Entry e : entries) {
				JsonNode t = header.get(e.name());
				assertThat(t.propertyNames()).containsExactly("dtype", "shape", "data_offsets");
				assertThat(t.get("dtype").asString()).isEqualTo(Safetensors.code(e.dtype()));
				assertThat(t.get("shape").size()).isEqualTo(e.shape().length);
				for (int i = 0; i < e.shape().length; i++) {
					assertThat(t.get("shape").get(i).asInt()).isEqualTo(e.shape()[i]);
				}
				assertThat(t.get("data_offsets").get(0).asLong()).isEqualTo(offset);
				offset += e.numel() * e.dtype().size();
				assertThat(t.get("data_offsets").get(1).asLong()).isEqualTo(offset);
			}
		}
	}

	/** Offsets past 2^32 (a 4 GiB file) are written whole. */
	@Test
	void offsetsAreLongs() {
		long numel = 1L << 31;
		byte[] h = Safetensors.header(List.of(new Entry("a", DType.FLOAT64, new int[] { 1 << 16, 1 << 15 }, numel),
				new Entry("b", DType.FLOAT32, new int[] { 1 }, 1)), Map.of());
		JsonNode header = Fixtures.JSON.readTree(new String(h, 8, h.length - 8, StandardCharsets.UTF_8).strip());
		assertThat(header.get("b").get("data_offsets").get(0).asLong()).isEqualTo(8 * numel);
		assertThat(header.get("b").get("data_offsets").get(1).asLong()).isEqualTo(8 * numel + 4);
	}

	/**
	 * The name is safetensors' metadata key: such a tensor would replace the metadata in
	 * the header and leave a file no reader accepts (the planner refuses the request).
	 */
	@Test
	void aTensorCannotBeNamedLikeTheMetadata() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Safetensors.header(List.of(new Entry("__metadata__", DType.FLOAT32, new int[] { 2 }, 2)),
					Map.of("seed", "1")))
			.withMessageContaining("__metadata__");
	}

	static DType byCode(String code) {
		return Stream.of(DType.values()).filter((d) -> Safetensors.code(d).equals(code)).findFirst().orElseThrow();
	}

}
