package dev.initlab.init;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a parameter tensor is for; an init policy picks an initializer per role. */
public enum Role {

	WEIGHT("weight"), BIAS("bias"), RECURRENT_WEIGHT("recurrent_weight"), EMBEDDING("embedding"),
	NORM_WEIGHT("norm_weight"), NORM_BIAS("norm_bias");

	private final String wireName;

	Role(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<Role> byName(String name) {
		return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return Arrays.stream(values()).map(Role::wireName).toList();
	}

}
