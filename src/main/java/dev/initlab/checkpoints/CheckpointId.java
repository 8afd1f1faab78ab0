package dev.initlab.checkpoints;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.initlab.problems.InvalidRequestException;

/**
 * A checkpoint's id: the canonical request itself, so any replica can serve it with no
 * shared store.
 * <p>
 * The token is base64url without padding of {@code version (1 byte) · check (16 bytes) ·
 * deflate(canonical JSON)}, where {@code check} is the first 16 bytes of SHA-256 over
 * {@code version · deflated bytes}, and the canonical JSON is the request with its object
 * keys sorted, no whitespace, integers as integers and other numbers as the shortest
 * decimal that reads back as the same double ({@code 1e-2} and {@code 0.010} are both
 * {@code 0.01}). The deflater's level is fixed ({@link Deflater#BEST_COMPRESSION}), so
 * the same request gives the same id. The check catches an id changed or cut short (it is
 * not a signature: anyone may make an id by posting a request, and every id is planned
 * and checked like a request).
 */
public final class CheckpointId {

	/** The token format; a new format gets a new version byte. */
	static final byte VERSION = 1;

	private static final int CHECK = 16;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private CheckpointId() {
	}

	/** The canonical form of a JSON request: sorted keys, normalized numbers. */
	public static JsonNode canonical(JsonNode node) {
		if (node.isObject()) {
			Map<String, JsonNode> sorted = new TreeMap<>();
			for (Map.Entry<String, JsonNode> e : node.properties()) {
				sorted.put(e.getKey(), canonical(e.getValue()));
			}
			ObjectNode out = JsonNodeFactory.instance.objectNode();
			sorted.forEach(out::set);
			return out;
		}
		if (node.isArray()) {
			var out = JsonNodeFactory.instance.arrayNode();
			for (JsonNode item : node) {
				out.add(canonical(item));
			}
			return out;
		}
		if (node.isIntegralNumber()) {
			return JsonNodeFactory.instance.numberNode(node.bigIntegerValue());
		}
		if (node.isNumber()) {
			double value = node.doubleValue();
			if (!Double.isFinite(value)) {
				throw new InvalidRequestException("request", "the number " + node + " is out of the range of a double");
			}
			return JsonNodeFactory.instance.numberNode(value);
		}
		return node;
	}

	/** The id of a request (already canonical). */
	public static String encode(JsonNode canonical) {
		byte[] json = JSON.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8);
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		ByteArrayOutputStream payload = new ByteArrayOutputStream();
		try {
			deflater.setInput(json);
			deflater.finish();
			byte[] buffer = new byte[4096];
			while (!deflater.finished()) {
				int n = deflater.deflate(buffer);
				payload.write(buffer, 0, n);
			}
		}
		finally {
			deflater.end();
		}
		byte[] deflated = payload.toByteArray();
		byte[] token = new byte[1 + CHECK + deflated.length];
		token[0] = VERSION;
		System.arraycopy(check(VERSION, deflated), 0, token, 1, CHECK);
		System.arraycopy(deflated, 0, token, 1 + CHECK, deflated.length);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
	}

	/**
	 * The request an id holds.
	 * @param maxBytes the most bytes of JSON it may inflate to
	 * @throws InvalidRequestException (400, "invalid checkpoint id") when the id is not
	 * one this service made, or was changed
	 */
	public static JsonNode decode(String id, int maxBytes) {
		byte[] token;
		try {
			token = Base64.getUrlDecoder().decode(id);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("it is not base64url");
		}
		if (!Base64.getUrlEncoder().withoutPadding().encodeToString(token).equals(id)) {
			// padding, or unused bits set in the last character: not an id this service
			// made
			throw invalid("it is not base64url as this service writes it");
		}
		if (token.length <= 1 + CHECK) {
			throw invalid("it is too short");
		}
		if (token[0] != VERSION) {
			throw invalid("unknown id version " + token[0] + "; this service makes version " + VERSION);
		}
		byte[] deflated = Arrays.copyOfRange(token, 1 + CHECK, token.length);
		if (!MessageDigest.isEqual(Arrays.copyOfRange(token, 1, 1 + CHECK), check(token[0], deflated))) {
			throw invalid("its integrity check fails (was it changed or cut short?)");
		}
		Inflater inflater = new Inflater(true);
		ByteArrayOutputStream json = new ByteArrayOutputStream();
		try {
			inflater.setInput(deflated);
			byte[] buffer = new byte[4096];
			while (!inflater.finished()) {
				int n = inflater.inflate(buffer);
				if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
					throw invalid("its payload is cut short");
				}
				json.write(buffer, 0, n);
				if (json.size() > maxBytes) {
					throw invalid("its request is larger than " + maxBytes + " bytes");
				}
			}
		}
		catch (DataFormatException ex) {
			throw invalid("its payload is not deflated JSON");
		}
		finally {
			inflater.end();
		}
		try {
			return canonical(JSON.readTree(json.toByteArray()));
		}
		catch (JacksonException ex) {
			throw invalid("its payload is not JSON");
		}
	}

	private static byte[] check(byte version, byte[] deflated) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(version);
			return Arrays.copyOf(sha.digest(deflated), CHECK);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

	private static InvalidRequestException invalid(String why) {
		return new InvalidRequestException("id",
				"invalid checkpoint id: " + why + "; POST the request to /api/v1/checkpoints for a valid one");
	}

}
