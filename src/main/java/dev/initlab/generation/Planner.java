package dev.initlab.generation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.initlab.init.Fill;
import dev.initlab.init.InitOverride;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Initializer;
import dev.initlab.init.InvalidInitializerException;
import dev.initlab.init.NameGlob;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Preset;
import dev.initlab.init.Scheme;
import dev.initlab.layers.InvalidLayerException;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.models.Architecture;
import dev.initlab.models.HfConfig;
import dev.initlab.models.InvalidConfigException;
import dev.initlab.models.ModelTensor;
import dev.initlab.models.StateDict;
import dev.initlab.models.Structure;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.recipes.InvalidRecipeException;
import dev.initlab.recipes.Outcome;
import dev.initlab.recipes.Place;
import dev.initlab.recipes.Recipe;
import dev.initlab.recipes.RecipeSpec;
import dev.initlab.recipes.Slot;
import dev.initlab.recipes.Step;
import dev.initlab.recipes.Target;
import dev.initlab.rng.Generator;
import dev.initlab.rng.SeedMaterial;
import dev.initlab.tensor.DType;
import dev.initlab.tensor.Npy;
import dev.initlab.tensor.Safetensors;

/**
 * Turns a {@link Blueprint} into a {@link Plan}: checks every field and limit and
 * resolves every tensor's initializer before a single value is drawn, so a response never
 * fails half-way.
 */
@Component
public class Planner {

	private final GenerationLimits limits;

	public Planner(GenerationLimits limits) {
		this.limits = limits;
	}

	/**
	 * @param blueprint what to generate
	 * @param format the response format (JSON data has the smaller limit; npy holds one
	 * tensor), or null for none: the caller holds the tensors in memory and bounds them
	 * by its own limits, so the response limits (tensors, elements, JSON elements) do not
	 * apply
	 * @param tensor the one tensor to return ({@code ?tensor=NAME}), or null for all
	 * @throws InvalidRequestException naming every field at fault
	 * @throws LimitExceededException when a configured limit is exceeded
	 */
	public Plan plan(Blueprint blueprint, OutputFormat format, String tensor) {
		return plan(blueprint, format, tensor, List.of());
	}

