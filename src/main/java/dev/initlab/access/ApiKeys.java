package dev.initlab.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured API keys, parsed once: each a name and the SHA-256 of its secret. A
 * presented key is hashed and compared with every configured one in constant time, so
 * neither the timing nor the length of a guess tells how close it was.
 */
final class ApiKeys {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

	private final List<Key> keys;

	private ApiKeys(List<Key> keys) {
		this.keys = keys;
	}

	/**
	 * Parses {@code initlab.security.api-keys}.
	 * @throws IllegalArgumentException for an empty secret, a malformed or repeated name,
	 * or a repeated secret; the message names the entry by position, never by secret
	 */
	static ApiKeys parse(List<String> entries) {
		List<Key> keys = new ArrayList<>();
		Set<String> names = new HashSet<>();
		Set<String> digests = new HashSet<>();
		for (int i = 0; i < entries.size(); i++) {
			String entry = entries.get(i).strip();
			String where = "initlab.security.api-keys[" + i + "]";
			int colon = entry.indexOf(':');
			String name = (colon >= 0) ? entry.substring(0, colon) : "key-" + (i + 1);
			String secret = (colon >= 0) ? entry.substring(colon + 1) : entry;
			if (!NAME.matcher(name).matches()) {
				throw new IllegalArgumentException(where + ": the name before ':' must be 1 to 64 letters, digits or "
						+ "'._@-' (a secret that contains ':' needs a name: name:secret)");
			}
			if (secret.isBlank()) {
				throw new IllegalArgumentException(where + " ('" + name + "'): the secret is empty");
			}
			if (!names.add(name)) {
				throw new IllegalArgumentException(where + ": the name '" + name + "' is used twice");
			}
			byte[] digest = sha256(secret);
			if (!digests.add(new String(digest, StandardCharsets.ISO_8859_1))) {
				throw new IllegalArgumentException(where + " ('" + name + "'): the same secret is configured twice");
			}
			keys.add(new Key(name, digest));
		}
		return new ApiKeys(List.copyOf(keys));
	}

	boolean isEmpty() {
		return this.keys.isEmpty();
	}

	/** The name of the key whose secret this is. Looks at every key whatever it finds. */
	Optional<String> owner(String presented) {
		byte[] digest = sha256(presented);
		String owner = null;
		for (Key key : this.keys) {
			if (MessageDigest.isEqual(key.digest(), digest)) {
				owner = key.name();
			}
		}
		return Optional.ofNullable(owner);
	}

	private static byte[] sha256(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every Java platform has SHA-256", ex);
		}
	}

	private record Key(String name, byte[] digest) {
	}

}
