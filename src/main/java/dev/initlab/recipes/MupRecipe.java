package dev.initlab.recipes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.initlab.init.InitSpec;
import dev.initlab.init.InvalidInitializerException;
import dev.initlab.init.ParameterSpec;
import dev.initlab.init.Preset;
import dev.initlab.init.Role;
import dev.initlab.layers.InvalidLayerException;
import dev.initlab.layers.LayerSpec;
import dev.initlab.layers.Layout;
import dev.initlab.layers.Linear;
import dev.initlab.models.InvalidConfigException;
import dev.initlab.models.Model;
import dev.initlab.models.ModelTensor;
import dev.initlab.models.Part;
import dev.initlab.models.StateDict;

/**
 * {@link Recipe#MUP}: μP from a base model, per tensor as {@link Mup} computes it
 * ({@code microsoft/mup}): the base is the same architecture with {@code base_config}'s
 * fields in place of the target's (a {@code layers} stack: {@code base_layers}, each
 * entry's {@code in_features}/{@code out_features} in place of the layer's). The readout
 * is the architecture's {@code READOUT} part (a stack's last layer); a readout tied to
 * the embedding is {@code MuSharedReadout}'s. Every other linear (and GPT-2's
 * {@code Conv1D}, read as the transposed nn.Linear it is) is a hidden or input weight;
 * embeddings and norms are left to their rule. A rule whose std is the same at the base
 * width (GPT-2's {@code normal(0, 0.02)}) is corrected as {@code mup.init} does, one
 * whose std follows the fans (torch's defaults, He, Xavier: the std the same preset or
 * initializer gives the base tensor differs) as
 * {@code set_base_shapes(rescale_params=True)} does.
 */
final class MupRecipe implements Recipe.Rule {

