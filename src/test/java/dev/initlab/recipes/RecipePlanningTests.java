package dev.initlab.recipes;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.initlab.generation.Blueprint;
import dev.initlab.generation.GenerationLimits;
import dev.initlab.generation.OutputFormat;
import dev.initlab.generation.Plan;
import dev.initlab.generation.PlannedTensor;
import dev.initlab.generation.Planner;
import dev.initlab.generation.Seeding;
import dev.initlab.init.InitSpec;
import dev.initlab.init.Policy;
import dev.initlab.models.Architectures;
import dev.initlab.models.Model;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.rng.Generator;
import dev.initlab.tensor.DType;
import dev.initlab.layers.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A recipe through the planner: preset → recipe → overrides, each tensor's {@code init}
 * naming the step, the plan's echo, and the 400s naming the field.
 */
class RecipePlanningTests {

	private static final Planner PLANNER = new Planner(new GenerationLimits(1L << 28, 1L << 22, 4096, 1L << 24));

	private static final Map<String, Object> GPT2 = Map.of("vocab_size", 100, "n_positions", 32, "n_embd", 64,
			"n_layer", 4, "n_head", 4);

	static Plan plan(String architecture, Map<String, Object> config, Policy init, RecipeSpec recipe,
			List<dev.initlab.init.InitOverride> overrides) {
		Model model = Model.of(Architectures.byName(architecture).orElseThrow(), config);
		return PLANNER.plan(new Blueprint(7L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR,
				init, List.of(), model, overrides, recipe, true, false), OutputFormat.JSON, null);
	}

	static PlannedTensor tensor(Plan plan, String name) {
		return plan.tensors().stream().filter((t) -> t.spec().name().equals(name)).findFirst().orElseThrow();
	}

	@Test
	void scaledResidualOnGpt2LibraryDefaultChangesNothingAndSaysSo() {
		Plan plain = plan("transformers/GPT2LMHeadModel", GPT2, null, null, List.of());
		Plan recipe = plan("transformers/GPT2LMHeadModel", GPT2, null, RecipeSpec.of("scaled_residual"), List.of());
		for (int i = 0; i < plain.tensors().size(); i++) {
			assertThat(recipe.tensors().get(i).initializer().expectedStd())
				.isEqualTo(plain.tensors().get(i).initializer().expectedStd());
		}
		PlannedTensor proj = tensor(recipe, "transformer.h.2.mlp.c_proj.weight");
		assertThat((String) proj.init().get("recipe")).contains("unchanged");
		assertThat(recipe.recipe()).containsEntry("name", "scaled_residual")
			.containsEntry("tensors_scaled", 0)
			.containsEntry("tensors_unchanged", 8);
	}

