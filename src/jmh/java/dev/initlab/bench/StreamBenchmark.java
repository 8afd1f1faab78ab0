package dev.initlab.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.initlab.generation.Blueprint;
import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.generation.Seeding;
import dev.initlab.generation.TensorFile;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * A whole safetensors body of a 4096 x 4096 float32 kaiming_normal tensor written to a
 * discarding stream, on 1 thread and on the pool: generation + rounding + encoding. One
 * operation = one element.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class StreamBenchmark {

	static final int SIDE = 4096;

	@Param({ "1", "2" })
	public int threads;

	private Plan plan;

	private GenerationExecutor executor;

	@Setup(Level.Trial)
	public void setUp() {
		Planner planner = new Planner(new GenerationLimits(1L << 30, 1L << 22, 4096, 1L << 24));
		Policy policy = new Policy(null, InitSpec.of("kaiming_normal"), null, null, null, null, null);
		this.plan = planner.plan(new Blueprint(1L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR,
				policy, List.of(new RawTensor("w", "tensor", List.of(SIDE, SIDE), null, null, null, null, null)), true,
				true), OutputFormat.SAFETENSORS, null);
		this.executor = new GenerationExecutor(new GenerationLimits(1L << 30, 1L << 22, 4096, 1L << 24, this.threads));
	}

	@TearDown
	public void tearDown() {
		this.executor.destroy();
	}

	@Benchmark
	@OperationsPerInvocation(SIDE * SIDE)
	public long safetensors() throws IOException {
		Counting out = new Counting();
		new TensorFile(this.plan, OutputFormat.SAFETENSORS, (this.threads > 1) ? this.executor : null).writeTo(out);
		return out.count;
	}

	static final class Counting extends OutputStream {

		long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] b, int off, int len) {
			this.count += len;
		}

	}

}
