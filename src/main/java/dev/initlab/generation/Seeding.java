package dev.initlab.generation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How tensors get their random streams. */
public enum Seeding {

	/**
	 * Each tensor's stream is derived from (seed, tensor name, block), so adding or
	 * removing a layer never changes the other tensors, and blocks can be generated
	 * independently.
	 */
	PER_TENSOR("per_tensor"),

	/**
	 * One stream consumed in layer order, weight before bias, as a framework initializes.
	 */
	SEQUENTIAL("sequential");

	private final String wireName;

	Seeding(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<Seeding> byName(String name) {
		return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Seeding::wireName).toList();
	}

}
