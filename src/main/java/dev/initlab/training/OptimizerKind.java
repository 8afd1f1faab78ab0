package dev.initlab.training;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The optimizers an experiment can train with, by wire name; {@link Optimizer} does the
 * updates.
 */
public enum OptimizerKind {

	/** Plain gradient descent: {@code θ −= lr g}. */
	GD("gd"),

	/** Momentum: {@code v = β v + (1 − β) g; θ −= lr v}. */
	MOMENTUM("momentum"),

	/** Adam with bias correction (Kingma and Ba 2014, arXiv:1412.6980). */
	ADAM("adam");

	private final String wireName;

	OptimizerKind(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<OptimizerKind> byName(String name) {
		return Arrays.stream(values()).filter((o) -> o.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(OptimizerKind::wireName).toList();
	}

}