	@Override
	public Outcome apply(Target target, RecipeArgs args) {
		double outputMult = args.positive("output_mult");
		boolean zeroInit = args.bool("readout_zero_init");
		Map<String, ParameterSpec> baseSpecs = (target.kind() == Target.Kind.ARCHITECTURE) ? baseOfModel(target, args)
				: baseOfLayers(target, args);
		args.done();
		List<Slot> slots = target.slots();
		Map<String, String> sharedReadout = new HashMap<>();
		String readoutModule = null;
		for (Slot slot : slots) {
			if (slot.place() != null && slot.place().part() == Part.READOUT) {
				if (slot.tiedTo() != null) {
					sharedReadout.put(slot.tiedTo(), slot.name());
				}
				else {
					readoutModule = module(slot.name());
				}
			}
		}
		if (target.kind() == Target.Kind.LAYERS) {
			readoutModule = module(slots.get(slots.size() - 1).name());
		}
		Set<String> linearModules = new java.util.HashSet<>();
		for (Slot slot : slots) {
			String type = slot.spec().layerType();
			if (slot.spec().role() == Role.WEIGHT && (type.equals("linear") || type.startsWith("conv")
					|| (slot.place() != null && slot.place().inOut()))) {
				linearModules.add(module(slot.name()));
			}
		}
		if (zeroInit && !sharedReadout.isEmpty()) {
			throw new InvalidRecipeException("readout_zero_init", Mup.readoutZeroInitProblem(true, true).orElseThrow());
		}
		List<MupTensor> tensors = new ArrayList<>();
		List<Integer> index = new ArrayList<>();
		for (int i = 0; i < slots.size(); i++) {
			Slot slot = slots.get(i);
			if (slot.fixed()) {
				continue;
			}
			ParameterSpec spec = slot.spec();
			ParameterSpec baseSpec = baseSpecs.get(slot.name());
			int[] base = (baseSpec != null) ? baseSpec.shape() : null;
			if (base == null || base.length != spec.shape().length) {
				throw new InvalidRecipeException(baseField(target), "the base model has no tensor " + slot.name()
						+ " of rank " + spec.shape().length + "; the base must be the same model with other widths");
			}
			boolean transposed = slot.place() != null && slot.place().inOut();
			MupRole role = role(slot, readoutModule, sharedReadout, linearModules);
			String weight = role == MupRole.LINEAR_BIAS || role == MupRole.READOUT_BIAS
					? module(slot.name()) + ".weight" : null;
			double std;
			boolean fixedStd;
			try {
				std = slot.current().resolve(spec).expectedStd();
				fixedStd = sameStd(std, atBase(slot, baseSpec).resolve(baseSpec).expectedStd());
			}
			catch (InvalidInitializerException ex) {
				throw new InvalidRecipeException("", spec.name() + ": " + ex.getMessage());
			}
			tensors.add(new MupTensor(slot.name(), transposed ? reverse(spec.shape()) : spec.shape(),
					transposed ? reverse(base) : base, role, weight, std,
					fixedStd ? MupInit.CONSTANT : MupInit.FAN_IN));
			index.add(i);
		}
		List<MupParameter> results;
		try {
			results = Mup.parametrize(tensors, outputMult, zeroInit);
		}
		catch (MupException ex) {
			throw new InvalidRecipeException(baseField(target), ex.getMessage());
		}
		List<Step> steps = new ArrayList<>();
		for (int i = 0; i < slots.size(); i++) {
			steps.add(null);
		}
		Double outputMultiplier = null;
		for (int k = 0; k < results.size(); k++) {
			MupParameter p = results.get(k);
			Slot slot = slots.get(index.get(k));
			Map<String, Object> mup = new LinkedHashMap<>();
			mup.put("width_mult", p.widthMult());
			mup.put("init_std", p.initStd());
			mup.put("lr_multiplier_adam", p.lrMultiplierAdam());
			mup.put("lr_multiplier_sgd", p.lrMultiplierSgd());
			mup.put("weight_decay_multiplier_adam", p.weightDecayMultiplierAdam());
			mup.put("weight_decay_multiplier_sgd", p.weightDecayMultiplierSgd());
			mup.put("infinite_dims", p.infiniteDimensions());
			if (p.outputMultiplier() != null) {
				mup.put("output_multiplier", p.outputMultiplier());
				outputMultiplier = p.outputMultiplier();
			}
			Map<String, Object> extra = Map.of("mup", mup);
			if (p.stdFactor() == 1.0) {
				steps.set(index.get(k),
						new Step(null, null, "mup: init unchanged (width_mult " + p.widthMult() + ")", extra, null));
			}
			else if (p.stdFactor() == 0.0) {
				steps.set(index.get(k), new Step(InitSpec.of("zeros"), null, "mup: readout_zero_init", extra, null));
			}
			else {
				InitSpec init = Scaling.divide(slot.current(), slot.spec(), 1.0 / p.stdFactor());
				steps.set(index.get(k),
						new Step(init, null,
								"mup: std × " + p.stdFactor() + " (width_mult " + p.widthMult() + ") = " + p.initStd(),
								extra, null));
			}
		}
		Map<String, Object> echo = new LinkedHashMap<>();
		if (outputMultiplier != null) {
			echo.put("output_multiplier", outputMultiplier);
		}
		List<String> code = new ArrayList<>(List.of(Mup.TRAINING_NOTE));
		if (target.kind() == Target.Kind.ARCHITECTURE && target.structure() != null) {
			code.add(Mup.ATTENTION_NOTE);
		}
		echo.put("apply_in_code", code);
		return new Outcome(steps, echo);
	}

	/**
	 * What the tensor's rule gives the base model's tensor: the preset's rule for the
	 * base shape where a table preset chose it (pytorch_default bakes fan_in into a
	 * bias's bounds), else the same initializer resolved on the base shape.
	 */
	private static InitSpec atBase(Slot slot, ParameterSpec baseSpec) {
		if (slot.preset() != null && slot.preset() != Preset.LIBRARY_DEFAULT) {
			try {
				return slot.preset().initFor(baseSpec);
			}
			catch (InvalidInitializerException ex) {
				// no table rule for this module (a library's own): its initializer as
				// given
			}
		}
		return slot.current();
	}

	/**
	 * Whether a rule's std is the same at the target and the base width: a fixed std
	 * (μP's mup.init correction applies), not a fan-scaled one.
	 */
	private static boolean sameStd(double target, double base) {
		return Math.abs(target - base) <= 1e-12 * Math.max(Math.abs(target), Math.abs(base));
	}

	private static String baseField(Target target) {
		return (target.kind() == Target.Kind.ARCHITECTURE) ? "base_config" : "base_layers";
	}

	private static MupRole role(Slot slot, String readoutModule, Map<String, String> sharedReadout,
			Set<String> linearModules) {
		ParameterSpec spec = slot.spec();
		if (sharedReadout.containsKey(slot.name())) {
			return MupRole.SHARED_READOUT_WEIGHT;
		}
		String module = module(slot.name());
		boolean linear = linearModules.contains(module) && (spec.role() == Role.WEIGHT || spec.role() == Role.BIAS);
		if (module.equals(readoutModule)) {
			return (spec.role() == Role.BIAS) ? MupRole.READOUT_BIAS : MupRole.READOUT_WEIGHT;
		}
		if (!linear) {
			return MupRole.OTHER;
		}
		return (spec.role() == Role.BIAS) ? MupRole.LINEAR_BIAS : MupRole.LINEAR_WEIGHT;
	}

