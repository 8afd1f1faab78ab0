package dev.initlab.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.initlab.models.HfConfig;
import dev.initlab.tensor.DirectoryFile;
import dev.initlab.tensor.Safetensors;

/**
 * A plan of a {@code transformers/*} model as the Hugging Face directory
 * {@code save_pretrained} writes: {@code config.json} ({@link HfConfig}) and the weights
 * in safetensors with the metadata {@code {"format": "pt"}}, tied duplicates left out
 * (the later keys of each tie group: {@code lm_head.weight} of GPT-2,
 * {@code cls.predictions.decoder.*} of BERT's MLM head, T5's {@code embed_tokens} and
 * {@code lm_head}; the library re-ties them on load). Every file has its exact size
 * before a byte is drawn and is generated block by block when written, so memory stays
 * bounded.
 * <p>
 * {@link #files()} is the single-file directory ({@code ?format=hf} packs it with
 * {@link dev.initlab.tensor.Tar}); a sharded checkpoint splits {@link #saved()} into
 * groups and asks {@link #weights} for each shard.
 *
 * @param plan a plan with every tensor held ({@link Plan#only()} null): of a transformers
 * model for a directory {@code from_pretrained} loads; any other plan gives the weights
 * file alone (the planner refuses {@code ?format=hf} for those, a checkpoint may serve
 * them)
 * @param executor the pool that draws blocks in parallel, or null to draw on the writing
 * thread
 */
public record HfDirectory(Plan plan, GenerationExecutor executor) {

	/** The weights' file name when there is one file. */
	public static final String WEIGHTS = "model.safetensors";

	/** The config's file name. */
	public static final String CONFIG = "config.json";

	private static final Map<String, String> METADATA = Map.of("format", "pt");

	public HfDirectory {
		if (plan.only() != null) {
			throw new IllegalArgumentException("a Hugging Face directory holds every tensor of the model");
		}
	}

	/**
	 * {@code config.json} (transformers architectures, {@link #hasConfig()}) and
	 * {@code model.safetensors}, in that order.
	 */
	public List<DirectoryFile> files() {
		DirectoryFile weights = weights(WEIGHTS, saved());
		return hasConfig() ? List.of(config(), weights) : List.of(weights);
	}

	/**
	 * Whether the directory has a {@code config.json}: a model of a transformers
	 * architecture ({@link HfConfig#supports}).
	 */
	public boolean hasConfig() {
		return this.plan.model() != null && HfConfig.supports(this.plan.model().architecture());
	}

	/**
	 * {@code config.json}.
	 * @throws IllegalStateException without one ({@link #hasConfig()} false)
	 */
	public DirectoryFile config() {
		if (!hasConfig()) {
			throw new IllegalStateException(
					"only a model of one of " + String.join(", ", HfConfig.architectures()) + " has a config.json");
		}
		return DirectoryFile.of(CONFIG, HfConfig.json(this.plan.model(), this.plan.dtype().wireName()));
	}

	/**
	 * The plan indices of the tensors {@code save_pretrained} keeps, in state_dict order:
	 * every tensor but the later keys of a tie group.
	 */
	public List<Integer> saved() {
		List<Integer> saved = new ArrayList<>();
		for (int i = 0; i < this.plan.tensors().size(); i++) {
			if (this.plan.tensors().get(i).tiedTo() == null) {
				saved.add(i);
			}
		}
		return List.copyOf(saved);
	}

	/**
	 * A safetensors file of the tensors at {@code indices} (increasing plan indices, a
	 * subset of {@link #saved()}), in that order, with {@code save_pretrained}'s
	 * metadata.
	 */
	public DirectoryFile weights(String name, List<Integer> indices) {
		List<Safetensors.Entry> entries = new ArrayList<>();
		long bytes = 0;
		int previous = -1;
		for (int i : indices) {
			if (i <= previous) {
				throw new IllegalArgumentException("tensor indices must increase: " + indices);
			}
			previous = i;
			PlannedTensor t = this.plan.tensors().get(i);
			entries.add(new Safetensors.Entry(t.spec().name(), t.dtypeIn(this.plan.dtype()), t.spec().shape(),
					t.spec().numel()));
			bytes += t.spec().numel() * t.dtypeIn(this.plan.dtype()).size();
		}
		byte[] header = Safetensors.header(entries, METADATA);
		List<Integer> order = List.copyOf(indices);
		return new DirectoryFile(name, header.length + bytes, (out) -> {
			out.write(header);
			try (TensorSource source = source()) {
				for (int i : order) {
					source.skipTo(i);
					source.generateBytes(i, (block, len) -> out.write(block, 0, len));
				}
			}
		});
	}

	private TensorSource source() {
		return (this.executor != null) ? this.executor.source(this.plan) : new TensorSource(this.plan);
	}

}