	@Test
	void scaledResidualDividesThePresetsRuleAndOverridesComeLast() {
		Policy normal = new Policy(null, InitSpec.of("normal", "std", 0.02), null, null, null, null, null);
		Plan plan = plan("transformers/GPT2LMHeadModel", GPT2, normal, RecipeSpec.of("scaled_residual", "factor", 2),
				List.of(new dev.initlab.init.InitOverride("transformer.h.0.attn.c_proj.weight", InitSpec.of("zeros"))));
		assertThat(tensor(plan, "transformer.h.1.attn.c_proj.weight").initializer().expectedStd())
			.isCloseTo(0.02 / Math.sqrt(8), org.assertj.core.data.Offset.offset(1e-15));
		assertThat(tensor(plan, "transformer.h.1.attn.c_attn.weight").initializer().expectedStd()).isEqualTo(0.02);
		assertThat(tensor(plan, "transformer.h.0.attn.c_proj.weight").init()).containsEntry("scheme", "zeros")
			.doesNotContainKey("recipe");
		Plan perLayer = plan("transformers/GPT2LMHeadModel", GPT2, normal,
				RecipeSpec.of("scaled_residual", "per_layer", true), List.of());
		assertThat(tensor(perLayer, "transformer.h.3.mlp.c_proj.weight").initializer().expectedStd())
			.isCloseTo(0.02 / Math.sqrt(2 * 4), org.assertj.core.data.Offset.offset(1e-15));
		assertThat(tensor(perLayer, "transformer.h.0.mlp.c_proj.weight").initializer().expectedStd())
			.isCloseTo(0.02 / Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-15));
	}

	@Test
	void deepnormScalesOnlyTheValueSliceOfAPackedProjection() {
		Plan plan = plan("transformers/GPT2LMHeadModel", GPT2, null, RecipeSpec.of("deepnorm"), List.of());
		double beta = Math.pow(8.0 * 4, -0.25);
		PlannedTensor qkv = tensor(plan, "transformer.h.0.attn.c_attn.weight");
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> slices = (List<Map<String, Object>>) qkv.init().get("slices");
		assertThat(slices).extracting((s) -> s.get("gain")).containsExactly(1.0, 1.0, beta);
		assertThat(slices).extracting((s) -> s.get("columns")).containsExactly("0:64", "64:128", "128:192");
		assertThat(tensor(plan, "transformer.h.0.mlp.c_fc.weight").initializer().expectedStd())
			.isCloseTo(beta * Math.sqrt(2.0 / (64 + 256)), org.assertj.core.data.Offset.offset(1e-15));
		assertThat(plan.recipe()).containsEntry("alpha", Math.pow(8.0, 0.25)).containsEntry("beta", beta);
		assertThat((String) plan.recipe().get("note")).contains("Pre-LN");
	}

	@Test
	void aRecipeThatDoesNotApplyNamesWhereItDoes() {
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan("torchvision/resnet18", Map.of(), null, RecipeSpec.of("deepnorm"), List.of()))
			.satisfies((ex) -> assertThat(errors(ex)).contains("recipe.name", "transformers/GPT2LMHeadModel",
					"residual stacks"));
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan("transformers/GPT2LMHeadModel", GPT2, null,
					RecipeSpec.of("scaled_residual", "factor", -1, "per_layers", true), List.of()))
			.satisfies((ex) -> assertThat(errors(ex)).contains("recipe.factor", "recipe.per_layers"));
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan("transformers/GPT2LMHeadModel", GPT2, null, RecipeSpec.of("nope"), List.of()))
			.satisfies((ex) -> assertThat(errors(ex)).contains("recipe.name", "scaled_residual", "deepnorm"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void mupOnGpt2FromABaseConfig() {
		Plan plan = plan("transformers/GPT2LMHeadModel", GPT2, null,
				RecipeSpec.of("mup", "base_config", Map.of("n_embd", 32)), List.of());
		PlannedTensor fc = tensor(plan, "transformer.h.1.mlp.c_fc.weight");
		assertThat(fc.initializer().expectedStd()).isCloseTo(0.02 / Math.sqrt(2),
				org.assertj.core.data.Offset.offset(1e-15));
		Map<String, Object> mup = (Map<String, Object>) fc.init().get("mup");
		assertThat(mup).containsEntry("width_mult", 2.0).containsEntry("lr_multiplier_adam", 0.5);
		Map<String, Object> wte = (Map<String, Object>) tensor(plan, "transformer.wte.weight").init().get("mup");
		assertThat(wte).containsEntry("lr_multiplier_adam", 1.0).containsEntry("output_multiplier", 0.5);
		assertThat(plan.recipe()).containsEntry("output_multiplier", 0.5);
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan("transformers/GPT2LMHeadModel", GPT2, null,
					RecipeSpec.of("mup", "base_config", Map.of("n_embd", 32), "readout_zero_init", true), List.of()))
			.satisfies((ex) -> assertThat(errors(ex)).contains("recipe.readout_zero_init", "tied"));
		assertThatExceptionOfType(InvalidRequestException.class)
			.isThrownBy(() -> plan("transformers/GPT2LMHeadModel", GPT2, null,
					RecipeSpec.of("mup", "base_config", Map.of("n_embd", 30)), List.of()))
			.satisfies((ex) -> assertThat(errors(ex)).contains("recipe.base_config.n_head"));
	}

	@Test
	@SuppressWarnings("unchecked")
	void mupOnALayersStack() {
		List<dev.initlab.layers.LayerSpec> layers = List.of(
				new dev.initlab.layers.Linear("fc1", "linear", 2, 256, true, null, null),
				new dev.initlab.layers.Linear("fc2", "linear", 256, 256, true, null, null),
				new dev.initlab.layers.Linear("out", "linear", 256, 1, true, null, null));
		List<Map<String, Object>> base = List.of(Map.of("out_features", 64),
				Map.of("in_features", 64, "out_features", 64), Map.of("in_features", 64));
		Plan plan = PLANNER.plan(
				new Blueprint(7L, Generator.DEFAULT, DType.FLOAT32, Layout.PYTORCH, Seeding.PER_TENSOR, null, layers,
						null, List.of(), RecipeSpec.of("mup", "base_layers", base), true, false),
				OutputFormat.JSON, null);
		Map<String, Object> fc1 = (Map<String, Object>) tensor(plan, "fc1.weight").init().get("mup");
		assertThat(fc1).containsEntry("width_mult", 4.0).containsEntry("lr_multiplier_sgd", 4.0);
		assertThat((Map<String, Object>) tensor(plan, "fc2.weight").init().get("mup"))
			.containsEntry("lr_multiplier_adam", 0.25);
		// the readout's torch default U(±1/sqrt(256)) × sqrt(width_mult 4)
		assertThat(tensor(plan, "out.weight").initializer().expectedStd()).isCloseTo(2 / Math.sqrt(3 * 256.0),
				org.assertj.core.data.Offset.offset(1e-15));
		assertThat(plan.recipe()).containsEntry("output_multiplier", 0.25);
	}

	static String errors(InvalidRequestException ex) {
		return String.valueOf(ex.getBody().getProperties());
	}

}
