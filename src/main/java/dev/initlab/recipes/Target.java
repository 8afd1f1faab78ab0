package dev.initlab.recipes;

import java.util.List;

import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.models.Architecture;
import dev.initlab.models.ModelConfig;
import dev.initlab.models.Structure;

/**
 * What a recipe acts on: a whole architecture, a residual stack of {@code /propagation},
 * or a {@code layers} stack, with its tensors.
 *
 * @param kind which of these it is
 * @param architecture the architecture (for {@link Kind#ARCHITECTURE}), else null
 * @param structure the transformer's depth and widths, or null when the architecture is
 * not a transformer and for stacks
 * @param blocks L, the residual blocks of a residual stack (else 0)
 * @param branchLayers m, the layers of each residual branch (else 0)
 * @param slots the tensors, in order
 * @param config the architecture's parsed config (for {@link Kind#ARCHITECTURE}), else
 * null
 * @param layers the layers of a {@link Kind#LAYERS} stack, else empty
 * @param layout the layout of a {@link Kind#LAYERS} stack's tensors, else {@code pytorch}
 */
public record Target(Kind kind, Architecture architecture, Structure structure, int blocks, int branchLayers,
		List<Slot> slots, ModelConfig config, List<LayerSpec> layers, Layout layout) {

	public Target {
		slots = List.copyOf(slots);
		layers = (layers != null) ? List.copyOf(layers) : List.of();
	}

	/** What a recipe acts on. */
	public enum Kind {

		/** A whole architecture ({@code "model"}). */
		ARCHITECTURE("architectures"),

		/**
		 * A residual stack of {@code /propagation}: L blocks x ← α·x + f(x) whose branch
		 * f has m linear layers; a branch's last layer is its residual output
		 * ({@code FFN_OUT}), the others {@code FFN_IN}.
		 */
		RESIDUAL_STACK("residual stacks (/propagation block)"),

		/** A {@code layers} stack (an MLP of linear layers, input to output). */
		LAYERS("layers stacks");

		private final String description;

		Kind(String description) {
			this.description = description;
		}

		/** How the catalog names it. */
		public String description() {
			return this.description;
		}

	}

	/** A whole architecture's tensors. */
	public static Target of(Architecture architecture, ModelConfig config, Structure structure, List<Slot> slots) {
		return new Target(Kind.ARCHITECTURE, architecture, structure, 0, 0, slots, config, List.of(), Layout.PYTORCH);
	}

	/** A residual stack of {@code blocks} blocks of {@code branchLayers} layers. */
	public static Target residualStack(int blocks, int branchLayers, List<Slot> slots) {
		return new Target(Kind.RESIDUAL_STACK, null, null, blocks, branchLayers, slots, null, List.of(),
				Layout.PYTORCH);
	}

	/** A {@code layers} stack: its layers and their tensors. */
	public static Target layers(List<LayerSpec> layers, Layout layout, List<Slot> slots) {
		return new Target(Kind.LAYERS, null, null, 0, 0, slots, null, layers, layout);
	}

	/** What the target is called in messages. */
	public String describe() {
		return switch (this.kind) {
			case ARCHITECTURE -> this.architecture.name();
			case RESIDUAL_STACK -> "a residual stack";
			case LAYERS -> "a layers stack";
		};
	}

}
