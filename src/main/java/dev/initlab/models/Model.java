package dev.initlab.models;

import java.util.List;
import java.util.Map;

/**
 * An architecture with a parsed config: what a request's {@code model} becomes.
 *
 * @param architecture the architecture
 * @param config its config, parsed against {@link Architecture#config()}
 */
public record Model(Architecture architecture, ModelConfig config) {

	/**
	 * Parses {@code config} (the JSON object, null for all defaults) for
	 * {@code architecture}.
	 * @throws InvalidConfigException naming every config field at fault
	 */
	public static Model of(Architecture architecture, Map<String, Object> config) {
		return new Model(architecture, ModelConfig.parse(architecture.config(), config));
	}

	/**
	 * The state_dict's tensors for this config, in order.
	 * @throws InvalidConfigException for a config the architecture cannot build
	 */
	public List<ModelTensor> build() {
		return this.architecture.build(this.config);
	}

}
