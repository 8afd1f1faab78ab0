package dev.initlab.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
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
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

/**
 * Time to draw a square orthogonal matrix as a request does: normal draws, the blocked
 * Householder QR (the calling thread plus the common pool, one helper per further
 * processor), sign fix, rounding to the dtype. A float32 tensor is factored in float32 (as
 * PyTorch's), a float64 one in double: the {@code float64} rows are the double QR that
 * float32 tensors took before generation version 3, measured in the same run. Compare
 * with PyTorch in the same session: {@code torch.nn.init.orthogonal_(torch.empty(n, n))}
 * at its default thread count ({@code bench/orthogonal_torch.py}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5)
@Measurement(iterations = 5)
public class OrthogonalBenchmark {

	@Param({ "1024", "4096" })
	public int side;

	@Param({ "float32", "float64" })
	public String dtype;

	private Plan plan;

	@Setup(Level.Trial)
	public void setUp() {
		Planner planner = new Planner(new GenerationLimits(1L << 30, 1L << 22, 4096, 1L << 25));
		Policy policy = new Policy(null, InitSpec.of("orthogonal"), null, null, null, null, null);
		DType type = DType.valueOf(this.dtype.toUpperCase(java.util.Locale.ROOT));
		this.plan = planner.plan(new Blueprint(1L, Generator.DEFAULT, type, Layout.PYTORCH, Seeding.PER_TENSOR, policy,
				List.of(new RawTensor("w", "tensor", List.of(this.side, this.side), null, null, null, null, null)),
				true, false), OutputFormat.SAFETENSORS, null);
	}

	@Benchmark
	public void orthogonal(Blackhole blackhole) {
		new TensorSource(this.plan).generate(0, (values, off, len) -> blackhole.consume(values[off]));
	}

}
