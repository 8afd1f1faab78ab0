package dev.initlab.models;

import java.util.List;

/**
 * One whole architecture as a library builds it ({@code transformers/GPT2LMHeadModel},
 * {@code nanogpt/GPT}, ...): its config fields, its own initialization rules and, for a
 * config, the tensors of its {@code model.state_dict()}.
 * <p>
 * An implementation is a stateless singleton listed in {@link Architectures} (the
 * registry the catalog {@code GET /api/v1/architectures} and the planner read). It
 * declares its config fields once ({@link #config()}), with the library's own names and
 * defaults; {@link ModelConfig} parses a request's {@code config} against them, so
 * parsing, defaults and the catalog cannot drift.
 * <p>
 * Adding an architecture: one class extending {@link LibraryArchitecture} (use
 * {@link StateDict} to append tensors in {@code state_dict()} order), one constant in
 * {@link Architectures}, and a fixture from the real library under
 * {@code src/test/resources/reference/architectures/}.
 */
public interface Architecture {

	/** The wire name, {@code library/Name}: {@code transformers/GPT2LMHeadModel}. */
	String name();

	/** The library ({@code transformers}, {@code nanogpt}, {@code torchvision}, ...). */
	String library();

	/**
	 * The library version whose code this follows (e.g. {@code 5.18.0}, or a commit for
	 * libraries without releases).
	 */
	String libraryVersion();

	/**
	 * One sentence: what is built, e.g. {@code GPT2LMHeadModel(GPT2Config(**config))}.
	 */
	String description();

	/**
	 * The config fields, in the library's order: its names, types and defaults. Fields
	 * that do not change the parameters ({@code *dropout*}, {@code *_eps}, activation
	 * names, ...) are declared with {@link ConfigField#ignored} so requests may carry
	 * them.
	 */
	List<ConfigField> config();

	/**
	 * The library's own initialization ({@code library_default}) as rules by name glob,
	 * for the catalog; each built tensor's {@link InitRule#rule()} text is one of these
	 * rules' texts (possibly with the numbers filled in).
	 */
	List<Rule> rules();

	/**
	 * The tensors of {@code model.state_dict()} for this config, in that order: names,
	 * shapes, element kinds, roles, fans, the library's and torch.nn's initializers, tie
	 * groups.
	 * @param config the request's config, already parsed against {@link #config()}
	 * @throws InvalidConfigException naming the config field at fault for impossible
	 * configs (heads not dividing the width, non-positive sizes, ...)
	 */
	List<ModelTensor> build(ModelConfig config);

	/**
	 * Which weights play which {@link Part} (residual-branch outputs, value projections,
	 * the readout, ...), by name glob; empty for an architecture no transformer recipe
	 * applies to. The first matching rule wins.
	 */
	default List<PartRule> parts() {
		return List.of();
	}

	/**
	 * The depth and widths of this config as recipes need them, or null when the
	 * architecture is not a transformer.
	 * @param config the request's config, already parsed and built without error
	 */
	default Structure structure(ModelConfig config) {
		return null;
	}

}
