package dev.initlab.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Caps on what a request body may hold, checked while it is read, before any of it
 * becomes an object; each is a configuration property under {@code initlab.request}.
 * Beyond {@code max-body-size} the answer is 413, beyond the others 400; the problem's
 * {@code detail} names the property.
 *
 * @param maxBodySize bytes of request body, whether or not {@code Content-Length} is sent
 * (a chunked body is cut off at the limit)
 * @param maxNestingDepth levels of nested JSON arrays and objects (the largest valid
 * request nests about 5 deep)
 * @param maxStringLength characters in one JSON string or property name (Jackson checks a
 * string each time its text buffer fills, so one up to about 1.5 times as long can pass;
 * none longer)
 * @param maxNumberLength digits in one JSON number, fraction and exponent included (a
 * double needs at most 17 significant digits and 3 of exponent)
 */
@ConfigurationProperties(RequestLimits.PREFIX)
record RequestLimits(@DefaultValue("4MB") DataSize maxBodySize, @DefaultValue("32") int maxNestingDepth,
		@DefaultValue("10000") int maxStringLength, @DefaultValue("100") int maxNumberLength) {

	static final String PREFIX = "initlab.request";

	static final String MAX_BODY_SIZE = PREFIX + ".max-body-size";

	static final String MAX_NESTING_DEPTH = PREFIX + ".max-nesting-depth";

	static final String MAX_STRING_LENGTH = PREFIX + ".max-string-length";

	static final String MAX_NUMBER_LENGTH = PREFIX + ".max-number-length";

	RequestLimits {
		if (maxBodySize == null || maxBodySize.toBytes() < 1) {
			throw new IllegalArgumentException(MAX_BODY_SIZE + " must be at least 1 byte");
		}
		if (maxNestingDepth < 1 || maxStringLength < 1 || maxNumberLength < 1) {
			throw new IllegalArgumentException(
					MAX_NESTING_DEPTH + ", " + MAX_STRING_LENGTH + " and " + MAX_NUMBER_LENGTH + " must be at least 1");
		}
	}

}
