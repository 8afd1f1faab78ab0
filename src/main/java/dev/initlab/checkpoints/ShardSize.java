package dev.initlab.checkpoints;

import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.initlab.problems.InvalidRequestException;

/**
 * {@code max_shard_size} as Hugging Face reads it ({@code huggingface_hub}'s
 * {@code parse_size_to_int}): a number of bytes, or a decimal number followed by
 * {@code KB}, {@code MB}, {@code GB} or {@code TB} in decimal units ("5GB" = 5·10^9
 * bytes, "1.5MB" = 1,500,000), the unit case-insensitive; the product is truncated to
 * whole bytes as Python's {@code int(value * multiplier)} does.
 */
final class ShardSize {

	/** save_pretrained's default. */
	static final String DEFAULT = "5GB";

	static final String FIELD = "max_shard_size";

	private static final Map<String, Long> UNITS = Map.of("KB", 1_000L, "MB", 1_000_000L, "GB", 1_000_000_000L, "TB",
			1_000_000_000_000L);

	private ShardSize() {
	}

	/** The size in bytes of {@code value} (absent: the default). */
	static long parse(JsonNode value) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			return parse(DEFAULT);
		}
		if (value.isIntegralNumber() && value.canConvertToLong()) {
			return positive(value.longValue(), value.toString());
		}
		if (value.isString()) {
			return parse(value.asString());
		}
		throw invalid(value.toString());
	}

	static long parse(String text) {
		String s = text.strip();
		if (s.length() > 2) {
			Long multiplier = UNITS.get(s.substring(s.length() - 2).toUpperCase(Locale.ROOT));
			if (multiplier != null) {
				String number = s.substring(0, s.length() - 2).strip();
				if (number.matches("[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+\\.")) {
					double bytes = Double.parseDouble(number) * multiplier;
					if (bytes < Long.MAX_VALUE) {
						return positive((long) bytes, text);
					}
				}
			}
		}
		if (s.matches("[0-9]{1,18}")) {
			return positive(Long.parseLong(s), text);
		}
		throw invalid(text);
	}

	private static long positive(long bytes, String text) {
		if (bytes < 1) {
			throw invalid(text);
		}
		return bytes;
	}

	private static InvalidRequestException invalid(String text) {
		return new InvalidRequestException(FIELD, "'" + text + "' is not a size; give bytes (an integer) or a number "
				+ "with a decimal unit: KB, MB, GB, TB (\"5GB\" = 5000000000 bytes, the default)");
	}

}
