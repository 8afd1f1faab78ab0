package dev.initlab.propagation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The block of a residual stack: {@code x ← α·x + f(x)} with the branch
 * {@code f = W_m·φ(…φ(W_1·x + b_1)…) + b_m} of {@code branchLayers} square linear layers
 * and no activation after the last one (He et al. 2016, "Identity mappings in deep
 * residual networks", arXiv:1603.05027). With {@link Norm#PRE_LN} the branch reads
 * {@code LN(x)}: {@code x ← α·x + f(LN(x))}; with {@link Norm#POST_LN} the sum is
 * normalized: {@code x ← LN(α·x + f(x))}. LN is layer normalization over the units of
 * each sample without affine parameters (a {@code torch.nn.LayerNorm} at its init: weight
 * 1, bias 0), with torch's {@code eps = 1e-5} and biased variance.
 *
 * @param branchLayers linear layers per branch, at least 1
 * @param norm where the layer normalization is
 * @param alpha the skip connection's multiplier, finite
 */
public record Residual(int branchLayers, Norm norm, double alpha) {

	/** LayerNorm's eps, as {@code torch.nn.LayerNorm}'s default. */
	public static final double LN_EPS = 1e-5;

	public Residual {
		if (branchLayers < 1) {
			throw new IllegalArgumentException("branchLayers must be >= 1: " + branchLayers);
		}
		if (norm == null) {
			throw new IllegalArgumentException("norm must not be null");
		}
		if (!Double.isFinite(alpha)) {
			throw new IllegalArgumentException("alpha must be finite: " + alpha);
		}
	}

	/** Where a residual block normalizes, by wire name. */
	public enum Norm {

		/** {@code x ← α·x + f(x)}. */
		NONE("none"),

		/** {@code x ← α·x + f(LN(x))}: the branch reads the normalized input. */
		PRE_LN("pre_ln"),

		/** {@code x ← LN(α·x + f(x))}: the sum is normalized. */
		POST_LN("post_ln");

		private final String wireName;

		Norm(String wireName) {
			this.wireName = wireName;
		}

		public String wireName() {
			return this.wireName;
		}

		public static Optional<Norm> byName(String name) {
			return Arrays.stream(values()).filter((n) -> n.wireName.equals(name)).findFirst();
		}

		public static List<String> names() {
			return Arrays.stream(values()).map(Norm::wireName).toList();
		}

	}

}
