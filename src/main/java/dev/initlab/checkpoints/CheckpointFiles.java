package dev.initlab.checkpoints;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.Plan;
import dev.initlab.generation.PlannedTensor;

/**
 * The files of a checkpoint directory, as transformers' {@code save_pretrained} writes
 * them for a plan.
 * <ul>
 * <li>Tied duplicates are left out: only a tie group's first key (its source, e.g.
 * GPT-2's {@code transformer.wte.weight}, not {@code lm_head.weight}) is saved, and the
 * library re-ties on load. Buffers are saved as the state_dict has them.</li>
 * <li>Shards: {@code huggingface_hub}'s {@code split_state_dict_into_shards_factory}, the
 * split {@code save_pretrained} uses: greedy in state_dict order, a tensor's size is its
 * bytes; a tensor that would take the current shard over {@code max_shard_size} starts a
 * new one; a tensor larger than {@code max_shard_size} gets a shard of its own, placed
 * before the shard being filled. One shard is {@code model.safetensors} without an index;
 * N shards are {@code model-0000k-of-0000N.safetensors} plus
 * {@code model.safetensors.index.json}.</li>
 * <li>The index: {@code {"metadata": {"total_parameters", "total_size"}, "weight_map"}}
 * written as Python's {@code json.dumps(index, indent=2, sort_keys=True) + "\n"};
 * {@code total_size} is the bytes of the saved tensors, {@code total_parameters} is
 * {@code model.num_parameters()} (parameters, ties once, no buffers).</li>
 * </ul>
 * The seam for more files: {@link #with} adds one (e.g. {@code config.json} for
 * {@code transformers/*} architectures, a {@link JsonFile}).
 *
 * @param files the files, shards first, then the index (if any), then the others
 * @param index the index file's name, or null for a single file
 */
public record CheckpointFiles(List<CheckpointFile> files, String index) {

	/** The file name of a checkpoint in one file. */
	public static final String SINGLE = "model.safetensors";

	/** The file name of the shard index. */
	public static final String INDEX = "model.safetensors.index.json";

	/**
	 * The files {@code save_pretrained(max_shard_size=maxShardSize)} writes for
	 * {@code plan}'s tensors.
	 * @param executor the pool that draws blocks, or null to draw on the writing thread
	 */
	public static CheckpointFiles of(Plan plan, long maxShardSize, GenerationExecutor executor) {
		List<List<Integer>> shards = split(plan, maxShardSize);
		List<CheckpointFile> files = new ArrayList<>();
		if (shards.size() == 1) {
			files.add(new SafetensorsShard(SINGLE, plan, shards.get(0), executor));
			return new CheckpointFiles(List.copyOf(files), null);
		}
		Map<String, String> weightMap = new TreeMap<>();
		long totalSize = 0;
		for (int k = 0; k < shards.size(); k++) {
			String name = String.format("model-%05d-of-%05d.safetensors", k + 1, shards.size());
			files.add(new SafetensorsShard(name, plan, shards.get(k), executor));
			for (int i : shards.get(k)) {
				weightMap.put(plan.tensors().get(i).spec().name(), name);
				totalSize += SafetensorsShard.bytes(plan, i);
			}
		}
		files.add(new JsonFile(INDEX, index(plan.parameterCount(), totalSize, weightMap)));
		return new CheckpointFiles(List.copyOf(files), INDEX);
	}

	/**
	 * The plan indices of each shard's tensors, in state_dict order, by
	 * {@code huggingface_hub}'s greedy split; tied duplicates left out.
	 */
	static List<List<Integer>> split(Plan plan, long maxShardSize) {
		List<List<Integer>> shards = new ArrayList<>();
		List<Integer> current = new ArrayList<>();
		long currentSize = 0;
		for (int i = 0; i < plan.tensors().size(); i++) {
			PlannedTensor t = plan.tensors().get(i);
			if (t.tiedTo() != null) {
				continue;
			}
			long size = SafetensorsShard.bytes(plan, i);
			if (size > maxShardSize) {
				shards.add(List.of(i));
				continue;
			}
			if (currentSize + size > maxShardSize) {
				shards.add(current);
				current = new ArrayList<>();
				currentSize = 0;
			}
			current.add(i);
			currentSize += size;
		}
		if (!current.isEmpty()) {
			shards.add(current);
		}
		return shards;
	}

	/** The index as {@code json.dumps(index, indent=2, sort_keys=True) + "\n"}. */
	static byte[] index(long totalParameters, long totalSize, Map<String, String> weightMap) {
		StringBuilder out = new StringBuilder();
		out.append("{\n  \"metadata\": {\n    \"total_parameters\": ")
			.append(totalParameters)
			.append(",\n    \"total_size\": ")
			.append(totalSize)
			.append("\n  },\n  \"weight_map\": {");
		String separator = "\n";
		for (Map.Entry<String, String> e : weightMap.entrySet()) {
			out.append(separator).append("    ");
			pythonString(out, e.getKey());
			out.append(": ");
			pythonString(out, e.getValue());
			separator = ",\n";
		}
		out.append("\n  }\n}\n");
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/** A string as Python's json module writes it with {@code ensure_ascii=True}. */
	private static void pythonString(StringBuilder out, String s) {
		out.append('"');
		for (int i = 0; i < s.length(); i++) {
			char c = s.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				default -> {
					if (c < 0x20 || c > 0x7e) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/**
	 * These files and one more (after the others): the seam where {@code config.json}
	 * joins for {@code transformers/*} architectures.
	 */
	public CheckpointFiles with(CheckpointFile file) {
		if (find(file.name()).isPresent()) {
			throw new IllegalArgumentException("a checkpoint already has a file named " + file.name());
		}
		List<CheckpointFile> more = new ArrayList<>(this.files);
		more.add(file);
		return new CheckpointFiles(List.copyOf(more), this.index);
	}

	/** The file named {@code name}, if any. */
	public Optional<CheckpointFile> find(String name) {
		return this.files.stream().filter(f -> f.name().equals(name)).findFirst();
	}

	/** The file names, in order. */
	public List<String> names() {
		return this.files.stream().map(CheckpointFile::name).toList();
	}

	/** Name to size, in order. */
	public Map<String, Long> sizes() {
		Map<String, Long> sizes = new LinkedHashMap<>();
		this.files.forEach(f -> sizes.put(f.name(), f.size()));
		return sizes;
	}

}