	private static String module(String name) {
		int dot = name.lastIndexOf('.');
		return (dot < 0) ? name : name.substring(0, dot);
	}

	private static int[] reverse(int[] shape) {
		int[] r = new int[shape.length];
		for (int i = 0; i < shape.length; i++) {
			r[i] = shape[shape.length - 1 - i];
		}
		return r;
	}

	/** The base model's shapes by name: the target's config with base_config's fields. */
	@SuppressWarnings("unchecked")
	private static Map<String, ParameterSpec> baseOfModel(Target target, RecipeArgs args) {
		Object raw = args.raw("base_config");
		if (raw == null) {
			args.problem("base_config", "mup needs base_config: the base model's widths, the fields of config that "
					+ "differ (e.g. {\"n_embd\": 256, \"n_head\": 4}); the other fields are the target's");
			args.done();
		}
		Map<String, Object> merged = new LinkedHashMap<>(target.config().resolved());
		merged.putAll((Map<String, Object>) raw);
		Map<String, ParameterSpec> shapes = new HashMap<>();
		try {
			Model base = Model.of(target.architecture(), merged);
			List<ModelTensor> tensors = StateDict.bounded(target.slots().size() + 1L, base::build);
			for (ModelTensor t : tensors) {
				shapes.put(t.name(), t.spec());
			}
		}
		catch (InvalidConfigException ex) {
			for (InvalidConfigException.Problem p : ex.problems()) {
				args.problem("base_config." + p.field(), p.message());
			}
		}
		catch (StateDict.TooManyTensorsException ex) {
			args.problem("base_config", "the base model has more tensors than the target; only widths may differ");
		}
		return shapes;
	}

	/**
	 * The base stack's shapes by name: each layer with base_layers' in_features and
	 * out_features.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, ParameterSpec> baseOfLayers(Target target, RecipeArgs args) {
		Object raw = args.raw("base_layers");
		List<LayerSpec> layers = target.layers();
		if (raw == null || ((List<Object>) raw).size() != layers.size()) {
			args.problem("base_layers", "mup needs base_layers: one entry per layer (" + layers.size()
					+ "), each {\"in_features\": ..., \"out_features\": ...} of the base model's linear layer");
			args.done();
		}
		if (target.layout() != Layout.PYTORCH) {
			args.problem("", "mup follows microsoft/mup, which reads PyTorch's [out, in] layout; use layout pytorch");
			args.done();
		}
		List<Object> entries = (List<Object>) raw;
		Map<String, ParameterSpec> shapes = new HashMap<>();
		for (int i = 0; i < layers.size(); i++) {
			String field = "base_layers[" + i + "]";
			if (!(layers.get(i) instanceof Linear linear)) {
				args.problem(field, "mup on layers supports linear layers; layer " + i + " is a "
						+ layers.get(i).getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
				continue;
			}
			if (!(entries.get(i) instanceof Map<?, ?> entry)) {
				args.problem(field, "must be an object {\"in_features\": ..., \"out_features\": ...}");
				continue;
			}
			Integer in = width(entry, "in_features", linear.inFeatures(), field, args);
			Integer out = width(entry, "out_features", linear.outFeatures(), field, args);
			if (in == null || out == null) {
				continue;
			}
			try {
				Linear base = new Linear(linear.name(), linear.type(), in, out, linear.bias(), linear.activation(),
						linear.init());
				for (ParameterSpec p : base.parameters(Layout.PYTORCH)) {
					shapes.put(p.name(), p);
				}
			}
			catch (InvalidLayerException ex) {
				args.problem(field + "." + ex.field(), ex.getMessage());
			}
		}
		return shapes;
	}

	private static Integer width(Map<?, ?> entry, String key, int fallback, String field, RecipeArgs args) {
		Object v = entry.get(key);
		if (v == null) {
			return fallback;
		}
		if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1
				&& n.doubleValue() <= Integer.MAX_VALUE) {
			return n.intValue();
		}
		args.problem(field + "." + key, key + " must be a positive integer, got " + v);
		return null;
	}

}
