package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.problems.Limit;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.propagation.Residual;

/**
 * The block of a {@code /propagation} stack: absent for today's plain stack (a linear
 * layer and the activation per layer), or a residual block ({@link Residual}).
 *
 * @param type {@code residual}
 * @param branchLayers linear layers per branch (default 2)
 * @param norm {@code none} (default), {@code pre_ln} or {@code post_ln}
 * @param alpha the skip connection's multiplier (default 1)
 */
@Schema(description = "A residual block x ← α·x + f(x), f = W_m·φ(…φ(W_1·x)) with no activation after the last "
		+ "branch layer; pre_ln: x ← α·x + f(LN(x)); post_ln: x ← LN(α·x + f(x)) (LN without affine parameters, "
		+ "eps 1e-5). depth counts blocks. Absent: a plain stack.")
public record BlockSpec(@Schema(example = "residual", allowableValues = "residual") String type,
		@Limit(property = PropagationLimits.PREFIX + "max-branch-layers",
				what = "branch layers per block") @Schema(example = "2") Integer branchLayers,
		@Schema(example = "none", allowableValues = {
				"none", "pre_ln", "post_ln" }) String norm,
		@Schema(example = "1.0") Double alpha){

	/** The one block type. */
	static final String RESIDUAL = "residual";

	static final int DEFAULT_BRANCH_LAYERS = 2;

	/**
	 * The residual block this asks for.
	 * @param maxBranchLayers the largest {@code branch_layers} allowed
	 * @throws InvalidRequestException naming every field at fault ({@code block.type},
	 * {@code block.branch_layers}, {@code block.norm}, {@code block.alpha}) and the
	 * allowed values
	 * @throws LimitExceededException when {@code branch_layers} is above
	 * {@code maxBranchLayers}
	 */
	Residual resolve(int maxBranchLayers) {
		List<FieldError> errors = new ArrayList<>();
		if (this.type == null) {
			errors.add(
					new FieldError("block.type", "required; allowed: " + RESIDUAL + " (omit block for a plain stack)"));
		}
		else if (!RESIDUAL.equals(this.type)) {
			errors.add(InvalidRequestException.unknown("block.type", "block type", this.type, List.of(RESIDUAL)));
		}
		int branchLayers = (this.branchLayers != null) ? this.branchLayers : DEFAULT_BRANCH_LAYERS;
		if (branchLayers < 1) {
			errors.add(new FieldError("block.branch_layers",
					"must be an integer in [1, " + maxBranchLayers + "]; got " + branchLayers));
		}
		Residual.Norm norm = InvalidRequestException.lookup("block.norm", "norm", this.norm, Residual.Norm.NONE,
				Residual.Norm::byName, Residual.Norm.names(), errors);
		double alpha = (this.alpha != null) ? this.alpha : 1.0;
		if (!Double.isFinite(alpha)) {
			errors.add(new FieldError("block.alpha", "must be a finite number; got " + this.alpha));
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		if (branchLayers > maxBranchLayers) {
			throw new LimitExceededException("branch layers per block (block.branch_layers)", branchLayers,
					maxBranchLayers, PropagationLimits.PREFIX + "max-branch-layers", null);
		}
		return new Residual(branchLayers, norm, alpha);
	}

}
