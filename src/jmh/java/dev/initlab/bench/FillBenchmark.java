package dev.initlab.bench;

import java.io.IOException;
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
import org.openjdk.jmh.infra.Blackhole;

import dev.initlab.generation.Blueprint;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Planner;
import dev.initlab.generation.Seeding;
import dev.initlab.generation.TensorSource;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * Fill throughput on one thread, per scheme × generator × dtype. {@code bytes}: draw, round
 * and encode each 64K block as the binary formats write it (the fused path of affine
 * fills); {@code fill}: draw and round into doubles, as JSON and stats read them. Scores are
 * in operations per second, one operation = one element.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class FillBenchmark {

	static final int ELEMENTS = 1 << 22;

	@Param({ "normal", "uniform" })
	public String scheme;

	@Param({ "xoshiro256pp", "l64x128mix", "splitmix64", "mt19937" })
	public String rng;

	@Param({ "float32", "float64", "float16" })
	public String dtype;

	private Plan plan;

	@Setup(Level.Trial)
	public void plan() {
		Planner planner = new Planner(new GenerationLimits(1L << 30, 1L << 22, 4096, 1L << 24));
		LayerSpec tensor = new RawTensor("w", "tensor", List.of(2048, ELEMENTS / 2048), null, null, null, null, null);
		Policy policy = new Policy(null, InitSpec.of(this.scheme), null, null, null, null, null);
		this.plan = planner.plan(new Blueprint(1L, Generator.byName(this.rng).orElseThrow(),
				DType.byName(this.dtype).orElseThrow(), Layout.PYTORCH, Seeding.PER_TENSOR, policy, List.of(tensor), true,
				false), OutputFormat.SAFETENSORS, null);
	}

	@Benchmark
	@OperationsPerInvocation(ELEMENTS)
	public void bytes(Blackhole blackhole) throws IOException {
		encodedBytes((bytes, len) -> blackhole.consume(bytes[len - 1]));
	}

	/** What {@link #bytes} does, for {@link FillCpuTime}. */
	void encodedBytes(TensorSource.ByteSink sink) throws IOException {
		new TensorSource(this.plan).generateBytes(0, sink);
	}

	@Benchmark
	@OperationsPerInvocation(ELEMENTS)
	public void fill(Blackhole blackhole) {
		new TensorSource(this.plan).generate(0, (values, off, len) -> blackhole.consume(values[off + len - 1]));
	}

}
