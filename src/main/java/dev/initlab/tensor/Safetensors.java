package dev.initlab.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code __metadata__}: string to string; per tensor {@code dtype}, {@code shape},
 * {@code data_offsets} relative to the end of the header), padded with spaces so the data
 * starts 8-byte aligned, then the tensors' little-endian bytes, contiguous, in header
 * order.
 */
public final class Safetensors {

	/** The header key of the metadata, which no tensor may have as its name. */
	public static final String METADATA = "__metadata__";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Safetensors() {
	}

	/** One tensor of the file. */
	public record Entry(String name, DType dtype, int[] shape, long numel) {
	}

	/** The safetensors dtype code. */
	public static String code(DType dtype) {
		return switch (dtype) {
			case FLOAT32 -> "F32";
			case FLOAT64 -> "F64";
			case FLOAT16 -> "F16";
			case BFLOAT16 -> "BF16";
			case INT64 -> "I64";
		};
	}

	/** Length prefix plus padded JSON header. */
	public static byte[] header(List<Entry> entries, Map<String, String> metadata) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put(METADATA, metadata);
		long offset = 0;
		for (Entry e : entries) {
			if (e.name().equals(METADATA)) {
				throw new IllegalArgumentException("a tensor cannot be named " + METADATA + ", the metadata's key");
			}
			long end = offset + e.numel() * e.dtype().size();
			Map<String, Object> t = new LinkedHashMap<>();
			t.put("dtype", code(e.dtype()));
			t.put("shape", e.shape());
			t.put("data_offsets", new long[] { offset, end });
			header.put(e.name(), t);
			offset = end;
		}
		byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
		out.putLong(padded);
		out.put(json);
		while (out.hasRemaining()) {
			out.put((byte) ' ');
		}
		return out.array();
	}

}
