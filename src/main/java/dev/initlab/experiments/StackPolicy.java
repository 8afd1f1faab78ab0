package dev.initlab.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.InvalidRequestException.FieldError;
import dev.initlab.propagation.SignalPropagation;

/**
 * One policy laid over a stack of linear layers, as {@code /propagation} and
 * {@code /experiments} build it. The per-layer overrides ({@code "layers": [{"layers":
 * [1, 2], "init": {...}}]}) become the layers' own {@code init}, so the planner resolves
 * each tensor exactly as {@code /initializations} does: the layer's initializer for the
 * role, the layer's preset, the policy's initializer for the role, the policy's preset.
 * LSUV is not a scheme the planner knows: wherever a layer's weight initializer ends up
 * being {@code lsuv}, the planner sees LSUV's orthogonal pre-init instead, and
 * {@link #lsuv()} holds the settings to rescale that layer with on the batch.
 *
 * @param init the policy's own init as the planner sees it (lsuv replaced by orthogonal)
 * @param layerInits per layer (index 0 is layer 1), its own init as the planner sees it,
 * or null
 * @param overrideOf per layer, the index of the override naming it, or -1
 * @param lsuv per layer, LSUV's settings, or null where LSUV does not apply
 */
record StackPolicy(Policy init, List<Policy> layerInits, int[] overrideOf, List<SignalPropagation.Lsuv> lsuv) {

	/** The weight scheme that means LSUV. */
	static final String LSUV = "lsuv";

	/** LSUV's own parameters; any other is a 400. */
	static final List<String> LSUV_PARAMETERS = List.of("tolerance", "max_iterations");

