package dev.initlab.problems;

import java.net.URI;

/** Stable problem {@code type} URIs of initlab. */
public final class ProblemTypes {

	private static final String BASE = "https://initlab.dev/problems/";

	/** A field of the request is invalid; {@code errors} names each. */
	public static final URI INVALID_REQUEST = URI.create(BASE + "invalid-request");

	/** A configured limit was exceeded; {@code detail} names the property. */
	public static final URI LIMIT_EXCEEDED = URI.create(BASE + "limit-exceeded");

	private ProblemTypes() {
	}

	public static URI of(String slug) {
		return URI.create(BASE + slug);
	}

}
