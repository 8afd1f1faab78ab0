package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.Fans;
import dev.initlab.init.Fill;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Initializer;
import dev.initlab.init.InvalidInitializerException;
import dev.initlab.init.ParameterSpec;
import dev.initlab.models.Part;
import dev.initlab.rng.RandomStream;

/**
 * A projection that packs several (query, key, value) along its output axis, each slice
 * initialized on its own with its own fans, as if it were a separate nn.Linear: GPT-2's
 * {@code c_attn} ({@code [in, 3·d]}, columns), nanoGPT's and timm's {@code qkv}
 * ({@code [3·d, in]}, rows). The slices are drawn in order from the tensor's stream.
 */
final class Packed {

	private Packed() {
	}

	/** The parts a packed projection holds, in order. */
	static List<Part> slicesOf(Part part) {
		return switch (part) {
			case QKV -> List.of(Part.QUERY, Part.KEY, Part.VALUE);
			case KV -> List.of(Part.KEY, Part.VALUE);
			default -> List.of(part);
		};
	}

	/**
	 * The initializer of a packed tensor whose slices get {@code inits} (one per slice,
	 * equal widths along the output axis).
	 */
	static Initializer of(ParameterSpec spec, Place place, List<Part> parts, List<InitSpec> inits) {
		int[] shape = spec.shape();
		int axis = place.inOut() ? 1 : 0;
		int in = shape[1 - axis];
		int out = shape[axis] / parts.size();
		List<Initializer> slices = new ArrayList<>();
		List<Map<String, Object>> reported = new ArrayList<>();
		double sum = 0;
		double sumSquares = 0;
		for (int s = 0; s < parts.size(); s++) {
			int[] sliceShape = place.inOut() ? new int[] { in, out } : new int[] { out, in };
			ParameterSpec slice = new ParameterSpec(spec.name() + "[" + parts.get(s).wireName() + "]", sliceShape,
					spec.role(), new Fans(in, out), null, 1, sliceShape, spec.layerType(), spec.param(), 1, -1);
			Initializer init;
			try {
				init = inits.get(s).resolve(slice);
			}
			catch (InvalidInitializerException ex) {
				throw new InvalidRecipeException("", "the " + parts.get(s).wireName() + " slice of " + spec.name()
						+ " does not resolve: " + ex.getMessage());
			}
			slices.add(init);
			Map<String, Object> r = new LinkedHashMap<>();
			r.put("part", parts.get(s).wireName());
			r.put(place.inOut() ? "columns" : "rows", (s * out) + ":" + ((s + 1) * out));
			r.putAll(init.resolved());
			reported.add(r);
			sum += init.expectedMean();
			sumSquares += init.expectedStd() * init.expectedStd() + init.expectedMean() * init.expectedMean();
		}
		double mean = sum / parts.size();
		double std = Math.sqrt(Math.max(0, sumSquares / parts.size() - mean * mean));
		Map<String, Object> resolved = new LinkedHashMap<>();
		resolved.put("scheme", "packed");
		resolved.put("slices", reported);
		Fill fill = new Fill.Whole() {

			@Override
			public void fill(RandomStream stream, double[] values) {
				fillSlices(stream, values, false);
			}

			/** Each whole slice (an orthogonal one) in float32 too. */
			@Override
			public void fillNarrow(RandomStream stream, double[] values) {
				fillSlices(stream, values, true);
			}

			private void fillSlices(RandomStream stream, double[] values, boolean narrow) {
				for (int s = 0; s < slices.size(); s++) {
					double[] part = new double[in * out];
					Fill f = slices.get(s).fill();
					if (f instanceof Fill.Elementwise e) {
						e.sample(stream, part, 0, part.length);
					}
					else if (narrow) {
						((Fill.Whole) f).fillNarrow(stream, part);
					}
					else {
						((Fill.Whole) f).fill(stream, part);
					}
					for (int i = 0; i < in; i++) {
						for (int o = 0; o < out; o++) {
							// [in, out] slices are column blocks; [out, in] ones row
							// blocks
							if (axis == 1) {
								values[i * shape[1] + s * out + o] = part[i * out + o];
							}
							else {
								values[(s * out + o) * in + i] = part[o * in + i];
							}
						}
					}
				}
			}

		};
		return new Initializer(fill, resolved, mean, std);
	}

}
