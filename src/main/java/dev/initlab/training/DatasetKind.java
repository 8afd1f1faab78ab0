package dev.initlab.training;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The datasets an experiment can train on, by wire name, with their defaults; the
 * generators are in {@link Datasets}.
 */
public enum DatasetKind {

	/** The course's two-class flower ({@link Datasets#planarFlower}). */
	PLANAR_FLOWER("planar_flower", 400, 2, 0.2),

	/** The corners of {-1, 1}² ({@link Datasets#xor}). */
	XOR("xor", 4, 4, 0.1),

	/** Two concentric circles ({@link Datasets#circles}). */
	CIRCLES("circles", 300, 2, 0.05),

	/** Two interleaved half circles ({@link Datasets#moons}). */
	MOONS("moons", 300, 2, 0.1),

	/** Two interleaved spirals ({@link Datasets#spirals}). */
	SPIRALS("spirals", 400, 2, 0.05),

	/** Gaussian clusters ({@link Datasets#blobs}). */
	BLOBS("blobs", 300, 2, 1.0),

	/** Samples and labels given in the request. */
	INLINE("inline", 0, 0, 0);

	private final String wireName;

	private final int defaultSamples;

	private final int minSamples;

	private final double defaultNoise;

	DatasetKind(String wireName, int defaultSamples, int minSamples, double defaultNoise) {
		this.wireName = wireName;
		this.defaultSamples = defaultSamples;
		this.minSamples = minSamples;
		this.defaultNoise = defaultNoise;
	}

	public String wireName() {
		return this.wireName;
	}

	/** Samples drawn when the request does not say. */
	public int defaultSamples() {
		return this.defaultSamples;
	}

	/** The fewest samples the dataset can be drawn with. */
	public int minSamples() {
		return this.minSamples;
	}

	/** Noise std when the request does not say. */
	public double defaultNoise() {
		return this.defaultNoise;
	}

	public static Optional<DatasetKind> byName(String name) {
		return Arrays.stream(values()).filter((d) -> d.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(DatasetKind::wireName).toList();
	}

}
