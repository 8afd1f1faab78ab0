package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.InitSpec;
import dev.initlab.models.Structure;

/**
 * {@link Recipe#SCALED_RESIDUAL}: every residual-branch output projection ÷
 * sqrt(factor·L) (or ÷ sqrt(factor·(l+1)) per block), applied to the undamped rule, so it
 * never compounds with a library that already does it.
 */
final class ScaledResidual implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		double factor = args.positive("factor");
		boolean perLayer = args.bool("per_layer");
		args.done();
		List<Step> steps = new ArrayList<>();
		int scaled = 0;
		int unchanged = 0;
		for (Slot slot : target.slots()) {
			if (slot.fixed() || slot.place() == null || !slot.place().part().isResidualOutput()) {
				steps.add(null);
				continue;
			}
			int depth = Depths.of(target, slot);
			int block = Math.max(slot.place().block(), 0);
			double product = perLayer ? factor * (block + 1) : factor * depth;
			double divisor = Math.sqrt(product);
			InitSpec init = Scaling.divide(slot.base(), slot.spec(), divisor);
			String text = "scaled_residual: ÷ sqrt(" + Depths.number(factor) + "·"
					+ (perLayer ? "(l+1) = " + Depths.number(factor) + "·" + (block + 1)
							: "L = " + Depths.number(factor) + "·" + depth)
					+ ") = ÷ " + divisor;
			if (Scaling.same(init, slot.current(), slot.spec())) {
				steps.add(Step.unchanged(text + ": unchanged, its initializer already does this"));
				unchanged++;
			}
			else {
				steps.add(Step.of(init, text));
				scaled++;
			}
		}
		Map<String, Object> echo = new LinkedHashMap<>();
		Depths.put(target, echo);
		echo.put("tensors_scaled", scaled);
		if (unchanged > 0) {
			echo.put("tensors_unchanged", unchanged);
			echo.put("note", "the chosen initializers already scale " + unchanged + " residual projection"
					+ ((unchanged == 1) ? "" : "s") + " this way (GPT-2's and nanoGPT's library_default, timm's "
					+ "fix_init): those are unchanged");
		}
		return new Outcome(steps, echo);
	}

	/** The depth L a tensor's stack has. */
	static final class Depths {

		private Depths() {
		}

		static int of(Target target, Slot slot) {
			if (target.structure() != null) {
				Structure.Stack stack = (slot.place().stack() != null) ? slot.place().stack()
						: target.structure().defaultStack();
				return target.structure().layers(stack);
			}
			return target.blocks();
		}

		/** The depths, as the echo reports them. */
		static void put(Target target, Map<String, Object> echo) {
			Structure s = target.structure();
			if (s == null) {
				echo.put("blocks", target.blocks());
			}
			else if (s.kind() == Structure.Kind.ENCODER_DECODER) {
				echo.put("encoder_layers", s.encoderLayers());
				echo.put("decoder_layers", s.decoderLayers());
			}
			else {
				echo.put("layers", s.totalLayers());
			}
		}

		static String number(double v) {
			return (v == Math.rint(v) && Math.abs(v) < 1e15) ? Long.toString((long) v) : Double.toString(v);
		}

	}

}
