package dev.initlab.generation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.initlab.init.Fill;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Initializer;
import dev.initlab.init.InvalidInitializerException;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Policy;
import dev.initlab.init.Preset;
import dev.initlab.init.Scheme;
import dev.initlab.layers.InvalidLayerException;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.LimitExceededException;
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
		if (format != null && format != OutputFormat.JSON && format != OutputFormat.SAFETENSORS
				&& !Npy.supports(dtype)) {
			errors.add(new InvalidRequestException.FieldError("dtype", "NumPy has no " + dtype.wireName() + ", so "
					+ format.wireName() + " cannot hold it; use format safetensors or json, or another dtype"));
		}
		if (init != null) {
			checkPreset(init, "init", errors);
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
		List<PlannedTensor> tensors = new ArrayList<>();
		for (int k = 0; k < specs.size(); k++) {
			ParameterSpec spec = specs.get(k);
			int i = owners.get(k);
			if (!tensorNames.add(spec.name())) {
				errors.add(new InvalidRequestException.FieldError("layers[" + i + "].name",
						"tensor name '" + spec.name() + "' is produced twice; tensor names must be unique"));
				continue;
			}
			if (format == OutputFormat.SAFETENSORS && spec.name().equals(Safetensors.METADATA)) {
				errors.add(new InvalidRequestException.FieldError("layers[" + i + "].name", "tensor name '"
						+ spec.name() + "' is the key safetensors keeps its metadata under; rename the tensor"));
				continue;
			}
			try {
				tensors.add(resolve(spec, layers.get(i).init(), init, "layers[" + i + "].init", generator));
			}
			catch (FieldException ex) {
				errors.add(new InvalidRequestException.FieldError(ex.field, ex.getMessage()));
			}
		}
		if (!errors.isEmpty()) {
			throw new InvalidRequestException(errors);
		}
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
				t.init().put("stream_seed", generator.numpySeed(SeedMaterial.forTensorBlock(seed, t.spec().name(), 0)));
			}
		}
		return new Plan(seed, generator, dtype, layout, seeding, stats, data, List.copyOf(tensors), only);
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
		List<String> names = specs.stream().map(ParameterSpec::name).limit(20).toList();
		return String.join(", ", names) + ((specs.size() > 20) ? ", … (" + specs.size() + " in all)" : "");
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
	 * The initializer of one tensor: the layer's policy for its role, else the layer's
	 * preset, else the request's policy for the role, else the request's preset, else
	 * {@code pytorch_default}.
	 */
	private static PlannedTensor resolve(ParameterSpec spec, Policy layerPolicy, Policy requestPolicy, String layerPath,
			Generator generator) {
		String role = spec.role().wireName();
		record Choice(InitSpec init, String path, Preset preset) {
		}
		Choice choice = null;
		if (layerPolicy != null && layerPolicy.forRole(spec.role()).isPresent()) {
			choice = new Choice(layerPolicy.forRole(spec.role()).get(), layerPath + "." + role, null);
		}
		else if (requestPolicy != null && requestPolicy.forRole(spec.role()).isPresent()
				&& (layerPolicy == null || layerPolicy.preset() == null)) {
			choice = new Choice(requestPolicy.forRole(spec.role()).get(), "init." + role, null);
		}
		if (choice == null) {
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
				choice = new Choice(preset.initFor(spec), path, preset);
			}
			catch (InvalidInitializerException ex) {
				throw new FieldException(path, ex.getMessage());
			}
		}
		try {
			Initializer initializer = choice.init().resolve(spec);
			Map<String, Object> init = new LinkedHashMap<>(initializer.resolved());
			if (choice.preset() != null) {
				init.put("preset", choice.preset().wireName());
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
			return new PlannedTensor(spec, initializer, init);
		}
		catch (InvalidInitializerException ex) {
			String field = (choice.preset() != null) ? choice.path() : choice.path() + "." + ex.field();
			throw new FieldException(field, ex.getMessage());
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
