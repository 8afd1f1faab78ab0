package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.models.Part;
import dev.initlab.models.Structure;

/**
 * {@link Recipe#T_FIXUP} (Huang et al. 2020, Algorithm 1): Xavier initialization for
 * every weight matrix except the input embeddings, which get N(0, d^(-1/2)); the value,
 * attention-output and MLP weights of the encoder × 0.67·N^(-1/4), of the decoder ×
 * (9M)^(-1/4); the input embeddings × (9M)^(-1/4). Xavier is {@code xavier_uniform}
 * (fairseq's, which the authors' code builds on); a scaled Xavier-uniform is
 * Xavier-uniform with that gain.
 */
final class TFixup implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		args.done();
		Structure s = target.structure();
		int n = s.encoderLayers();
		int m = s.decoderLayers();
		if (n + m == 0) {
			throw new InvalidRecipeException("name",
					"t_fixup needs at least one block; " + target.describe() + " has none");
		}
		double encoder = (n > 0) ? 0.67 * Math.pow(n, -0.25) : Double.NaN;
		double decoder = (m > 0) ? Math.pow(9.0 * m, -0.25) : Double.NaN;
		double embeddingScale = (m > 0) ? decoder : encoder;
		double embeddingStd = Math.pow(s.width(), -0.5) * embeddingScale;
		List<Step> steps = new ArrayList<>();
		for (Slot slot : target.slots()) {
			Place place = slot.place();
			if (slot.fixed() || place == null) {
				steps.add(null);
				continue;
			}
			if (place.part() == Part.EMBEDDING || place.part() == Part.POSITION_EMBEDDING) {
				steps.add(Step.of(InitSpec.of("normal", "mean", 0.0, "std", embeddingStd),
						"t_fixup: input embedding N(0, d^(-1/2)) × " + ((m > 0) ? "(9M)^(-1/4)" : "0.67·N^(-1/4)")
								+ " = normal(0, " + embeddingStd + ")"));
				continue;
			}
			double scale = (place.stack() == Structure.Stack.ENCODER) ? encoder : decoder;
			String factor = (place.stack() == Structure.Stack.ENCODER) ? "0.67·N^(-1/4)" : "(9M)^(-1/4)";
			List<Part> parts = Packed.slicesOf(place.part());
			List<InitSpec> inits = parts.stream()
				.map((p) -> InitSpec.of("xavier_uniform", "gain", scaled(p) ? scale : 1.0))
				.toList();
			if (parts.size() > 1) {
				steps.add(new Step(null, Packed.of(slot.spec(), place, parts, inits),
						"t_fixup: packed " + place.part().wireName()
								+ ": query and key slices xavier_uniform, value slice " + "xavier_uniform × " + factor
								+ " = gain " + scale + ", each with its slice's fans",
						Map.of(), null));
			}
			else if (scaled(place.part())) {
				steps.add(Step.of(inits.get(0), "t_fixup: xavier_uniform × " + factor + " = gain " + scale));
			}
			else {
				steps.add(Step.of(inits.get(0), "t_fixup: xavier_uniform"));
			}
		}
		Map<String, Object> echo = new LinkedHashMap<>();
		ScaledResidual.Depths.put(target, echo);
		if (n > 0) {
			echo.put("encoder_scale", encoder);
		}
		if (m > 0) {
			echo.put("decoder_scale", decoder);
		}
		echo.put("embedding_std", embeddingStd);
		echo.put("apply_in_code", List.of("remove the LayerNorms of the blocks (T-Fixup trains without them)",
				"train without learning-rate warmup"));
		return new Outcome(steps, echo);
	}

	/** Whether T-Fixup scales this part (value, attention output, MLP). */
	private static boolean scaled(Part part) {
		return part == Part.VALUE || part == Part.ATTENTION_OUTPUT || part == Part.FFN_IN || part == Part.FFN_OUT;
	}

}
