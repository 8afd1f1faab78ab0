package dev.initlab.layers;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How tensors are named and laid out in a response. */
public enum Layout {

	/** {@code state_dict()} names; weight {@code [out, in/groups, *kernel]}. */
	PYTORCH("pytorch"),

	/** Keras names ({@code <layer>/kernel}); kernel {@code [*kernel, in, out]}. */
	KERAS("keras");

	private final String wireName;

	Layout(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<Layout> byName(String name) {
		return Arrays.stream(values()).filter(l -> l.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Layout::wireName).toList();
	}

}
