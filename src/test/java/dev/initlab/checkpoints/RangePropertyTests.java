package dev.initlab.checkpoints;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.Plan;
import dev.initlab.generation.PlannedTensor;
import dev.initlab.generation.TensorSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property a parallel download rests on: every byte range of a checkpoint file,
 * generated alone from the block that holds its first byte, equals the same slice of the
 * whole file; and the whole file equals the header followed by each tensor as the
 * ordinary generation path ({@link TensorSource#generateBytes}, in plan order) draws it.
 * <p>
 * Files cover what changes how a range is drawn: a sharded GPT-2 whose embedding spans
 * several blocks, drawn in parallel on a pool; bfloat16 with a whole-tensor scheme
 * (orthogonal, drawn whole, sliced) and an embedding's zeroed padding row; the NumPy
 * streams (one stream per tensor: the blocks before the range are drawn and discarded) in
 * float64 and float16. 1,000 ranges from a fixed seed, a third of them at a boundary (the
 * header's end, a tensor's start, a block's start, the last byte) give or take a few
 * bytes.
 */
class RangePropertyTests {

	static GenerationExecutor executor;

	static final List<CheckpointFile> FILES = new ArrayList<>();

	static final Map<String, byte[]> EXPECTED = new HashMap<>();

	static final Map<String, long[]> BOUNDARIES = new HashMap<>();

	@BeforeAll
	static void files() throws IOException {
		executor = new GenerationExecutor(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24, 2));
		add(Requests.plan("""
				{"seed": 11, "model": {"architecture": "transformers/GPT2LMHeadModel",
				 "config": {"n_layer": 2, "n_embd": 64, "n_head": 4, "vocab_size": 5000, "n_positions": 128}}}"""),
				"400KB", executor);
		add(Requests
			.plan("""
					{"seed": 12, "dtype": "bfloat16",
					 "layers": [{"name": "emb", "type": "embedding", "num_embeddings": 2100, "embedding_dim": 64, "padding_idx": 1500},
					            {"name": "sq", "type": "linear", "in_features": 300, "out_features": 300,
					             "init": {"weight": {"scheme": "orthogonal"}}},
					            {"name": "out", "type": "linear", "in_features": 300, "out_features": 7}]}"""),
				"5GB", null);
		add(Requests.plan("""
				{"seed": 13, "rng": "numpy_legacy", "dtype": "float64", "init": {"preset": "small_random"},
				 "layers": [{"name": "fc1", "type": "linear", "in_features": 400, "out_features": 350},
				            {"name": "fc2", "type": "linear", "in_features": 350, "out_features": 3}]}"""), "5GB",
				executor);
		add(Requests.plan("""
				{"seed": 14, "rng": "numpy_pcg64", "dtype": "float16",
				 "layers": [{"name": "fc1", "type": "linear", "in_features": 500, "out_features": 300}]}"""), "5GB",
				null);
	}

	@AfterAll
	static void shutdown() {
		executor.destroy();
	}

	private static void add(Plan plan, String maxShardSize, GenerationExecutor pool) throws IOException {
		Map<String, byte[]> tensors = new HashMap<>();
		try (TensorSource source = new TensorSource(plan)) {
			for (int i = 0; i < plan.tensors().size(); i++) {
				PlannedTensor t = plan.tensors().get(i);
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				source.generateBytes(i, (bytes, len) -> out.write(bytes, 0, len));
				tensors.put(t.spec().name(), out.toByteArray());
			}
		}
		for (CheckpointFile file : CheckpointFiles.of(plan, ShardSize.parse(maxShardSize), pool).files()) {
			if (!(file instanceof SafetensorsShard shard)) {
				continue;
			}
			String key = FILES.size() + "/" + file.name();
			FILES.add(file);
			ByteArrayOutputStream expected = new ByteArrayOutputStream();
			byte[] header = shard.header();
			expected.write(header);
			List<Long> boundaries = new ArrayList<>(List.of(0L, (long) header.length, file.size() - 1));
			long n = ByteBuffer.wrap(header, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
			JsonNode json = JsonMapper.builder()
				.build()
				.readTree(new String(header, 8, (int) n, StandardCharsets.UTF_8));
			for (String name : shard.tensorNames()) {
				long start = header.length + json.get(name).get("data_offsets").get(0).asLong();
				int size = plan.tensors()
					.stream()
					.filter(t -> t.spec().name().equals(name))
					.findFirst()
					.orElseThrow()
					.dtypeIn(plan.dtype())
					.size();
				for (long b = start; b < start + tensors.get(name).length; b += (long) TensorSource.BLOCK * size) {
					boundaries.add(b);
				}
				expected.write(tensors.get(name));
			}
			EXPECTED.put(key, expected.toByteArray());
			BOUNDARIES.put(key, boundaries.stream().mapToLong(Long::longValue).toArray());
		}
	}

	@Test
	void theFilesAreSeveralAndSpanBlocks() {
		assertThat(FILES).hasSizeGreaterThanOrEqualTo(6);
		assertThat(BOUNDARIES.values().stream().mapToInt(b -> b.length).sum()).isGreaterThan(60);
	}

	@Test
	void aWholeFileIsItsHeaderAndTheTensorsAsGenerationDrawsThem() throws IOException {
		for (int f = 0; f < FILES.size(); f++) {
			CheckpointFile file = FILES.get(f);
			byte[] expected = EXPECTED.get(f + "/" + file.name());
			assertThat(expected).as(file.name()).hasSize((int) file.size());
			assertThat(write(file, 0, file.size())).as(file.name()).isEqualTo(expected);
		}
	}

	@Test
	void aThousandSeededRandomRangesEachEqualTheSliceOfTheWholeFile() throws IOException {
		SplittableRandom random = new SplittableRandom(20261205L);
		int atBoundaries = 0;
		for (int k = 0; k < 1000; k++) {
			int f = random.nextInt(FILES.size());
			CheckpointFile file = FILES.get(f);
			String key = f + "/" + file.name();
			long size = file.size();
			long from;
			long to;
			if (k % 3 == 0) {
				long[] boundaries = BOUNDARIES.get(key);
				long b = boundaries[random.nextInt(boundaries.length)];
				from = Math.max(0, Math.min(size - 1, b + random.nextInt(-8, 9)));
				to = Math.min(size, from + 1 + random.nextLong(1 + (long) TensorSource.BLOCK * 9));
				atBoundaries++;
			}
			else if (k % 3 == 1) {
				from = random.nextLong(size);
				to = Math.min(size, from + 1 + random.nextLong(4096));
			}
			else {
				long a = random.nextLong(size);
				long b = random.nextLong(size);
				from = Math.min(a, b);
				to = Math.max(a, b) + 1;
			}
			assertThat(write(file, from, to)).as("%s [%d, %d)", key, from, to)
				.isEqualTo(Arrays.copyOfRange(EXPECTED.get(key), (int) from, (int) to));
		}
		assertThat(atBoundaries).isEqualTo(334);
	}

	@Test
	void aWholeFileIsTheConcatenationOfItsRanges() throws IOException {
		SplittableRandom random = new SplittableRandom(7L);
		for (int f = 0; f < FILES.size(); f++) {
			CheckpointFile file = FILES.get(f);
			ByteArrayOutputStream joined = new ByteArrayOutputStream();
			for (long from = 0; from < file.size();) {
				long to = Math.min(file.size(), from + 1 + random.nextLong(300_000));
				file.write(from, to, joined);
				from = to;
			}
			assertThat(joined.toByteArray()).as(file.name()).isEqualTo(EXPECTED.get(f + "/" + file.name()));
		}
	}

	static byte[] write(CheckpointFile file, long from, long to) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		file.write(from, to, out);
		return out.toByteArray();
	}

}
