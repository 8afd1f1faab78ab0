package dev.initlab.init;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a parameter tensor is for; an init policy picks an initializer per role. */
public enum Role {

	WEIGHT("weight"), BIAS("bias"), RECURRENT_WEIGHT("recurrent_weight"), EMBEDDING("embedding"),
	NORM_WEIGHT("norm_weight"), NORM_BIAS("norm_bias"),

	/** A batch norm's running mean: a buffer, always zeros (no policy sets it). */
	RUNNING_MEAN("running_mean"),

	/** A batch norm's running variance: a buffer, always ones (no policy sets it). */
	RUNNING_VAR("running_var"),

	/**
	 * A batch norm's {@code num_batches_tracked}: an int64 scalar buffer, always 0 (no
	 * policy sets it).
	 */
	BATCH_COUNT("num_batches_tracked");

	/** The roles an init policy can set. */
	public static final List<Role> POLICY_ROLES = List.of(WEIGHT, BIAS, RECURRENT_WEIGHT, EMBEDDING, NORM_WEIGHT,
			NORM_BIAS);

	private final String wireName;

	Role(String wireName) {
		this.wireName = wireName;
	}

	public String wireName() {
		return this.wireName;
	}

	public static Optional<Role> byName(String name) {
		return POLICY_ROLES.stream().filter(r -> r.wireName.equals(name)).findFirst();
	}

	public static List<String> names() {
		return POLICY_ROLES.stream().map(Role::wireName).toList();
	}

}
