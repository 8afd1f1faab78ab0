package dev.initlab.generation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.RawTensor;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Blocks drawn on many threads come out byte for byte as blocks drawn on one: each
 * block's stream depends only on (seed, tensor name, block index).
 */
class ParallelGenerationTests {

	private final Planner planner = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	@ParameterizedTest
	@ValueSource(strings = { "xoshiro256pp", "mt19937", "splitmix64" })
	void anyThreadCountGivesTheSameBytes(String rng) throws IOException {
		// 5.5 blocks of normals, 3.2 of uniforms, for every output format
		Blueprint request = new Blueprint(7L, Generator.byName(rng).orElseThrow(), DType.FLOAT32, Layout.PYTORCH,
				Seeding.PER_TENSOR, new Policy(null, InitSpec.of("kaiming_normal"), null, null, null, null, null),
				List.<LayerSpec>of(tensor("a", 11, 32768, null), tensor("b", 7, 30000, InitSpec.of("uniform"))), true,
				true);
		for (OutputFormat format : List.of(OutputFormat.NPZ, OutputFormat.SAFETENSORS)) {
			Plan plan = this.planner.plan(request, format, null);
			byte[] serial = write(new TensorFile(plan, format));
			for (int threads : new int[] { 1, 2, 5 }) {
				ExecutorService pool = Executors.newFixedThreadPool(threads);
				try {
					byte[] parallel = write(new TensorFile(plan, format, new GenerationExecutorStub(pool, threads)));
					assertThat(parallel).as("%s with %d threads", format, threads).isEqualTo(serial);
				}
				finally {
					pool.shutdownNow();
				}
			}
		}
	}

	private static RawTensor tensor(String name, int rows, int cols, InitSpec init) {
		Policy policy = (init != null) ? new Policy(null, init, null, null, null, null, null) : null;
		return new RawTensor(name, "tensor", List.of(rows, cols), null, null, null, null, policy);
	}

	private static byte[] write(TensorFile file) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		file.writeTo(out);
		return out.toByteArray();
	}

	/** A {@link GenerationExecutor} over a given pool. */
	static final class GenerationExecutorStub extends GenerationExecutor {

		private final ExecutorService pool;

		private final int threads;

		GenerationExecutorStub(ExecutorService pool, int threads) {
			super(new GenerationLimits(1, 1, 1, 1, 1));
			this.pool = pool;
			this.threads = threads;
		}

		@Override
		public TensorSource source(Plan plan) {
			return new TensorSource(plan, this.pool, this.threads);
		}

	}

}
