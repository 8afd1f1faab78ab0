package dev.initlab.init;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;

import dev.initlab.rng.RandomStream;

/**
 * One initializer as a request names it: {@code {"scheme": "kaiming_normal", "mode":
 * "fan_in"}} — the scheme and its parameters side by side, as flat as
 * {@code torch.nn.init} calls.
 *
 * @param scheme the scheme's wire name or alias
 * @param params the other fields, validated against the scheme when resolved
 */
public record InitSpec(String scheme, @JsonIgnore Map<String, Object> params) {

	/**
	 * Reserved parameter of any scheme: {@code false} applies a shape-dependent scheme
	 * (orthogonal, identity, ...) to a stacked recurrent weight as one matrix instead of
	 * per gate block.
	 */
	public static final String PER_GATE = "per_gate";

	/**
	 * Reserved parameter of any scheme: every value is multiplied by it (after the
	 * scheme, before rounding to the dtype). Recipes that scale a tensor's initializer by
	 * a depth factor use it where the scheme has no std, bound or gain of its own.
	 */
	public static final String MULTIPLIER = "multiplier";

	public InitSpec {
		params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
	}

	/** Reads the flat JSON object. */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static InitSpec fromJson(Map<String, Object> fields) {
		Map<String, Object> params = new LinkedHashMap<>(fields);
		Object scheme = params.remove("scheme");
		return new InitSpec((scheme != null) ? scheme.toString() : null, params);
	}

	public static InitSpec of(String scheme, Object... keyValues) {
		Map<String, Object> params = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			params.put((String) keyValues[i], keyValues[i + 1]);
		}
		return new InitSpec(scheme, params);
	}

	@JsonAnyGetter
	Map<String, Object> jsonParams() {
		return this.params;
	}

	/**
	 * Resolves this spec for one tensor.
	 * @throws InvalidInitializerException naming the field at fault
	 */
	public Initializer resolve(ParameterSpec p) {
		Object scale = this.params.get(MULTIPLIER);
		if (scale == null) {
			return resolveUnscaled(p, this.params);
		}
		if (!(scale instanceof Number n) || !Double.isFinite(n.doubleValue())) {
			throw new InvalidInitializerException(MULTIPLIER, "multiplier must be a finite number, got " + scale);
		}
		Map<String, Object> rest = new LinkedHashMap<>(this.params);
		rest.remove(MULTIPLIER);
		return scaled(resolveUnscaled(p, rest), n.doubleValue());
	}

	/** {@code init} with every value multiplied by {@code c}. */
	private static Initializer scaled(Initializer init, double c) {
		Fill fill;
		if (init.fill() instanceof Fill.Elementwise e) {
			fill = (Fill.Elementwise) (stream, out, off, len) -> {
				e.sample(stream, out, off, len);
				for (int i = off; i < off + len; i++) {
					out[i] *= c;
				}
			};
		}
		else {
			Fill.Whole w = (Fill.Whole) init.fill();
			fill = new Fill.Whole() {

				@Override
				public void fill(RandomStream stream, double[] out) {
					w.fill(stream, out);
					scale(out, c);
				}

				@Override
				public void fillNarrow(RandomStream stream, double[] out) {
					w.fillNarrow(stream, out);
					scale(out, c);
				}

			};
		}
		Map<String, Object> resolved = new LinkedHashMap<>(init.resolved());
		resolved.put(MULTIPLIER, c);
		return new Initializer(fill, resolved, init.expectedMean() * c, init.expectedStd() * Math.abs(c),
				init.blocks());
	}

	private static void scale(double[] out, double c) {
		for (int i = 0; i < out.length; i++) {
			out[i] *= c;
		}
	}

	private Initializer resolveUnscaled(ParameterSpec p, Map<String, Object> params) {
		if (this.scheme == null) {
			throw new InvalidInitializerException("scheme",
					"an initializer needs a scheme; allowed: " + String.join(", ", Scheme.names()));
		}
		Scheme s = Scheme.byName(this.scheme)
			.orElseThrow(() -> new InvalidInitializerException("scheme",
					"unknown scheme '" + this.scheme + "'; allowed: " + String.join(", ", Scheme.names())));
		Map<String, Object> args = new LinkedHashMap<>(params);
		Object perGate = args.remove(PER_GATE);
		if (perGate != null && !(perGate instanceof Boolean)) {
			throw new InvalidInitializerException(PER_GATE, "per_gate must be true or false");
		}
		if (p.gates() > 1 && Boolean.FALSE.equals(perGate)) {
			// one matrix: fans of the whole stacked tensor, as Keras computes them on
			// [in, G*H]
			return s.resolve(p.wholeTensor(), args);
		}
		if (p.gates() == 1 || !s.isShapeDependent()) {
			return s.resolve(p, args);
		}
		Initializer block = s.resolve(p.gateBlock(), args);
		Map<String, Object> resolved = new LinkedHashMap<>(block.resolved());
		resolved.put("gate_blocks", p.gates());
		return new Initializer(block.fill(), resolved, block.expectedMean(), block.expectedStd(), p.gates());
	}

}
