package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.initlab.init.Fill;
import dev.initlab.init.Initializer;
import dev.initlab.models.Part;
import dev.initlab.models.Structure;
import dev.initlab.rng.RandomStream;

/**
 * {@link Recipe#MIMETIC} (Trockman and Kolter 2023): each attention module's query, key,
 * value and output projections from one {@link Mimetic#initialize} draw, so that per head
 * {@code W_q W_k^T ≈ α₁Z₁ + β₁I} and {@code W_v W_o ≈ α₂Z₂ − β₂I}. The module's tensors
 * share one random stream (named after the module's first tensor) and one computation:
 * the first tensor generated draws and decomposes, the others take their part.
 */
final class MimeticRecipe implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		Mimetic.Coefficients c = new Mimetic.Coefficients(args.number("alpha1"), args.number("beta1"),
				args.number("alpha2"), args.number("beta2"));
		args.done();
		Structure s = target.structure();
		if (s.kvHeads() != s.heads()) {
			throw new InvalidRecipeException("name",
					"mimetic pairs each query head with its own key head; " + target.describe() + " has " + s.kvHeads()
							+ " key/value heads for " + s.heads() + " query heads (grouped-query attention)");
		}
		if ((long) s.heads() * s.headDim() != s.width()) {
			throw new InvalidRecipeException("name",
					"mimetic needs heads · head_dim = d_model (the paper's value "
							+ "and output projections are d × d); " + target.describe() + " has " + s.heads() + " · "
							+ s.headDim() + " ≠ " + s.width());
		}
		Map<String, List<Integer>> modules = new LinkedHashMap<>();
		List<Slot> slots = target.slots();
		for (int i = 0; i < slots.size(); i++) {
			Slot slot = slots.get(i);
			if (!slot.fixed() && slot.place() != null && slot.place().part().isAttention()) {
				Place p = slot.place();
				modules
					.computeIfAbsent(p.stack() + "." + p.block() + (p.cross() ? ".cross" : ".self"),
							(k) -> new ArrayList<>())
					.add(i);
			}
		}
		List<Step> steps = new ArrayList<>();
		for (int i = 0; i < slots.size(); i++) {
			steps.add(null);
		}
		for (List<Integer> members : modules.values()) {
			Shared shared = new Shared(s, c, members.size());
			String stream = "mimetic:" + slots.get(members.get(0)).name();
			for (int i : members) {
				Slot slot = slots.get(i);
				steps.set(i,
						new Step(
								null, initializer(slot, shared), "mimetic: " + slot.place().part().wireName()
										+ " of the module drawn with " + slots.get(members.get(0)).name(),
								Map.of(), stream));
			}
		}
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("heads", s.heads());
		echo.put("head_dim", s.headDim());
		echo.put("attention_modules", modules.size());
		return new Outcome(steps, echo);
	}

	/** The slot's part of its module's weights, in the slot's layout. */
	private static Initializer initializer(Slot slot, Shared shared) {
		Place place = slot.place();
		List<Part> parts = Packed.slicesOf(place.part());
		int d = shared.structure.width();
		Fill fill = (Fill.Whole) (stream, values) -> {
			Mimetic.Weights w = shared.take(stream);
			for (int s = 0; s < parts.size(); s++) {
				double[] m = switch (parts.get(s)) {
					case QUERY -> w.query();
					case KEY -> w.key();
					case VALUE -> w.value();
					default -> w.output();
				};
				// m is [out, in] = [d, d]; a packed tensor holds its slices along out
				for (int o = 0; o < d; o++) {
					for (int in = 0; in < d; in++) {
						int row = s * d + o;
						if (place.inOut()) {
							values[in * (parts.size() * d) + row] = m[o * d + in];
						}
						else {
							values[row * d + in] = m[o * d + in];
						}
					}
				}
			}
		};
		Map<String, Object> resolved = new LinkedHashMap<>();
		resolved.put("scheme", "mimetic");
		resolved.put("parts", parts.stream().map(Part::wireName).toList());
		resolved.put("alpha1", shared.coefficients.alpha1());
		resolved.put("beta1", shared.coefficients.beta1());
		resolved.put("alpha2", shared.coefficients.alpha2());
		resolved.put("beta2", shared.coefficients.beta2());
		// a factor of a random matrix's SVD: its mean is 0 by symmetry (Z and -Z are
		// equally
		// likely and the split is odd in the factors' signs), its std has no closed form
		return new Initializer(fill, resolved, 0.0, Double.NaN);
	}

	/**
	 * One attention module's weights, computed once by whichever of its tensors is
	 * generated first and dropped when every tensor has taken its part.
	 */
	private static final class Shared {

		private final Structure structure;

		private final Mimetic.Coefficients coefficients;

		private final int consumers;

		private Mimetic.Weights weights;

		private int taken;

		Shared(Structure structure, Mimetic.Coefficients coefficients, int consumers) {
			this.structure = structure;
			this.coefficients = coefficients;
			this.consumers = consumers;
		}

		synchronized Mimetic.Weights take(RandomStream stream) {
			Mimetic.Weights w = this.weights;
			if (w == null) {
				w = Mimetic.initialize(this.structure.width(), this.structure.heads(), this.structure.headDim(),
						this.coefficients, stream);
			}
			this.taken++;
			// every consumer draws from an identical stream, so a recomputation after the
			// last take (a second response of the same plan) gives the same weights
			this.weights = (this.taken % this.consumers == 0) ? null : w;
			return w;
		}

	}

}
