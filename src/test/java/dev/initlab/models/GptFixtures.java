package dev.initlab.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The architecture fixtures under {@code src/test/resources/reference/architectures/}:
 * each case an architecture at one config as the library built it (see the script beside
 * each fixture).
 */
public final class GptFixtures {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private GptFixtures() {
	}

	/**
	 * One architecture at one config.
	 *
	 * @param architecture the wire name
	 * @param config the config as the script passed it
	 * @param stateDict the state_dict's entries in order
	 * @param tieGroups keys sharing one tensor, first key first
	 * @param numParameters {@code sum(p.numel() for p in model.parameters())}
	 * @param groups per group of tensors (block index as {@code *}): a constant, or
	 * samples the library drew
	 */
	public record Case(String architecture, Map<String, Object> config, List<Entry> stateDict,
			List<List<String>> tieGroups, long numParameters, List<Group> groups) {

		@Override
		public String toString() {
			return this.architecture + " " + this.config;
		}

	}

	/** A state_dict entry. */
	public record Entry(String name, int[] shape, String dtype) {
	}

	/**
	 * @param match the group's name pattern, block index as {@code *}
	 * @param constant the one value of a constant group, else null
	 * @param samples values the library drew, else null
	 */
	public record Group(String match, Double constant, double[] samples) {

		/** Whether a tensor name belongs to the group. */
		public boolean contains(String name) {
			return name.replaceAll("\\.h\\.\\d+\\.", ".h.*.").equals(this.match);
		}

	}

	/** The cases of one fixture file. */
	@SuppressWarnings("unchecked")
	public static List<Case> cases(String file) {
		JsonNode root = read(file);
		List<Case> cases = new ArrayList<>();
		for (JsonNode c : root.get("cases")) {
			List<Entry> entries = new ArrayList<>();
			for (JsonNode e : c.get("state_dict")) {
				int[] shape = new int[e.get("shape").size()];
				for (int i = 0; i < shape.length; i++) {
					shape[i] = e.get("shape").get(i).asInt();
				}
				entries.add(new Entry(e.get("name").asString(), shape, e.get("dtype").asString()));
			}
			List<List<String>> ties = new ArrayList<>();
			for (JsonNode t : c.get("tie_groups")) {
				List<String> keys = new ArrayList<>();
				t.forEach(k -> keys.add(k.asString()));
				ties.add(keys);
			}
			List<Group> groups = new ArrayList<>();
			for (JsonNode g : c.get("groups")) {
				if (g.get("kind").asString().equals("constant")) {
					groups.add(new Group(g.get("match").asString(), g.get("value").asDouble(), null));
				}
				else {
					double[] samples = new double[g.get("samples").size()];
					for (int i = 0; i < samples.length; i++) {
						samples[i] = g.get("samples").get(i).asDouble();
					}
					groups.add(new Group(g.get("match").asString(), null, samples));
				}
			}
			cases.add(new Case(c.get("architecture").asString(), JSON.treeToValue(c.get("config"), Map.class), entries,
					ties, c.get("num_parameters").asLong(), groups));
		}
		return cases;
	}

	private static JsonNode read(String file) {
		try (InputStream in = GptFixtures.class.getResourceAsStream("/reference/architectures/" + file)) {
			return JSON.readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