	/**
	 * As {@link #plan(Blueprint, OutputFormat, String)}, reporting {@code found} (what
	 * the caller found wrong converting its input into the blueprint) together with the
	 * planner's own findings, so one response names every field at fault.
	 */
	public Plan plan(Blueprint blueprint, OutputFormat format, String tensor,
			List<InvalidRequestException.FieldError> found) {
		List<InvalidRequestException.FieldError> errors = new ArrayList<>(found);
		Generator generator = blueprint.generator();
		DType dtype = blueprint.dtype();
		Layout layout = blueprint.layout();
		Seeding seeding = blueprint.seeding();
		Policy init = blueprint.init();
		List<LayerSpec> layers = blueprint.layers();
		boolean stats = blueprint.stats();
		boolean data = blueprint.data();
		boolean jsonData = format == OutputFormat.JSON && data;
		if (format == OutputFormat.HF) {
			checkHf(blueprint, tensor, errors);
		}
		if (format != null && format != OutputFormat.JSON && format != OutputFormat.SAFETENSORS
				&& format != OutputFormat.HF && !Npy.supports(dtype)) {
			errors.add(new InvalidRequestException.FieldError("dtype", "NumPy has no " + dtype.wireName() + ", so "
					+ format.wireName() + " cannot hold it; use format safetensors or json, or another dtype"));
		}
		if (init != null) {
			checkPreset(init, "init", errors);
		}
		if (blueprint.model() != null) {
			return planModel(blueprint, format, tensor, errors);
		}
		checkTensorCount(layers, layout);
		List<ParameterSpec> specs = new ArrayList<>();
		List<Integer> owners = new ArrayList<>();
		Set<String> layerNames = new HashSet<>();
		for (int i = 0; i < layers.size(); i++) {
			LayerSpec layer = layers.get(i);
			String path = "layers[" + i + "]";
			if (!layerNames.add(layer.name())) {
				errors.add(new InvalidRequestException.FieldError(path + ".name",
						"duplicate layer name '" + layer.name() + "'; names must be unique"));
			}
			if (layer.init() != null) {
				checkPreset(layer.init(), path + ".init", errors);
			}
			try {
				for (ParameterSpec spec : layer.parameters(layout)) {
					specs.add(spec);
					owners.add(i);
				}
			}
			catch (InvalidLayerException ex) {
				errors.add(new InvalidRequestException.FieldError(path + "." + ex.field(), ex.getMessage()));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		Integer only = select(specs, format, tensor);
		if (format != null) {
			checkLimits(only == null ? specs : List.of(specs.get(only)), jsonData);
		}
		Set<String> tensorNames = new HashSet<>();
		List<Choice> choices = new ArrayList<>();
		for (int k = 0; k < specs.size(); k++) {
			ParameterSpec spec = specs.get(k);
			int i = owners.get(k);
			if (!tensorNames.add(spec.name())) {
				errors.add(new InvalidRequestException.FieldError("layers[" + i + "].name",
						"tensor name '" + spec.name() + "' is produced twice; tensor names must be unique"));
			}
			else if ((format == OutputFormat.SAFETENSORS || format == OutputFormat.HF)
					&& spec.name().equals(Safetensors.METADATA)) {
				errors.add(new InvalidRequestException.FieldError("layers[" + i + "].name", "tensor name '"
						+ spec.name() + "' is the key safetensors keeps its metadata under; rename the tensor"));
			}
			try {
				choices.add(choose(spec, layers.get(i).init(), init, "layers[" + i + "].init"));
			}
			catch (FieldException ex) {
				errors.add(new InvalidRequestException.FieldError(ex.field, ex.getMessage()));
				choices.add(null);
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		List<String> names = specs.stream().map(ParameterSpec::name).toList();
		int[] override = matchOverrides(blueprint.overrides(), names, names, new boolean[names.size()], errors);
		Outcome outcome = null;
		if (blueprint.recipe() != null) {
			List<Slot> slots = new ArrayList<>();
			for (int k = 0; k < specs.size(); k++) {
				// a layer's own init for the role (or its preset) is an override: it wins
				Choice choice = choices.get(k);
				boolean own = choice.path().startsWith("layers[");
				slots.add(new Slot(specs.get(k), null, choice.init(), choice.init(), null, own, null, choice.preset()));
			}
			outcome = applyRecipe(blueprint.recipe(), Target.layers(layers, layout, slots), errors);
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		List<PlannedTensor> tensors = new ArrayList<>();
		for (int k = 0; k < specs.size(); k++) {
			Choice choice = (override[k] >= 0) ? overrideChoice(blueprint.overrides(), override[k])
					: choices.get(k).after((outcome != null) ? outcome.steps().get(k) : null);
			try {
				tensors.add(finish(specs.get(k), choice, generator, null, false));
			}
			catch (FieldException ex) {
				errors.add(new InvalidRequestException.FieldError(ex.field, ex.getMessage()));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		return finishPlan(blueprint, tensors, only, (outcome != null) ? outcome.echo() : null);
	}

	/**
	 * The seed and what depends on it, after the whole-tensor limit: the last step of
	 * planning layers and models alike.
	 */
	private Plan finishPlan(Blueprint blueprint, List<PlannedTensor> tensors, Integer only,
			Map<String, Object> recipe) {
		Generator generator = blueprint.generator();
		Seeding seeding = blueprint.seeding();
		for (PlannedTensor t : tensors) {
			if (t.initializer().fill() instanceof Fill.Whole && t.spec().numel() > this.limits.maxWholeElements()) {
				throw new LimitExceededException(
						"elements in " + t.spec().name() + " (scheme " + t.init().get("scheme")
								+ " fills the whole tensor at once)",
						t.spec().numel(), this.limits.maxWholeElements(),
						GenerationLimits.PREFIX + "max-whole-elements", null);
			}
		}
		long seed = (blueprint.seed() != null) ? blueprint.seed() : SeedMaterial.drawSeed();
		if (seeding == Seeding.SEQUENTIAL && generator.seedProblem(seed) != null) {
			throw new InvalidRequestException("seed", generator.seedProblem(seed) + "; got " + seed);
		}
		if (generator.family() == Generator.Family.NUMPY && seeding == Seeding.PER_TENSOR) {
			// np.random.seed(stream_seed) (or default_rng) then the scheme's NumPy call
			// reproduces it
			for (PlannedTensor t : tensors) {
				t.init().put("stream_seed", generator.numpySeed(SeedMaterial.forTensorBlock(seed, t.streamName(), 0)));
			}
		}
		long reported = 0;
		for (int i = 0; i < tensors.size(); i++) {
			if (only == null || only == i) {
				reported += tensors.get(i).spec().numel();
			}
		}
		return new Plan(seed, generator, blueprint.dtype(), blueprint.layout(), seeding, blueprint.stats(),
				blueprint.data(), List.copyOf(tensors), only, this.limits.statsLimit(reported), recipe,
				blueprint.model());
	}

	/**
	 * A Hugging Face directory ({@code ?format=hf}) is a whole transformers model: its
	 * config.json is what {@code from_pretrained} reads first.
	 */
	private static void checkHf(Blueprint blueprint, String tensor, List<InvalidRequestException.FieldError> errors) {
		String allowed = String.join(", ", HfConfig.architectures());
		if (blueprint.model() == null) {
			errors.add(new InvalidRequestException.FieldError("format",
					"format hf is a Hugging Face model directory (config.json and model.safetensors for "
							+ "from_pretrained), so it needs a model of a transformers architecture (one of: " + allowed
							+ "), not layers; ask for format safetensors"));
		}
		else if (!HfConfig.supports(blueprint.model().architecture())) {
			errors.add(new InvalidRequestException.FieldError("model.architecture", "format hf is a Hugging Face "
					+ "model directory, whose config.json from_pretrained reads: only transformers architectures have "
					+ "one (" + allowed + "); ask for format safetensors for "
					+ blueprint.model().architecture().name()));
		}
		else {
			try {
				// written only with the response, so a value it cannot write is found now
				HfConfig.json(blueprint.model(), blueprint.dtype().wireName());
			}
			catch (RuntimeException ex) {
				errors.add(new InvalidRequestException.FieldError("model.config",
						"config.json cannot be written: " + ex.getMessage()));
			}
		}
		if (tensor != null) {
			errors.add(new InvalidRequestException.FieldError("tensor",
					"format hf holds the whole model; drop ?tensor= or ask for format safetensors or npy"));
		}
	}

	private static Integer select(List<ParameterSpec> specs, OutputFormat format, String tensor) {
		if (tensor != null) {
			for (int i = 0; i < specs.size(); i++) {
				if (specs.get(i).name().equals(tensor)) {
					return i;
				}
			}
			throw new InvalidRequestException("tensor",
					"no tensor named '" + tensor + "'; the request has: " + names(specs));
		}
		if (format == OutputFormat.NPY && specs.size() > 1) {
			throw new InvalidRequestException("tensor", "npy holds one array and the request has " + specs.size()
					+ "; choose one with ?tensor=NAME (one of: " + names(specs) + ") or ask for npz or safetensors");
		}
		return null;
	}

	private static String names(List<ParameterSpec> specs) {
		return listed(specs.stream().map(ParameterSpec::name).toList());
	}

	private static String listed(List<String> names) {
		return String.join(", ", names.subList(0, Math.min(20, names.size())))
				+ ((names.size() > 20) ? ", … (" + names.size() + " in all)" : "");
	}

	/**
	 * The tensor limit, before any tensor is built: one recurrent layer may ask for
	 * billions ({@code num_layers}).
	 */
	private void checkTensorCount(List<LayerSpec> layers, Layout layout) {
		long count = 0;
		for (LayerSpec layer : layers) {
			try {
				count = saturatingAdd(count, layer.tensorCount(layout));
			}
			catch (InvalidLayerException ex) {
				// reported with the layer's other errors
			}
		}
		if (count > this.limits.maxTensors()) {
			throw new LimitExceededException("tensors", count, this.limits.maxTensors(),
					GenerationLimits.PREFIX + "max-tensors", null);
		}
	}

	private void checkLimits(List<ParameterSpec> specs, boolean jsonData) {
		if (specs.size() > this.limits.maxTensors()) {
			throw new LimitExceededException("tensors", specs.size(), this.limits.maxTensors(),
					GenerationLimits.PREFIX + "max-tensors", null);
		}
		long elements = 0;
		for (ParameterSpec spec : specs) {
			elements = saturatingAdd(elements, spec.numel());
		}
		if (elements > this.limits.maxElements()) {
			throw new LimitExceededException("elements", elements, this.limits.maxElements(),
					GenerationLimits.PREFIX + "max-elements", null);
		}
		if (jsonData && elements > this.limits.maxJsonElements()) {
			throw new LimitExceededException("elements of JSON data", elements, this.limits.maxJsonElements(),
					GenerationLimits.PREFIX + "max-json-elements",
					"Ask for a binary format (?format=npz or safetensors) or for \"include\": [\"stats\"].");
		}
	}

	private static long saturatingAdd(long a, long b) {
		long sum = a + b;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

	/**
	 * Where a tensor's initializer comes from, before it is resolved.
	 *
	 * @param init the initializer
	 * @param path the request field it comes from (for errors)
	 * @param preset the preset that gave it, or null
	 * @param rule the library or preset rule in words, or null
	 * @param override the index of the override that set it, or null
	 * @param step the recipe step that set it or left it alone (with its words), or null
	 */
	private record Choice(InitSpec init, String path, Preset preset, String rule, Integer override, Step step) {

		Choice(InitSpec init, String path, Preset preset, String rule, Integer override) {
			this(init, path, preset, rule, override, null);
		}

		/** This choice after a recipe step. */
		Choice after(Step step) {
			if (step == null) {
				return this;
			}
			return new Choice(step.keeps() ? this.init : step.init(), step.keeps() ? this.path : "recipe", this.preset,
					this.rule, null, step);
		}

	}

	/**
	 * The initializer of one layer tensor: the layer's policy for its role, else the
	 * layer's preset, else the request's policy for the role, else the request's preset,
	 * else {@code pytorch_default}.
	 */
	private static Choice choose(ParameterSpec spec, Policy layerPolicy, Policy requestPolicy, String layerPath) {
		String role = spec.role().wireName();
		if (layerPolicy != null && layerPolicy.forRole(spec.role()).isPresent()) {
			return new Choice(layerPolicy.forRole(spec.role()).get(), layerPath + "." + role, null, null, null);
		}
		if (requestPolicy != null && requestPolicy.forRole(spec.role()).isPresent()
				&& (layerPolicy == null || layerPolicy.preset() == null)) {
			return new Choice(requestPolicy.forRole(spec.role()).get(), "init." + role, null, null, null);
		}
		Preset preset = Preset.PYTORCH_DEFAULT;
		String path = "init";
		if (layerPolicy != null && layerPolicy.preset() != null) {
			preset = layerPolicy.resolvePreset().get();
			path = layerPath + ".preset";
		}
		else if (requestPolicy != null && requestPolicy.preset() != null) {
			preset = requestPolicy.resolvePreset().get();
			path = "init.preset";
		}
		try {
			return new Choice(preset.initFor(spec), path, preset, null, null);
		}
		catch (InvalidInitializerException ex) {
			throw new FieldException(path, ex.getMessage());
		}
	}

	private static Choice overrideChoice(List<InitOverride> overrides, int k) {
		InitSpec init = overrides.get(k).init();
		if (init == null) {
			throw new InvalidRequestException("overrides[" + k + "].init",
					"an override needs an init, e.g. {\"scheme\": \"normal\", \"std\": 0.02}");
		}
		return new Choice(init, "overrides[" + k + "].init", null, null, k);
	}

	/**
	 * Which override sets each tensor: the index of the last override whose glob matches
	 * the tensor's name, or the name of any key of its tie group; -1 for none. An
	 * override that matches nothing is an error naming it.
	 * @param names the tensors' names
	 * @param groups each tensor's tie group's first key (its own name when untied)
	 * @param fixed tensors no override may change (buffers): matched, never set
	 */
	private static int[] matchOverrides(List<InitOverride> overrides, List<String> names, List<String> groups,
			boolean[] fixed, List<InvalidRequestException.FieldError> errors) {
		int[] chosen = new int[names.size()];
		java.util.Arrays.fill(chosen, -1);
		Map<String, Integer> index = new java.util.HashMap<>();
		for (int i = 0; i < names.size(); i++) {
			index.put(names.get(i), i);
		}
		for (int k = 0; k < overrides.size(); k++) {
			InitOverride o = overrides.get(k);
			String path = "overrides[" + k + "]";
			if (o == null || o.match() == null || o.match().isEmpty()) {
				errors.add(new InvalidRequestException.FieldError(path + ".match",
						"an override needs a match: a tensor-name glob (* within one dot-separated part, ** any parts)"));
				continue;
			}
			if (o.init() == null) {
				errors.add(new InvalidRequestException.FieldError(path + ".init",
						"an override needs an init, e.g. {\"scheme\": \"normal\", \"std\": 0.02}"));
				continue;
			}
			NameGlob glob = NameGlob.of(o.match());
			boolean matched = false;
			boolean onlyFixed = true;
			for (int i = 0; i < names.size(); i++) {
				if (!glob.matches(names.get(i))) {
					continue;
				}
				matched = true;
				if (fixed[i]) {
					continue;
				}
				onlyFixed = false;
				String group = groups.get(i);
				for (int j = 0; j < names.size(); j++) {
					if (groups.get(j).equals(group)) {
						chosen[j] = k;
					}
				}
			}
			if (!matched) {
				errors.add(new InvalidRequestException.FieldError(path + ".match",
						"'" + o.match() + "' matches no tensor (* matches within one dot-separated part, ** any "
								+ "number of parts); the tensors are: " + listed(names)));
			}
			else if (onlyFixed) {
				errors.add(new InvalidRequestException.FieldError(path + ".match", "'" + o.match()
						+ "' matches only buffers (running statistics, counters), which keep their values"));
			}
		}
		return chosen;
	}

	/** Resolves a choice for one tensor. */
	private static PlannedTensor finish(ParameterSpec spec, Choice choice, Generator generator, DType dtype,
			boolean buffer) {
		Step step = choice.step();
		if (step != null && step.initializer() != null) {
			if (generator.family() == Generator.Family.NUMPY) {
				throw new FieldException("recipe", "the recipe's initializer of " + spec.name() + " ("
						+ step.initializer().resolved().get("scheme") + ") cannot be reproduced with NumPy's streams, "
						+ "and rng " + generator.wireName() + " promises NumPy's values; use another rng");
			}
			Map<String, Object> init = new LinkedHashMap<>(step.initializer().resolved());
			annotate(init, choice);
			return new PlannedTensor(spec, step.initializer(), init, dtype, null, buffer, step.stream());
		}
		try {
			Initializer initializer = choice.init().resolve(spec);
			Map<String, Object> init = new LinkedHashMap<>(initializer.resolved());
			if (choice.preset() != null) {
				init.put("preset", choice.preset().wireName());
			}
			if (choice.rule() != null) {
				init.put("rule", choice.rule());
			}
			if (choice.override() != null) {
				init.put("override", choice.override());
			}
			if (step != null) {
				init.put("recipe", step.text());
				init.putAll(step.extra());
			}
			if (generator.family() == Generator.Family.NUMPY) {
				Scheme scheme = Scheme.byName((String) init.get("scheme")).orElseThrow();
				if (!scheme.reproducibleWithNumpy(init)) {
					throw new FieldException((choice.preset() != null) ? choice.path() : choice.path() + ".scheme",
							"scheme '" + scheme.wireName() + "' (" + init + ") for " + spec.name()
									+ " cannot be reproduced with NumPy's streams, and rng " + generator.wireName()
									+ " promises NumPy's values; use another scheme (see GET /api/v1/schemes, field "
									+ "numpy) or another rng");
				}
			}
			return new PlannedTensor(spec, initializer, init, dtype, null, buffer,
					(step != null) ? step.stream() : null);
		}
		catch (InvalidInitializerException ex) {
			String field = (choice.preset() != null) ? choice.path() : choice.path() + "." + ex.field();
			throw new FieldException(field, ex.getMessage());
		}
	}

	/** The preset, rule and recipe step of a recipe-built initializer's report. */
	private static void annotate(Map<String, Object> init, Choice choice) {
		if (choice.preset() != null) {
			init.put("preset", choice.preset().wireName());
		}
		init.put("recipe", choice.step().text());
		init.putAll(choice.step().extra());
	}

	/**
	 * Applies the blueprint's recipe to a target, or returns null without one.
	 * @param errors where a recipe problem is added, under {@code recipe.FIELD}
	 */
	private static Outcome applyRecipe(RecipeSpec recipe, Target target,
			List<InvalidRequestException.FieldError> errors) {
		if (recipe == null) {
			return null;
		}
		try {
			return Recipe.apply(recipe, target);
		}
		catch (InvalidRecipeException ex) {
			for (InvalidRecipeException.Problem p : ex.problems()) {
				errors.add(new InvalidRequestException.FieldError(
						p.field().isEmpty() ? "recipe" : "recipe." + p.field(), p.message()));
			}
			return null;
		}
	}

	/**
	 * Plans a whole architecture: its state_dict's tensors, each initialized by the
	 * request's policy for its role, else the request's preset, else
	 * {@code library_default} (the library's own rule); buffers keep their values; then
	 * the overrides; the later keys of a tie group repeat its first key.
	 */
	private Plan planModel(Blueprint blueprint, OutputFormat format, String tensor,
			List<InvalidRequestException.FieldError> errors) {
		if (blueprint.layout() != Layout.PYTORCH) {
			errors.add(new InvalidRequestException.FieldError("layout", "a model's tensors are named and laid out "
					+ "as its library's state_dict(); allowed: " + Layout.PYTORCH.wireName()));
		}
		List<ModelTensor> built = List.of();
		try {
			built = StateDict.bounded(this.limits.maxTensors(), () -> blueprint.model().build());
		}
		catch (StateDict.TooManyTensorsException ex) {
			throw new LimitExceededException("tensors (counted until the limit was passed)", ex.limit() + 1,
					this.limits.maxTensors(), GenerationLimits.PREFIX + "max-tensors", null);
		}
		catch (InvalidConfigException ex) {
			for (InvalidConfigException.Problem p : ex.problems()) {
				errors.add(new InvalidRequestException.FieldError("model.config." + p.field(), p.message()));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		if (format != null && built.size() > this.limits.maxTensors()) {
			throw new LimitExceededException("tensors", built.size(), this.limits.maxTensors(),
					GenerationLimits.PREFIX + "max-tensors", null);
		}
		List<ParameterSpec> specs = built.stream().map(ModelTensor::spec).toList();
		Integer only = select(specs, format, tensor);
		if (format != null) {
			checkModelLimits((only == null) ? specs : List.of(specs.get(only)),
					format == OutputFormat.JSON && blueprint.data());
		}
		Policy policy = blueprint.init();
		Preset preset = Preset.LIBRARY_DEFAULT;
		if (policy != null && policy.preset() != null) {
			preset = policy.resolvePreset().get();
		}
		List<String> names = new ArrayList<>();
		List<String> groups = new ArrayList<>();
		boolean[] fixed = new boolean[built.size()];
		for (int i = 0; i < built.size(); i++) {
			ModelTensor t = built.get(i);
			names.add(t.name());
			groups.add((t.tiedTo() != null) ? t.tiedTo() : t.name());
			fixed[i] = t.kind().isBuffer();
			if ((format == OutputFormat.SAFETENSORS || format == OutputFormat.HF)
					&& t.name().equals(Safetensors.METADATA)) {
				errors.add(new InvalidRequestException.FieldError("model",
						"tensor name '" + t.name() + "' is the key safetensors keeps its metadata under"));
			}
		}
		int[] override = matchOverrides(blueprint.overrides(), names, groups, fixed, errors);
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		Map<String, List<String>> tieGroups = new LinkedHashMap<>();
		for (int i = 0; i < built.size(); i++) {
			if (built.get(i).tiedTo() != null) {
				tieGroups.computeIfAbsent(built.get(i).tiedTo(), g -> new ArrayList<>(List.of(g))).add(names.get(i));
			}
		}
		Choice[] chosen = new Choice[built.size()];
		List<Slot> slots = new ArrayList<>();
		Architecture architecture = blueprint.model().architecture();
		Structure structure = (blueprint.recipe() != null) ? architecture.structure(blueprint.model().config()) : null;
		for (int i = 0; i < built.size(); i++) {
			ModelTensor t = built.get(i);
			if (t.tiedTo() == null) {
				try {
					chosen[i] = chooseForModel(t, policy, preset);
				}
				catch (FieldException ex) {
					errors.add(new InvalidRequestException.FieldError(ex.field, ex.getMessage()));
				}
			}
			if (blueprint.recipe() != null) {
				InitSpec current = (chosen[i] != null) ? chosen[i].init() : null;
				boolean library = chosen[i] != null && chosen[i].preset() == Preset.LIBRARY_DEFAULT;
				InitSpec base = (library && t.libraryDefault().undamped() != null) ? t.libraryDefault().undamped()
						: current;
				Place place = (structure != null) ? Place.of(t.name(), architecture.parts(), structure) : null;
				slots.add(new Slot(t.spec(), place, base, current, t.libraryDefault().init(),
						t.kind().isBuffer() || t.tiedTo() != null, t.tiedTo(),
						(chosen[i] != null) ? chosen[i].preset() : null));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		if (structure != null && "mimetic".equals(blueprint.recipe().name())
				&& blueprint.seeding() == Seeding.SEQUENTIAL) {
			throw new InvalidRequestException("seeding", "the mimetic recipe draws each attention module once for "
					+ "all its projections from a stream of its own; use seeding per_tensor");
		}
		if (structure != null && "mimetic".equals(blueprint.recipe().name())
				&& structure.width() > this.limits.mimeticMaxWidth()) {
			throw new LimitExceededException(
					"d_model for the mimetic recipe (heads + 1 SVDs of d_model × d_model per attention module)",
					structure.width(), this.limits.mimeticMaxWidth(), GenerationLimits.PREFIX + "mimetic-max-width",
					null);
		}
		Outcome outcome = applyRecipe(blueprint.recipe(),
				Target.of(architecture, blueprint.model().config(), structure, slots), errors);
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		Map<String, PlannedTensor> planned = new java.util.HashMap<>();
		List<PlannedTensor> tensors = new ArrayList<>();
		for (int i = 0; i < built.size(); i++) {
			ModelTensor t = built.get(i);
			DType dtype = (t.kind() == ModelTensor.Kind.INT64_BUFFER) ? DType.INT64 : null;
			PlannedTensor p;
			if (t.tiedTo() != null) {
				PlannedTensor first = planned.get(t.tiedTo());
				Map<String, Object> init = new LinkedHashMap<>(first.init());
				init.put("tied_to", t.tiedTo());
				p = new PlannedTensor(t.spec(), first.initializer(), init, first.dtype(), t.tiedTo(), first.buffer());
			}
			else {
				try {
					Choice choice = (override[i] >= 0) ? overrideChoice(blueprint.overrides(), override[i])
							: chosen[i].after((outcome != null) ? outcome.steps().get(i) : null);
					p = finish(t.spec(), choice, blueprint.generator(), dtype, t.kind().isBuffer());
				}
				catch (FieldException ex) {
					errors.add(new InvalidRequestException.FieldError(ex.field, ex.getMessage()));
					continue;
				}
				if (tieGroups.containsKey(t.name())) {
					// every member names its group, the first key included (contract:
					// each
					// member's init names the group with tied_to)
					p.init().put("tied_to", t.name());
					p.init().put("tie_group", tieGroups.get(t.name()));
				}
				planned.put(t.name(), p);
			}
			if (t.tiedTo() != null && tieGroups.containsKey(t.tiedTo())) {
				p.init().put("tie_group", tieGroups.get(t.tiedTo()));
			}
			tensors.add(p);
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
		if (blueprint.seeding() == Seeding.SEQUENTIAL) {
			for (String first : tieGroups.keySet()) {
				long numel = planned.get(first).spec().numel();
				if (numel > this.limits.maxWholeElements()) {
					throw new LimitExceededException(
							"elements in tie group " + first
									+ " (with sequential seeding, its values are held to repeat them under "
									+ tieGroups.get(first).subList(1, tieGroups.get(first).size()) + ")",
							numel, this.limits.maxWholeElements(), GenerationLimits.PREFIX + "max-whole-elements",
							"Use \"seeding\": \"per_tensor\", which draws each key from the group's own streams.");
				}
			}
		}
		return finishPlan(blueprint, tensors, only, (outcome != null) ? outcome.echo() : null);
	}

	/** A model tensor's initializer from the request's policy and preset. */
	private static Choice chooseForModel(ModelTensor t, Policy policy, Preset preset) {
		ParameterSpec spec = t.spec();
		if (t.kind().isBuffer()) {
			var rule = (preset == Preset.PYTORCH_DEFAULT) ? t.pytorchDefault() : t.libraryDefault();
			return new Choice(rule.init(), "init.preset", null, rule.rule(), null);
		}
		if (policy != null && policy.forRole(spec.role()).isPresent()) {
			return new Choice(policy.forRole(spec.role()).get(), "init." + spec.role().wireName(), null, null, null);
		}
		if (preset == Preset.LIBRARY_DEFAULT) {
			return new Choice(t.libraryDefault().init(), "init.preset", preset, t.libraryDefault().rule(), null);
		}
		if (preset == Preset.PYTORCH_DEFAULT) {
			return new Choice(t.pytorchDefault().init(), "init.preset", preset, t.pytorchDefault().rule(), null);
		}
		try {
			return new Choice(preset.initFor(spec), "init.preset", preset, preset.ruleFor(spec).description(), null);
		}
		catch (InvalidInitializerException ex) {
			throw new FieldException("init.preset", ex.getMessage());
		}
	}

	/**
	 * A model's element limits: JSON data has its own; binary formats and stats stream,
	 * within {@code max-model-elements}.
	 */
	private void checkModelLimits(List<ParameterSpec> specs, boolean jsonData) {
		long elements = 0;
		for (ParameterSpec spec : specs) {
			elements = saturatingAdd(elements, spec.numel());
		}
		if (jsonData && elements > this.limits.maxJsonElements()) {
			throw new LimitExceededException("elements of JSON data", elements, this.limits.maxJsonElements(),
					GenerationLimits.PREFIX + "max-json-elements",
					"Ask for a binary format (?format=npz or safetensors) or for \"include\": [\"stats\"].");
		}
		if (elements > this.limits.maxModelElements()) {
			throw new LimitExceededException("elements", elements, this.limits.maxModelElements(),
					GenerationLimits.PREFIX + "max-model-elements", null);
		}
	}

	private static void checkPreset(Policy policy, String path, List<InvalidRequestException.FieldError> errors) {
		try {
			policy.resolvePreset();
		}
		catch (InvalidInitializerException ex) {
			errors.add(new InvalidRequestException.FieldError(path + ".preset", ex.getMessage()));
		}
	}

	private static final class FieldException extends RuntimeException {

		private final String field;

		FieldException(String field, String message) {
			super(message);
			this.field = field;
		}

	}

}
