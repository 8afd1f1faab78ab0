package dev.initlab.bench;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import tools.jackson.databind.ObjectWriter;

/**
 * {@link JsonBenchmark}'s two paths timed by the thread's CPU time instead of the wall
 * clock, alternating round by round: on a machine shared with other work, JMH's
 * wall-clock throughput measures the share of a core the benchmark got, this the cost of
 * the work. Prints float32 values written per CPU-second, per round. Run (after the JMH
 * command has compiled the benchmarks):
 *
 * <pre>
 * java -cp "target/test-classes:target/classes:$(./mvnw -q -P bench dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)" dev.initlab.bench.JsonCpuTime
 * </pre>
 */
public final class JsonCpuTime {

	private JsonCpuTime() {
	}

	public static void main(String[] args) {
		JsonBenchmark bench = new JsonBenchmark();
		bench.setUp();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int values = JsonBenchmark.ROWS * JsonBenchmark.COLS;
		int rounds = 10;
		int warmUp = 3;
		int reps = 3;
		for (int round = 0; round < rounds; round++) {
			StringBuilder line = new StringBuilder("round " + round);
			for (boolean raw : new boolean[] { true, false }) {
				ObjectWriter writer = raw ? bench.dataWriter() : bench.tokenWriter();
				long start = threads.getCurrentThreadCpuTime();
				for (int r = 0; r < reps; r++) {
					writer.writeValue(OutputStream.nullOutputStream(), bench.values());
				}
				double seconds = (threads.getCurrentThreadCpuTime() - start) * 1e-9;
				line.append(String.format(" %s %.3g", raw ? "data" : "tokenByToken", reps * values / seconds));
			}
			System.out.println(line + ((round < warmUp) ? " (warm-up)" : "") + " floats per CPU-second");
		}
	}

}
