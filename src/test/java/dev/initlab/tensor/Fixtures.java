package dev.initlab.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the framework fixtures under {@code src/test/resources/reference/} (each written
 * by the Python script of the same name beside it).
 */
final class Fixtures {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private Fixtures() {
	}

	static JsonNode read(String name) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/reference/" + name)) {
			if (in == null) {
				throw new IllegalStateException("reference/" + name + " is not on the test class path");
			}
			return JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A float64 from the 16 hex digits of its raw bits. */
	static double float64(String hexBits) {
		return Double.longBitsToDouble(Long.parseUnsignedLong(hexBits, 16));
	}

}
