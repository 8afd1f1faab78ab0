package dev.initlab.generation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Response formats of {@code POST /api/v1/initializations}. */
public enum OutputFormat {

	/** JSON with resolved init, stats and nested data. */
	JSON("json", "application/json", "json"),

	/** One tensor as a NumPy {@code .npy} file. */
	NPY("npy", "application/x-npy", "npy"),

	/** A zip of {@code .npy} files, one per tensor, as {@code np.savez} writes. */
	NPZ("npz", "application/x-npz", "npz"),

	/**
	 * safetensors, loadable with {@code safetensors.torch.load} into
	 * {@code load_state_dict}.
	 */
	SAFETENSORS("safetensors", "application/x-safetensors", "safetensors"),

	/**
	 * A Hugging Face model directory ({@code config.json}, {@code model.safetensors}) as
	 * one POSIX tar, which {@code from_pretrained} loads once extracted; transformers
	 * architectures only.
	 */
	HF("hf", "application/x-tar", "tar");

	private final String wireName;

	private final String mediaType;

	private final String extension;

	OutputFormat(String wireName, String mediaType, String extension) {
		this.wireName = wireName;
		this.mediaType = mediaType;
		this.extension = extension;
	}

	public String wireName() {
		return this.wireName;
	}

	public String mediaType() {
		return this.mediaType;
	}

	public String extension() {
		return this.extension;
	}

	public static Optional<OutputFormat> byName(String name) {
		return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
	}

	public static Optional<OutputFormat> byMediaType(String mediaType) {
		return Arrays.stream(values()).filter(f -> f.mediaType.equalsIgnoreCase(mediaType)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(OutputFormat::wireName).toList();
	}

}
