package dev.initlab.api;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.tensor.DType;

/**
 * Counts what {@code POST /api/v1/initializations} sends:
 * {@code initlab_generation_streamed_bytes_total{format}}, the tensor response bodies'
 * bytes as the server writes them (so a long download shows while it runs), and
 * {@code initlab_generation_elements_total{format, dtype}}, the elements of the responses
 * written in full (a client that hangs up mid-stream adds bytes but no elements). Problem
 * responses count in neither.
 */
@Component
class TensorTraffic extends OncePerRequestFilter implements MeterBinder {

	private static final String PATH = "/api/v1/initializations";

	private static final String ATTRIBUTE = TensorTraffic.class.getName() + ".served";

	private final Map<OutputFormat, LongAdder> bytes = new EnumMap<>(OutputFormat.class);

	private final Map<OutputFormat, Map<DType, LongAdder>> elements = new EnumMap<>(OutputFormat.class);

	TensorTraffic() {
		for (OutputFormat format : OutputFormat.values()) {
			this.bytes.put(format, new LongAdder());
			Map<DType, LongAdder> byType = new EnumMap<>(DType.class);
			for (DType dtype : DType.values()) {
				byType.put(dtype, new LongAdder());
			}
			this.elements.put(format, byType);
		}
	}

	/** What the response to {@code request} will hold, once the controller knows it. */
	static void serving(HttpServletRequest request, Plan plan, OutputFormat format) {
		request.setAttribute(ATTRIBUTE, new Served(format, plan.dtype(), plan.elementCount()));
	}

	private record Served(OutputFormat format, DType dtype, long elements) {
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (OutputFormat format : OutputFormat.values()) {
			String name = format.wireName();
			FunctionCounter.builder("initlab.generation.streamed", this.bytes.get(format), LongAdder::doubleValue)
				.description("Bytes of tensor response bodies written, by format")
				.baseUnit(BaseUnits.BYTES)
				.tag("format", name)
				.register(registry);
			for (DType dtype : DType.values()) {
				FunctionCounter
					.builder("initlab.generation.elements", this.elements.get(format).get(dtype),
							LongAdder::doubleValue)
					.description("Tensor elements generated and sent in full, by format and dtype")
					.tags("format", name, "dtype", dtype.wireName())
					.register(registry);
			}
		}
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && PATH.equals(request.getRequestURI()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Counting counting = new Counting(request, response);
		chain.doFilter(request, counting);
		Served served = (Served) request.getAttribute(ATTRIBUTE);
		if (served != null && !counting.failed && counting.getStatus() < 300) {
			this.elements.get(served.format()).get(served.dtype()).add(served.elements());
		}
	}

	/** The response, its body counted once the controller has said what it holds. */
	private final class Counting extends HttpServletResponseWrapper {

		private final HttpServletRequest request;

		private ServletOutputStream stream;

		private LongAdder counter;

		private boolean failed;

		Counting(HttpServletRequest request, HttpServletResponse response) {
			super(response);
			this.request = request;
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CountingStream(super.getOutputStream());
			}
			return this.stream;
		}

		private void count(int n) {
			if (this.counter == null) {
				Served served = (Served) this.request.getAttribute(ATTRIBUTE);
				if (served == null || getStatus() >= 300) {
					return;
				}
				this.counter = TensorTraffic.this.bytes.get(served.format());
			}
			this.counter.add(n);
		}

		private final class CountingStream extends ServletOutputStream {

			private final ServletOutputStream out;

			CountingStream(ServletOutputStream out) {
				this.out = out;
			}

			@Override
			public void write(int b) throws IOException {
				try {
					this.out.write(b);
				}
				catch (IOException ex) {
					Counting.this.failed = true;
					throw ex;
				}
				count(1);
			}

			@Override
			public void write(byte[] b, int off, int len) throws IOException {
				try {
					this.out.write(b, off, len);
				}
				catch (IOException ex) {
					Counting.this.failed = true;
					throw ex;
				}
				count(len);
			}

			@Override
			public void flush() throws IOException {
				try {
					this.out.flush();
				}
				catch (IOException ex) {
					Counting.this.failed = true;
					throw ex;
				}
			}

			@Override
			public void close() throws IOException {
				this.out.close();
			}

			@Override
			public boolean isReady() {
				return this.out.isReady();
			}

			@Override
			public void setWriteListener(WriteListener listener) {
				this.out.setWriteListener(listener);
			}

		}

	}

}
