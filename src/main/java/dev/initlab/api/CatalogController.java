package dev.initlab.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.initlab.init.Gain;
import dev.initlab.init.Param;
import dev.initlab.init.Preset;
import dev.initlab.init.Scheme;
import dev.initlab.models.Architecture;
import dev.initlab.models.Architectures;
import dev.initlab.models.PartRule;
import dev.initlab.recipes.Recipe;
import dev.initlab.recipes.RecipeParam;
import dev.initlab.models.ConfigField;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.NotFoundException;
import dev.initlab.rng.Generator;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "catalogs", description = "Schemes, presets, generators, gains, architectures and recipes")
class CatalogController {

	@GetMapping("/schemes")
	@Operation(summary = "List initialization schemes",
			description = "Every scheme with its parameters (type, default, range), formula, reference and distribution.")
	Map<String, List<SchemeEntry>> schemes() {
		return Map.of("schemes", Arrays.stream(Scheme.values()).map(SchemeEntry::from).toList());
	}

	@GetMapping("/schemes/{name}")
	@Operation(summary = "Describe one scheme", description = "By name or alias, e.g. `kaiming_normal` or `he_normal`.")
	SchemeEntry scheme(@Parameter(example = "kaiming_normal") @PathVariable String name) {
		return Scheme.byName(name).map(SchemeEntry::from).orElseThrow(() -> notFound("scheme", name, Scheme.names()));
	}

	@GetMapping("/presets")
	@Operation(summary = "List presets", description = "What each preset does, per layer type and parameter role.")
	Map<String, List<PresetEntry>> presets() {
		return Map.of("presets", Arrays.stream(Preset.values()).map(PresetEntry::from).toList());
	}

	@GetMapping("/rngs")
	@Operation(summary = "List random number generators", description = "Name, family and description of each.")
	Map<String, List<RngEntry>> rngs() {
		return Map.of("rngs",
				Arrays.stream(Generator.values())
					.map(g -> new RngEntry(g.wireName(), g.family().wireName(), g.description()))
					.toList());
	}

	@GetMapping("/gains")
	@Operation(summary = "Recommended gain of a nonlinearity",
			description = "PyTorch's calculate_gain for its table (linear/conv/sigmoid 1, tanh 5/3, relu sqrt(2), "
					+ "leaky_relu sqrt(2/(1+slope^2)) with slope 0.01 without param, selu 3/4), next to the computed "
					+ "gain 1/sqrt(E[f(z)^2]), z ~ N(0,1), by Gauss-Hermite quadrature; activations the table lacks "
					+ "(gelu, silu/swish, mish, softplus, elu and celu with alpha = param, hardtanh) get the computed "
					+ "gain (method quadrature).")
	GainEntry gain(@Parameter(example = "leaky_relu") @RequestParam String nonlinearity,
			@Parameter(example = "0.2") @RequestParam(required = false) Double param) {
		if (!Gain.isKnown(nonlinearity)) {
			throw new InvalidRequestException("nonlinearity",
					"unknown nonlinearity '" + nonlinearity + "'; allowed: " + String.join(", ", Gain.SUPPORTED));
		}
		if (param != null && !Double.isFinite(param)) {
			throw new InvalidRequestException("param", "param must be a finite number");
		}
		String key = nonlinearity.toLowerCase(java.util.Locale.ROOT);
		if (param != null && (key.equals("elu") || key.equals("celu")) && !(param > 0)) {
			throw new InvalidRequestException("param", key + "'s alpha must be > 0");
		}
		Double used = Gain.effectiveParam(key, param);
		double quadrature = Gain.quadrature(key, used);
		boolean table = Gain.inTable(key);
		return new GainEntry(key, used, table ? Gain.of(key, used) : quadrature, table ? "table" : "quadrature",
				quadrature);
	}

	@GetMapping("/architectures")
	@Operation(summary = "List whole architectures",
			description = "Each architecture a request's `model` may name: `library/Name`, the library version whose "
					+ "code it follows, its config fields (the library's own names, types and defaults; fields marked "
					+ "`ignored` are accepted and do not change the parameters) and its `library_default` rules by "
					+ "tensor-name glob.")
	Map<String, List<ArchitectureEntry>> architectures() {
		return Map.of("architectures", Architectures.all().stream().map(ArchitectureEntry::from).toList());
	}

	@GetMapping("/architectures/{library}/{name}")
	@Operation(summary = "Describe one architecture",
			description = "By its full name, `library/Name`, e.g. `transformers/GPT2LMHeadModel` or `nanogpt/GPT`.")
	ArchitectureEntry architecture(@Parameter(example = "transformers") @PathVariable String library,
			@Parameter(example = "GPT2LMHeadModel") @PathVariable String name) {
		String full = library + "/" + name;
		return Architectures.byName(full)
			.map(ArchitectureEntry::from)
			.orElseThrow(() -> notFound("architecture", full, Architectures.names()));
	}

