package dev.initlab.recipes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Mup} against {@code microsoft/mup} itself: {@code reference/recipes/mup.json},
 * written by {@code make_mup.py} beside it from the real package (MLPs and GPT-2-like
 * transformers of nn.Linear, nn.Embedding, LayerNorm and MuReadout/MuSharedReadout, at
 * base and target widths, {@code set_base_shapes(target, base)}, the optimizers'
 * {@code param_groups}). Nothing is random: every number is a ratio of widths or its
 * square root, computed in double by both, so they agree to rounding; 1e-12 relative
 * leaves room only for {@code x**0.5} versus {@code Math.sqrt}.
 */
class MupTests {

	static final double TOLERANCE = 1e-12;

	static final JsonMapper MAPPER = JsonMapper.builder()
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	static final Fixture FIXTURE = load();

	@Test
	void fixtureIsMupsReleaseOnTwoArchitectures() {
		assertThat(FIXTURE.mupVersion()).isEqualTo("1.0.0");
		assertThat(FIXTURE.models()).extracting(ModelCase::model)
			.anyMatch((m) -> m.startsWith("mlp_"))
			.anyMatch((m) -> m.startsWith("gpt_"));
		assertThat(FIXTURE.tensors()).extracting(TensorCase::role)
			.contains("linear_weight", "linear_bias", "readout_weight", "readout_bias", "shared_readout_weight",
					"other");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void fanInScaledInitMatchesSetBaseShapesAndTheOptimizers(ModelCase model) {
		List<TensorCase> expected = tensors(model);
		List<MupParameter> ours = Mup.parametrize(inputs(expected, MupInit.FAN_IN, false), model.outputMult(),
				model.readoutZeroInit());

		assertThat(disagreements(model, expected, ours, MupInit.FAN_IN)).isEmpty();
		for (MupParameter p : ours) {
			Double multiplier = model.outputMultipliers().get(p.name());
			if (multiplier == null) {
				assertThat(p.outputMultiplier()).as("%s output multiplier", p.name()).isNull();
			}
			else {
				assertThat(p.outputMultiplier()).as("%s output multiplier", p.name())
					.isCloseTo(multiplier, within(TOLERANCE * multiplier));
			}
		}
		assertThat(ours.stream().filter((p) -> p.outputMultiplier() != null).count())
			.isEqualTo(model.outputMultipliers().size());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void constantStdInitMatchesMupInit(ModelCase model) {
		List<TensorCase> expected = tensors(model);
		List<MupParameter> ours = Mup.parametrize(inputs(expected, MupInit.CONSTANT, false), model.outputMult(),
				model.readoutZeroInit());

		assertThat(disagreements(model, expected, ours, MupInit.CONSTANT)).isEmpty();
	}

	/**
	 * Negative control: mup's rules are positional (dimension 1 is the fan-in), so the
	 * same model given in the transposed {@code [in, out]} layout (fan-in and fan-out
	 * swapped) must disagree with mup, and the fixture is able to tell.
	 */
	@Test
	void swappingFanInAndFanOutDisagreesWithMup() {
		ModelCase model = model("gpt_64_to_256_ffn_768_tied");
		List<TensorCase> expected = tensors(model);
		List<MupParameter> transposed = Mup.parametrize(inputs(expected, MupInit.FAN_IN, true), model.outputMult(),
				false);

		assertThat(disagreements(model, expected, transposed, MupInit.FAN_IN)).contains("h.0.c_fc.weight width_mult",
				"h.0.c_fc.weight lr_sgd", "h.0.mlp_proj.weight lr_adam");
	}

	/** Negative control: MuSGD's multipliers are not MuAdam's, in every model. */
	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void sgdRuleAppliedAsAdamsDisagreesWithMup(ModelCase model) {
		List<TensorCase> expected = tensors(model);
		List<MupParameter> ours = Mup.parametrize(inputs(expected, MupInit.FAN_IN, false), model.outputMult(),
				model.readoutZeroInit());
		long differ = 0;
		for (int i = 0; i < ours.size(); i++) {
			differ += close(ours.get(i).lrMultiplierSgd(), expected.get(i).lrAdam()) ? 0 : 1;
		}
		assertThat(differ).isPositive();
	}

	@Test
	void aTargetEqualToItsBaseIsTheStandardParametrization() {
		List<MupTensor> same = mlp(new int[] { 64, 64 }, new int[] { 64, 64 }, MupRole.READOUT_WEIGHT);
		for (MupParameter p : Mup.parametrize(same, 1.0, false)) {
			assertThat(p.infiniteDimensions()).isZero();
			assertThat(List.of(p.widthMult(), p.stdFactor(), p.lrMultiplierAdam(), p.weightDecayMultiplierAdam(),
					p.lrMultiplierSgd(), p.weightDecayMultiplierSgd()))
				.as(p.name())
				.containsOnly(1.0);
		}
	}

	@Test
	void modelsMupRefusesAreRefused() {
		assertThat(FIXTURE.errors()).hasSize(2);
		for (ErrorCase error : FIXTURE.errors()) {
			MupRole readout = error.model().equals("mlp_plain_readout") ? MupRole.LINEAR_WEIGHT
					: MupRole.READOUT_WEIGHT;
			List<MupTensor> tensors = mlp(error.widths(), error.baseWidths(), readout);
			assertThat(error.module()).as("mup refused %s", error.model()).isNotNull();
			assertThatExceptionOfType(MupException.class).as(error.model())
				.isThrownBy(() -> Mup.parametrize(tensors, 1.0, false))
				.withMessageStartingWith(error.module() + ".weight: infinite fan-in")
				.withMessageContaining("assert_hidden_size_inf");
		}
		// the same widths with a MuReadout are fine
		assertThat(
				Mup.parametrize(mlp(new int[] { 256, 256 }, new int[] { 64, 64 }, MupRole.READOUT_WEIGHT), 1.0, false))
			.hasSize(6);
	}

	@Test
	void zeroInitOfATiedReadoutIsReportedBecauseItIsTheEmbedding() {
		// what the fixture observed: MuSharedReadout(readout_zero_init=True) leaves the
		// embedding intact at construction and zeroes all of it at reset_parameters()
		TiedReadout tied = FIXTURE.tiedReadout();
		assertThat(tied.embeddingNonzeroAfterConstruction()).isEqualTo(tied.embeddingNumel());
		assertThat(tied.embeddingNonzeroAfterResetParameters()).isZero();

		assertThat(Mup.readoutZeroInitProblem(true, true)).hasValueSatisfying(
				(m) -> assertThat(m).contains("readout_zero_init").contains("silently zero the embedding"));
		assertThat(Mup.readoutZeroInitProblem(true, false)).isEmpty();
		assertThat(Mup.readoutZeroInitProblem(false, true)).isEmpty();

		List<MupTensor> gpt = List.of(
				MupTensor.of("wte.weight", new int[] { 100, 256 }, new int[] { 100, 64 }, MupRole.SHARED_READOUT_WEIGHT,
						1.0, MupInit.FAN_IN),
				new MupTensor("lm_head.bias", new int[] { 100 }, new int[] { 100 }, MupRole.READOUT_BIAS, "wte.weight",
						0.1, MupInit.FAN_IN));
		assertThatExceptionOfType(MupException.class).isThrownBy(() -> Mup.parametrize(gpt, 1.0, true))
			.withMessageStartingWith("wte.weight: readout_zero_init");
		assertThat(Mup.parametrize(gpt, 1.0, false)).extracting(MupParameter::initStd).containsExactly(2.0, 0.2);
	}

	@Test
	void invalidInputIsReportedWithTheTensor() {
		assertThatExceptionOfType(MupException.class)
			.isThrownBy(() -> MupTensor.of("w", new int[] { 4, 4 }, new int[] { 4 }, MupRole.OTHER, 1, MupInit.FAN_IN))
			.withMessageContaining("w: ")
			.withMessageContaining("rank");
		assertThatExceptionOfType(MupException.class)
			.isThrownBy(() -> Mup.parametrize(List.of(new MupTensor("fc.bias", new int[] { 8 }, new int[] { 4 },
					MupRole.LINEAR_BIAS, "fc.weight", 1, MupInit.FAN_IN)), 1.0, false))
			.withMessageStartingWith("fc.bias: its module's weight fc.weight");
		MupTensor cube = MupTensor.of("c", new int[] { 8, 8, 8 }, new int[] { 4, 4, 4 }, MupRole.OTHER, 1,
				MupInit.FAN_IN);
		assertThatExceptionOfType(MupException.class).isThrownBy(() -> Mup.parametrize(List.of(cube), 1.0, false))
			.withMessageContaining("NotImplementedError");
		assertThatExceptionOfType(MupException.class).isThrownBy(() -> Mup.parametrize(List.of(cube, cube), 1.0, false))
			.withMessageContaining("listed twice");
		assertThatExceptionOfType(MupException.class).isThrownBy(() -> Mup.parametrize(List.of(), 0.0, false))
			.withMessageContaining("output_mult");
	}

	/**
	 * Where ours and mup's differ, as "name quantity"; std: mup's factor (0 for a
	 * zero-initialized readout, as observed on the fresh model) and, where torch's
	 * default init is random, its std after set_base_shapes.
	 */
	static List<String> disagreements(ModelCase model, List<TensorCase> expected, List<MupParameter> ours,
			MupInit init) {
		assertThat(ours).extracting(MupParameter::name)
			.containsExactlyElementsOf(expected.stream().map(TensorCase::name).toList());
		List<String> differ = new ArrayList<>();
		for (int i = 0; i < expected.size(); i++) {
			TensorCase e = expected.get(i);
			MupParameter p = ours.get(i);
			boolean zero = model.readoutZeroInit() && e.role().startsWith("readout");
			double factor = zero ? 0 : (init == MupInit.FAN_IN) ? e.rescaleFactor() : e.constantStdFactor();
			Map<String, Boolean> checks = new LinkedHashMap<>();
			checks.put("inf", Arrays.equals(p.infinite(), e.inf()) && p.infiniteDimensions() == e.ninf());
			checks.put("width_mult", close(p.widthMult(), e.widthMult()));
			checks.put("std_factor", close(p.stdFactor(), factor));
			if (init == MupInit.FAN_IN && e.initStd() != null) {
				checks.put("init_std", close(p.initStd(), e.initStd()));
			}
			checks.put("lr_adam", close(p.lrMultiplierAdam(), e.lrAdam()));
			checks.put("wd_adam", close(p.weightDecayMultiplierAdam(), e.wdAdam()));
			checks.put("lr_sgd", close(p.lrMultiplierSgd(), e.lrSgd()));
			checks.put("wd_sgd", close(p.weightDecayMultiplierSgd(), e.wdSgd()));
			checks.forEach((quantity, same) -> {
				if (!same) {
					differ.add(e.name() + " " + quantity);
				}
			});
		}
		return differ;
	}

	static boolean close(double ours, double mups) {
		return Math.abs(ours - mups) <= TOLERANCE * Math.abs(mups);
	}

	/**
	 * The fixture's tensors as Mup's input; {@code transpose} swaps dimensions 0 and 1.
	 */
	static List<MupTensor> inputs(List<TensorCase> tensors, MupInit init, boolean transpose) {
		return tensors.stream().map((t) -> {
			int[] shape = t.shape().clone();
			int[] base = t.baseShape().clone();
			if (transpose && shape.length == 2) {
				shape = new int[] { shape[1], shape[0] };
				base = new int[] { base[1], base[0] };
			}
			MupRole role = MupRole.valueOf(t.role().toUpperCase(Locale.ROOT));
			double spStd = (t.spStd() != null) ? t.spStd() : 1.0;
			return new MupTensor(t.name(), shape, base, role, t.weight(), spStd, init);
		}).toList();
	}

	/**
	 * The script's {@code Mlp}: nn.Linear layers from 32 inputs through the widths, then
	 * a 10-output readout of the given role.
	 */
	static List<MupTensor> mlp(int[] widths, int[] baseWidths, MupRole readout) {
		List<MupTensor> tensors = new ArrayList<>();
		int in = 32;
		int baseIn = 32;
		for (int i = 0; i <= widths.length; i++) {
			boolean last = i == widths.length;
			String module = last ? "readout" : "hidden." + i;
			int out = last ? 10 : widths[i];
			int baseOut = last ? 10 : baseWidths[i];
			MupRole weightRole = last ? readout : MupRole.LINEAR_WEIGHT;
			MupRole biasRole = (weightRole == MupRole.READOUT_WEIGHT) ? MupRole.READOUT_BIAS : MupRole.LINEAR_BIAS;
			double std = 1 / Math.sqrt(3.0 * in);
			tensors.add(MupTensor.of(module + ".weight", new int[] { out, in }, new int[] { baseOut, baseIn },
					weightRole, std, MupInit.FAN_IN));
			tensors.add(new MupTensor(module + ".bias", new int[] { out }, new int[] { baseOut }, biasRole,
					module + ".weight", std, MupInit.FAN_IN));
			in = out;
			baseIn = baseOut;
		}
		return tensors;
	}

	static Stream<Named<ModelCase>> models() {
		return FIXTURE.models().stream().map((m) -> Named.of(m.model(), m));
	}

	static ModelCase model(String name) {
		return FIXTURE.models().stream().filter((m) -> m.model().equals(name)).findFirst().orElseThrow();
	}

	static List<TensorCase> tensors(ModelCase model) {
		return FIXTURE.tensors().stream().filter((t) -> t.model().equals(model.model())).toList();
	}

	private static Fixture load() {
		try (InputStream in = MupTests.class.getResourceAsStream("/reference/recipes/mup.json")) {
			assertThat(in).as("reference/recipes/mup.json on the test class path").isNotNull();
			return MAPPER.readValue(in, Fixture.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Fixture(String mupVersion, String torchVersion, List<ModelCase> models, List<TensorCase> tensors,
			List<ErrorCase> errors, TiedReadout tiedReadout) {
	}

	record ModelCase(String model, boolean readoutZeroInit, double outputMult, Map<String, Double> outputMultipliers) {
	}

	record TensorCase(String model, String name, int[] shape, int[] baseShape, String role, String weight,
			boolean[] inf, int ninf, double widthMult, double rescaleFactor, Double spStd, Double initStd,
			double constantStdFactor, double lrAdam, double wdAdam, double lrSgd, double wdSgd) {
	}

	record ErrorCase(String model, int[] widths, int[] baseWidths, String module) {
	}

	record TiedReadout(long embeddingNonzeroAfterConstruction, long embeddingNonzeroAfterResetParameters,
			long embeddingNumel) {
	}

}
