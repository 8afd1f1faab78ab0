package dev.initlab.models;

import java.util.List;
import java.util.function.Function;

/**
 * What every {@link Architecture} states about itself, held once: its library, name,
 * version, description, config fields and rules. An implementation passes them to this
 * constructor and writes only {@link #build}.
 */
abstract class LibraryArchitecture implements Architecture {

	private final String library;

	private final String name;

	private final String libraryVersion;

	private final String description;

	private final List<ConfigField> config;

	private final List<Rule> rules;

	private List<PartRule> parts = List.of();

	private Function<ModelConfig, Structure> structure = (config) -> null;

	/**
	 * @param library the library ({@code transformers})
	 * @param name the library's name for the model ({@code GPT2LMHeadModel}); the wire
	 * name is {@code library/name}
	 * @param libraryVersion the library version whose code this follows
	 * @param description what is built, in the library's terms
	 * @param config the config fields, in the library's order
	 * @param rules the library's own initialization, by name glob
	 */
	LibraryArchitecture(String library, String name, String libraryVersion, String description,
			List<ConfigField> config, List<Rule> rules) {
		this.library = library;
		this.name = name;
		this.libraryVersion = libraryVersion;
		this.description = description;
		this.config = List.copyOf(config);
		this.rules = List.copyOf(rules);
	}

	@Override
	public final String name() {
		return this.library + "/" + this.name;
	}

	@Override
	public final String library() {
		return this.library;
	}

	@Override
	public final String libraryVersion() {
		return this.libraryVersion;
	}

	@Override
	public final String description() {
		return this.description;
	}

	@Override
	public final List<ConfigField> config() {
		return this.config;
	}

	@Override
	public final List<Rule> rules() {
		return this.rules;
	}

	/**
	 * Declares this architecture a transformer for the recipes: which weights play which
	 * part, and how its config gives the depth and widths. Called once, from the
	 * constructor.
	 */
	final void transformer(List<PartRule> parts, Function<ModelConfig, Structure> structure) {
		this.parts = List.copyOf(parts);
		this.structure = structure;
	}

	@Override
	public final List<PartRule> parts() {
		return this.parts;
	}

	@Override
	public final Structure structure(ModelConfig config) {
		return this.structure.apply(config);
	}

}