	@GetMapping("/recipes")
	@Operation(summary = "List init recipes",
			description = "Each depth- or width-aware recipe a request's `recipe` may name: its formula, the paper "
					+ "(and the reference code) it follows, its parameters, and the architectures and stacks it "
					+ "applies to (a request naming it elsewhere is a 400 listing these).")
	Map<String, List<RecipeEntry>> recipes() {
		return Map.of("recipes", Arrays.stream(Recipe.values()).map(RecipeEntry::from).toList());
	}

	@GetMapping("/recipes/{name}")
	@Operation(summary = "Describe one init recipe")
	RecipeEntry recipe(@Parameter(example = "deepnorm") @PathVariable String name) {
		return Recipe.byName(name).map(RecipeEntry::from).orElseThrow(() -> notFound("recipe", name, Recipe.names()));
	}

	private static NotFoundException notFound(String what, String name, List<String> allowed) {
		return new NotFoundException("unknown " + what + " '" + name + "'; allowed: " + String.join(", ", allowed));
	}

	record SchemeEntry(String name, List<String> aliases, List<ParamEntry> parameters, String formula, String reference,
			String distribution, String numpy) {

		static SchemeEntry from(Scheme s) {
			return new SchemeEntry(s.wireName(), s.aliases(), s.parameters().stream().map(ParamEntry::from).toList(),
					s.formula(), s.reference(), s.distribution(),
					(s.numpyRecipe() != null) ? s.numpyRecipe() : "not reproducible with NumPy's streams");
		}

	}

	@JsonInclude(JsonInclude.Include.ALWAYS)
	record ParamEntry(String name, String type, @JsonProperty("default") Object defaultValue, Double min, Double max,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowed, boolean required, String description) {

		static ParamEntry from(Param p) {
			return new ParamEntry(p.name(), p.type(), p.defaultValue(), p.min(), p.max(), p.allowed(), p.required(),
					p.description());
		}

	}

	record PresetEntry(String name, String description, List<RuleEntry> rules) {

		static PresetEntry from(Preset p) {
			return new PresetEntry(p.wireName(), p.description(),
					p.rules()
						.stream()
						.map(r -> new RuleEntry(r.layerTypes(), (r.role() != null) ? r.role().wireName() : "*",
								r.param(), r.description()))
						.toList());
		}

	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	record RuleEntry(List<String> layerTypes, String role, String parameter, String init) {
	}

	record RngEntry(String name, String family, String description) {
	}

	record ArchitectureEntry(String name, String library, String libraryVersion, String description,
			List<ConfigEntry> config, List<ArchitectureRule> rules,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<PartEntry> parts) {

		static ArchitectureEntry from(Architecture a) {
			return new ArchitectureEntry(a.name(), a.library(), a.libraryVersion(), a.description(),
					a.config().stream().map(ConfigEntry::from).toList(),
					a.rules().stream().map(r -> new ArchitectureRule(r.match(), r.rule())).toList(),
					a.parts().stream().map(PartEntry::from).toList());
		}

	}

	/**
	 * Which weights play a part recipes act on; {@code residual_output} marks the
	 * residual-branch output projections.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record PartEntry(String match, String part, boolean residualOutput, String stack, Boolean cross, String layout) {

		static PartEntry from(PartRule r) {
			return new PartEntry(r.match(), r.part().wireName(), r.part().isResidualOutput(),
					(r.stack() != null) ? r.stack().name().toLowerCase(java.util.Locale.ROOT) : null,
					r.cross() ? Boolean.TRUE : null, r.inOut() ? "[in, out]" : null);
		}

	}

	record RecipeEntry(String name, String formula, String paper, String reference, List<RecipeParamEntry> parameters,
			List<String> architectures, List<String> stacks) {

		static RecipeEntry from(Recipe r) {
			return new RecipeEntry(r.wireName(), r.formula(), r.paper(), r.reference(),
					r.params().stream().map(RecipeParamEntry::from).toList(), r.architectures(), r.stacks());
		}

	}

	@JsonInclude(JsonInclude.Include.ALWAYS)
	record RecipeParamEntry(String name, String type, @JsonProperty("default") Object defaultValue,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowed, String description) {

		static RecipeParamEntry from(RecipeParam p) {
			return new RecipeParamEntry(p.name(), p.type(), p.defaultValue(), p.allowed(), p.description());
		}

	}

	@JsonInclude(JsonInclude.Include.ALWAYS)
	record ConfigEntry(String name, String type, @JsonProperty("default") Object defaultValue, boolean nullable,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowed, boolean ignored, String description) {

		static ConfigEntry from(ConfigField f) {
			return new ConfigEntry(f.name(), f.type().wireName(), f.defaultValue(), f.nullable(), f.allowed(),
					f.ignored(), f.description());
		}

	}

	record ArchitectureRule(String match, String rule) {
	}

	@JsonInclude(JsonInclude.Include.ALWAYS)
	record GainEntry(String nonlinearity, Double param, double gain, String method, Double quadratureGain) {
	}

}
