package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.models.Part;
import dev.initlab.models.Structure;

/**
 * {@link Recipe#DEEPNORM}: DeepNet's α and β (Wang et al. 2022, arXiv:2203.00555, Table
 * 1: encoder-only α=(2N)^¼, β=(8N)^-¼; decoder-only α=(2M)^¼, β=(8M)^-¼; encoder–decoder
 * α_e=0.81(N⁴M)^(1/16), β_e=0.87(N⁴M)^(-1/16), α_d=(3M)^¼, β_d=(12M)^-¼), with the
 * initialization of its Figure 2: {@code xavier_normal_(w, gain=β)} for the FFN, value
 * and output projections, {@code xavier_normal_(w, gain=1)} for query and key.
 */
final class DeepNorm implements Recipe.Rule {

	/** α and β of one stack. */
	record Constants(double alpha, double beta) {
	}

	/** The paper's constants for a stack of a transformer of this kind and depth. */
	static Constants constants(Structure.Kind kind, Structure.Stack stack, int n, int m) {
		return switch (kind) {
			case ENCODER_ONLY -> new Constants(Math.pow(2.0 * n, 0.25), Math.pow(8.0 * n, -0.25));
			case DECODER_ONLY -> new Constants(Math.pow(2.0 * m, 0.25), Math.pow(8.0 * m, -0.25));
			case ENCODER_DECODER -> (stack == Structure.Stack.ENCODER)
					? new Constants(0.81 * Math.pow(Math.pow(n, 4) * m, 1.0 / 16),
							0.87 * Math.pow(Math.pow(n, 4) * m, -1.0 / 16))
					: new Constants(Math.pow(3.0 * m, 0.25), Math.pow(12.0 * m, -0.25));
		};
	}

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		args.done();
		Structure s = (target.structure() != null) ? target.structure() : Structure.encoder(target.blocks(), 0, 0, 0);
		if ((s.encoderLayers() == 0 && s.kind() != Structure.Kind.DECODER_ONLY)
				|| (s.decoderLayers() == 0 && s.kind() != Structure.Kind.ENCODER_ONLY)) {
			throw new InvalidRecipeException("name",
					"deepnorm needs at least one block in each stack; " + target.describe() + " has none");
		}
		Map<Structure.Stack, Constants> byStack = new LinkedHashMap<>();
		for (Structure.Stack stack : Structure.Stack.values()) {
			byStack.put(stack, constants(s.kind(), stack, s.encoderLayers(), s.decoderLayers()));
		}
		List<Step> steps = new ArrayList<>();
		for (Slot slot : target.slots()) {
			Place place = slot.place();
			if (slot.fixed() || place == null || place.part() == Part.READOUT || place.part() == Part.EMBEDDING
					|| place.part() == Part.POSITION_EMBEDDING) {
				steps.add(null);
				continue;
			}
			double beta = byStack.get(place.stack()).beta();
			String text = "deepnorm: xavier_normal(gain=β=" + beta + ") for " + place.part().wireName()
					+ "; query and key gain 1";
			List<Part> parts = Packed.slicesOf(place.part());
			List<InitSpec> inits = parts.stream()
				.map((p) -> InitSpec.of("xavier_normal", "gain", (p == Part.QUERY || p == Part.KEY) ? 1.0 : beta))
				.toList();
			if (parts.size() > 1) {
				steps.add(new Step(null, Packed.of(slot.spec(), place, parts, inits),
						"deepnorm: packed " + place.part().wireName() + ": query and key slices xavier_normal(gain=1), "
								+ "value slice xavier_normal(gain=β=" + beta + "), each with its slice's fans",
						Map.of(), null));
			}
			else {
				steps.add(Step.of(inits.get(0), (place.part() == Part.QUERY || place.part() == Part.KEY)
						? "deepnorm: xavier_normal(gain=1) for " + place.part().wireName() : text));
			}
		}
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("kind",
				(target.structure() != null) ? s.kind().wireName() : "residual stack (encoder-only constants)");
		ScaledResidual.Depths.put(target, echo);
		List<String> code = new ArrayList<>();
		if (s.kind() == Structure.Kind.ENCODER_DECODER) {
			Constants e = byStack.get(Structure.Stack.ENCODER);
			Constants d = byStack.get(Structure.Stack.DECODER);
			echo.put("alpha_encoder", e.alpha());
			echo.put("beta_encoder", e.beta());
			echo.put("alpha_decoder", d.alpha());
			echo.put("beta_decoder", d.beta());
			code.add("encoder residuals: x = LayerNorm(x * " + e.alpha()
					+ " + f(x)); decoder residuals: x = LayerNorm(x * " + d.alpha() + " + f(x))");
		}
		else {
			Constants c = byStack.get(s.defaultStack());
			echo.put("alpha", c.alpha());
			echo.put("beta", c.beta());
			code.add("residuals: x = LayerNorm(x * " + c.alpha() + " + f(x)) (Post-LN with α)");
		}
		echo.put("apply_in_code", code);
		if (target.structure() != null && !s.postLn()) {
			echo.put("note",
					target.describe() + " uses Pre-LN residuals (x = x + f(LN(x))); DeepNorm's constants assume "
							+ "Post-LN: switch the residuals to x = LN(α·x + f(x)) in code");
		}
		if (s.kind() == Structure.Kind.ENCODER_DECODER) {
			echo.put("beta_encoder_source", "the paper's 0.87; microsoft/torchscale's code uses 1.15");
		}
		return new Outcome(steps, echo);
	}

}
