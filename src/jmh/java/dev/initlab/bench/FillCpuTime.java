package dev.initlab.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link FillBenchmark#bytes} timed by the thread's CPU time, alternating round by round
 * between uniform float32 (two 24-bit uniforms per 64-bit output) and uniform float64 (one
 * 53-bit uniform per output, the cost float32 had before), per Commons RNG generator: as
 * {@link JsonCpuTime}, the cost of the work on a shared machine. Prints elements per
 * CPU-second. Run as {@link JsonCpuTime}, with {@code dev.initlab.bench.FillCpuTime}.
 */
public final class FillCpuTime {

	private FillCpuTime() {
	}

	public static void main(String[] args) throws IOException {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		String[] rngs = { "xoshiro256pp", "splitmix64", "l64x128mix" };
		String[] dtypes = { "float32", "float64" };
		FillBenchmark[][] benches = new FillBenchmark[rngs.length][dtypes.length];
		for (int g = 0; g < rngs.length; g++) {
			for (int d = 0; d < dtypes.length; d++) {
				FillBenchmark bench = new FillBenchmark();
				bench.scheme = "uniform";
				bench.rng = rngs[g];
				bench.dtype = dtypes[d];
				bench.plan();
				benches[g][d] = bench;
			}
		}
		long[] sink = { 0 };
		int rounds = 8;
		int warmUp = 3;
		int reps = 4;
		for (int round = 0; round < rounds; round++) {
			StringBuilder line = new StringBuilder("round " + round);
			for (int g = 0; g < rngs.length; g++) {
				for (int d = 0; d < dtypes.length; d++) {
					long start = threads.getCurrentThreadCpuTime();
					for (int r = 0; r < reps; r++) {
						benches[g][d].encodedBytes((bytes, len) -> sink[0] += bytes[len - 1]);
					}
					double seconds = (threads.getCurrentThreadCpuTime() - start) * 1e-9;
					line.append(String.format(" %s/%s %.3g", rngs[g], dtypes[d],
							reps * (double) FillBenchmark.ELEMENTS / seconds));
				}
			}
			System.out.println(line + ((round < warmUp) ? " (warm-up)" : "") + " elements per CPU-second");
		}
		System.out.println("(checksum " + sink[0] + ")");
	}

}
