package dev.initlab.checkpoints;

import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.initlab.problems.ProblemTypes;

/**
 * One byte range of a file of {@code size} bytes, {@code [first, last]} inclusive, as RFC
 * 9110 section 14 reads a {@code Range} header.
 * <p>
 * The choices RFC 9110 leaves to a server: a header with several ranges is ignored (the
 * whole file, 200; section 14.2 allows ignoring {@code Range}, and serving one range per
 * request keeps every response a plain stream with an exact {@code Content-Length}), as
 * is one that does not parse or names another unit than {@code bytes} (which section 14.2
 * requires); a single range none of whose bytes exist is 416 with
 * {@code Content-Range: bytes *}{@code /size}.
 *
 * @param first the first byte
 * @param last the last byte (inclusive)
 * @param size the file's size
 */
public record ByteRange(long first, long last, long size) {

	/** Bytes in the range. */
	public long length() {
		return this.last - this.first + 1;
	}

	/** The {@code Content-Range} value of a 206. */
	public String contentRange() {
		return "bytes " + this.first + "-" + this.last + "/" + this.size;
	}

	/**
	 * The range a {@code Range} header asks for.
	 * @return the range, or null when the header is absent or ignored (serve the whole
	 * file)
	 * @throws NotSatisfiable when the one range asked for starts beyond the end
	 */
	public static ByteRange parse(String header, long size) {
		if (header == null) {
			return null;
		}
		int eq = header.indexOf('=');
		if (eq < 0 || !header.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("bytes")) {
			return null;
		}
		String set = header.substring(eq + 1).strip();
		if (set.isEmpty() || set.indexOf(',') >= 0) {
			return null;
		}
		int dash = set.indexOf('-');
		if (dash < 0) {
			return null;
		}
		String a = set.substring(0, dash).strip();
		String b = set.substring(dash + 1).strip();
		if (a.isEmpty()) {
			Long suffix = digits(b);
			if (suffix == null) {
				return null;
			}
			if (suffix == 0) {
				throw new NotSatisfiable(size);
			}
			return new ByteRange(Math.max(0, size - suffix), size - 1, size);
		}
		Long first = digits(a);
		Long last = b.isEmpty() ? Long.valueOf(Long.MAX_VALUE) : digits(b);
		if (first == null || last == null || last < first) {
			return null;
		}
		if (first >= size) {
			throw new NotSatisfiable(size);
		}
		return new ByteRange(first, Math.min(last, size - 1), size);
	}

	/** A non-negative decimal, saturating at Long.MAX_VALUE; null if not digits. */
	private static Long digits(String s) {
		if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
			return null;
		}
		try {
			return Long.parseLong(s);
		}
		catch (NumberFormatException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * 416 with {@code Content-Range: bytes *}{@code /size} (RFC 9110 section 15.5.17).
	 */
	public static final class NotSatisfiable extends ErrorResponseException {

		NotSatisfiable(long size) {
			super(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, problem(size), null);
			getHeaders().set(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
		}

		private static ProblemDetail problem(long size) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
					"The range starts beyond the file's last byte; the file has " + size + " bytes (0-" + (size - 1)
							+ ").");
			problem.setType(ProblemTypes.of("range-not-satisfiable"));
			problem.setTitle("Range Not Satisfiable");
			problem.setProperty("size", size);
			return problem;
		}

	}

}