	/**
	 * Checks the policy's overrides and LSUV settings against a stack of {@code depth}
	 * layers.
	 * @param spec the policy
	 * @param depth layers in the stack
	 * @param stack how the stack's layers are counted, for messages (e.g. "depth is 30")
	 * @param path where the policy is in the request, e.g. {@code policies[2]}
	 * @param maxLsuvIterations the largest {@code max_iterations} allowed
	 * @param lsuvProperty the configuration property that sets it
	 * @throws InvalidRequestException naming every field at fault and the allowed values
	 */
	static StackPolicy of(ExperimentRequest.PolicySpec spec, int depth, String stack, String path,
			int maxLsuvIterations, String lsuvProperty) {
		List<FieldError> errors = new ArrayList<>();
		List<ExperimentRequest.LayerOverride> overrides = (spec.layers() != null) ? spec.layers() : List.of();
		int[] overrideOf = new int[depth];
		Arrays.fill(overrideOf, -1);
		for (int k = 0; k < overrides.size(); k++) {
			ExperimentRequest.LayerOverride override = overrides.get(k);
			String at = path + ".layers[" + k + "]";
			if (override == null || override.layers() == null || override.layers().isEmpty()
					|| override.init() == null) {
				errors.add(new FieldError(at, "an override needs layers (1 to " + depth + ") and init"));
				continue;
			}
			for (int j = 0; j < override.layers().size(); j++) {
				Integer layer = override.layers().get(j);
				String field = at + ".layers[" + j + "]";
				if (layer == null || layer < 1 || layer > depth) {
					errors.add(new FieldError(field,
							"no layer " + layer + "; allowed: 1 to " + depth + " (" + stack + ")"));
				}
				else if (overrideOf[layer - 1] >= 0) {
					errors.add(new FieldError(field, "layer " + layer + " is already named by " + path + ".layers["
							+ overrideOf[layer - 1] + "]; a layer may be named by one override only"));
				}
				else {
					overrideOf[layer - 1] = k;
				}
			}
		}
		SignalPropagation.Lsuv ownLsuv = lsuvOf(spec.init(), path + ".init", maxLsuvIterations, lsuvProperty, errors);
		List<SignalPropagation.Lsuv> overrideLsuv = new ArrayList<>();
		for (int k = 0; k < overrides.size(); k++) {
			ExperimentRequest.LayerOverride override = overrides.get(k);
			overrideLsuv.add((override != null && override.init() != null)
					? lsuvOf(override.init(), path + ".layers[" + k + "].init", maxLsuvIterations, lsuvProperty, errors)
					: null);
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		List<Policy> layerInits = new ArrayList<>();
		List<SignalPropagation.Lsuv> lsuv = new ArrayList<>();
		for (int l = 0; l < depth; l++) {
			int k = overrideOf[l];
			Policy own = (k >= 0) ? overrides.get(k).init() : null;
			layerInits.add((own != null) ? planned(own) : null);
			// the planner's order for the weight: the layer's initializer, else the
			// layer's preset, else the policy's initializer
			if (own != null && own.weight() != null) {
				lsuv.add(overrideLsuv.get(k));
			}
			else if (own != null && own.preset() != null) {
				lsuv.add(null);
			}
			else {
				lsuv.add(ownLsuv);
			}
		}
		return new StackPolicy(planned(spec.init()), layerInits, overrideOf, lsuv);
	}

	/** Whether LSUV rescales any layer. */
	boolean usesLsuv() {
		return this.lsuv.stream().anyMatch((s) -> s != null);
	}

	/**
	 * The planner's errors with the fields the request used: a layer's own init is the
	 * override that named it, the policy's init is under {@code path}; anything else
	 * about the runner's own layers goes to {@code layerField}. The planner reports per
	 * tensor, so an override naming several layers would repeat its error: each is kept
	 * once.
	 */
	InvalidRequestException prefixed(InvalidRequestException ex, String path, String layerField) {
		@SuppressWarnings("unchecked")
		List<Map<String, String>> errors = (List<Map<String, String>>) ex.getBody().getProperties().get("errors");
		Set<FieldError> out = new LinkedHashSet<>();
		for (Map<String, String> e : errors) {
			String field = e.get("field");
			if (field.startsWith("layers[")) {
				int close = field.indexOf(']');
				int layer = Integer.parseInt(field.substring("layers[".length(), close));
				String rest = field.substring(close + 1);
				boolean own = (rest.equals(".init") || rest.startsWith(".init.")) && layer < this.overrideOf.length
						&& this.overrideOf[layer] >= 0;
				field = own ? path + ".layers[" + this.overrideOf[layer] + "]" + rest : layerField;
			}
			else {
				field = path + "." + field;
			}
			out.add(new FieldError(field, e.get("message")));
		}
		return new InvalidRequestException(List.copyOf(out));
	}

	/** The policy as the planner sees it: an lsuv weight becomes orthogonal. */
	private static Policy planned(Policy p) {
		if (!isLsuv(p.weight())) {
			return p;
		}
		return new Policy(p.preset(), InitSpec.of("orthogonal"), p.bias(), p.recurrentWeight(), p.embedding(),
				p.normWeight(), p.normBias());
	}

	private static boolean isLsuv(InitSpec spec) {
		return spec != null && LSUV.equalsIgnoreCase(spec.scheme());
	}

	/**
	 * {@code {"weight": {"scheme": "lsuv", "tolerance": 0.1, "max_iterations": 10}}}:
	 * LSUV's settings, or null when the weight is another scheme; lsuv for another role
	 * is an error.
	 */
	private static SignalPropagation.Lsuv lsuvOf(Policy policy, String path, int maxIterations, String property,
			List<FieldError> errors) {
		Map<String, InitSpec> others = new LinkedHashMap<>();
		others.put("bias", policy.bias());
		others.put("recurrent_weight", policy.recurrentWeight());
		others.put("embedding", policy.embedding());
		others.put("norm_weight", policy.normWeight());
		others.put("norm_bias", policy.normBias());
		others.forEach((role, spec) -> {
			if (isLsuv(spec)) {
				errors.add(new FieldError(path + "." + role + ".scheme",
						"lsuv rescales a layer's weights on the batch; it is a weight scheme only"));
			}
		});
		InitSpec weight = policy.weight();
		if (!isLsuv(weight)) {
			return null;
		}
		String at = path + ".weight";
		int before = errors.size();
		for (String key : weight.params().keySet()) {
			if (!LSUV_PARAMETERS.contains(key)) {
				errors.add(new FieldError(at + "." + key,
						"unknown parameter '" + key + "' of lsuv; allowed: " + String.join(", ", LSUV_PARAMETERS)));
			}
		}
		Double tolerance = number(weight.params().get("tolerance"), 0.1, at + ".tolerance", errors);
		Double max = number(weight.params().get("max_iterations"), 10, at + ".max_iterations", errors);
		if (tolerance != null && !(tolerance > 0 && tolerance < 1)) {
			errors.add(new FieldError(at + ".tolerance", "must be in (0, 1); got " + weight.params().get("tolerance")));
		}
		if (max != null && (max < 1 || max > maxIterations || max != Math.rint(max))) {
			errors.add(new FieldError(at + ".max_iterations", "must be an integer in [1, " + maxIterations
					+ "] (configuration property " + property + "); got " + weight.params().get("max_iterations")));
		}
		return (errors.size() > before) ? null : new SignalPropagation.Lsuv(tolerance, max.intValue());
	}

	private static Double number(Object value, double fallback, String field, List<FieldError> errors) {
		if (value == null) {
			return fallback;
		}
		if (!(value instanceof Number n) || value instanceof Boolean) {
			errors.add(new FieldError(field, "must be a number"));
			return null;
		}
		return n.doubleValue();
	}

}
