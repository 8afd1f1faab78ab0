package dev.initlab.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.initlab.problems.LimitExceededException;

/**
 * Caps the request body at {@code initlab.request.max-body-size} as it is read: a
 * declared {@code Content-Length} above the cap fails at the first read, before a byte is
 * taken; a chunked body fails at the first byte past the cap. The failure surfaces as
 * Spring's {@code HttpMessageNotReadableException} and {@link ProblemDetailsAdvice}
 * answers 413. Tomcat's own caps ({@code server.tomcat.max-http-form-post-size},
 * {@code max-swallow-size}) cover form posts and unread bodies, not JSON.
 */
final class BodySizeFilter extends OncePerRequestFilter implements Ordered {

	private final long limit;

	BodySizeFilter(RequestLimits limits) {
		this.limit = limits.maxBodySize().toBytes();
	}

	@Override
	public int getOrder() {
		// after the character encoding filter, before anything that may read the body
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new Capped(request, this.limit), response);
	}

	/** The request with its body stream capped. */
	private static final class Capped extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		Capped(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CappedStream(super.getInputStream(), getContentLengthLong(), this.limit);
			}
			return this.stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

	private static final class CappedStream extends ServletInputStream {

		private final ServletInputStream in;

		private final long declared;

		private final long limit;

		private long count;

		CappedStream(ServletInputStream in, long declared, long limit) {
			this.in = in;
			this.declared = declared;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n < 0) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.declared > this.limit) {
				throw new TooLarge(this.declared, this.limit, true);
			}
			if (len == 0) {
				return 0;
			}
			long remaining = this.limit - this.count;
			if (remaining <= 0) {
				// at the cap: the body may end exactly here, or go on
				if (this.in.read() < 0) {
					return -1;
				}
				throw new TooLarge(this.limit + 1, this.limit, false);
			}
			int n = this.in.read(b, off, (int) Math.min(len, remaining));
			if (n > 0) {
				this.count += n;
			}
			return n;
		}

		@Override
		public boolean isFinished() {
			return this.in.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.in.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.in.setReadListener(listener);
		}

	}

	/** The body is larger than the cap: 413 naming the property. */
	static final class TooLarge extends IOException implements RequestLimitExceeded {

		private final transient LimitExceededException response;

		TooLarge(long requested, long limit, boolean declared) {
			super("the request body is larger than " + limit + " bytes");
			this.response = new LimitExceededException(HttpStatus.CONTENT_TOO_LARGE,
					declared ? "bytes of request body" : "bytes of request body or more (it was read no further)",
					requested, limit, RequestLimits.MAX_BODY_SIZE, null);
		}

		@Override
		public LimitExceededException response() {
			return this.response;
		}

	}

}
