package dev.initlab.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import dev.initlab.models.ArchitectureFixtures.FixtureModel;
import dev.initlab.models.ArchitectureFixtures.FixtureTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * The architecture fixtures are whole and agree with themselves, and the KS helper both
 * accepts the library's own samples and rejects wrong scales. Statistical false-failure
 * odds: each split-half comparison fails falsely with probability at most
 * {@link ArchitectureFixtures#FALSE_FAILURE_LEVEL} (1e-5); there are about 280 of them,
 * so the class fails falsely with odds below 1 in 300. The data are fixed, so in practice
 * a pass stays a pass until the fixtures are regenerated.
 */
class ArchitectureFixturesTests {

	/**
	 * Issue #13's architectures and issue #14's Fixup ResNets; each must come at two
	 * configs or more.
	 */
	private static final List<String> ARCHITECTURES = List.of("transformers/GPT2LMHeadModel",
			"transformers/LlamaForCausalLM", "transformers/BertModel", "transformers/BertForMaskedLM",
			"transformers/T5ForConditionalGeneration", "nanogpt/GPT", "torchvision/resnet18", "torchvision/resnet34",
			"torchvision/resnet50", "torchvision/resnet101", "torchvision/resnet152", "timm/VisionTransformer",
			"timm/vit_tiny_patch16_224", "timm/vit_small_patch16_224", "timm/vit_base_patch16_224", "fixup/resnet18",
			"fixup/resnet34", "fixup/resnet50", "fixup/resnet101", "fixup/resnet152");

	private static final Set<String> BUFFERS = Set.of("running_mean", "running_var", "num_batches_tracked");

	static Stream<FixtureModel> models() {
		return ArchitectureFixtures.all().stream();
	}

	static Stream<FixtureModel> sampledModels() {
		return models().filter(FixtureModel::hasSamples);
	}

	@Test
	void everyArchitectureComesAtTwoConfigsWithItsLibraryVersions() {
		for (String architecture : ARCHITECTURES) {
			List<FixtureModel> models = ArchitectureFixtures.architecture(architecture);
			assertThat(models).as(architecture).hasSizeGreaterThanOrEqualTo(2);
			assertThat(models.stream().map((m) -> m.config().toString()).distinct()).as(architecture)
				.hasSameSizeAs(models);
		}
		assertThat(models().map(FixtureModel::architecture)).allMatch(ARCHITECTURES::contains);
		for (FixtureModel m : ArchitectureFixtures.all()) {
			assertThat(m.versions()).as(m.id())
				.containsKeys("torch", "transformers", "torchvision", "timm")
				.allSatisfy((k, v) -> assertThat(v).isNotBlank());
		}
		assertThat(ArchitectureFixtures.family("nanogpt").get(0).versions()).containsKey("nanogpt_commit");
		assertThat(ArchitectureFixtures.family("fixup").get(0).versions()).containsKey("fixup_commit");
		assertThat(models().filter(FixtureModel::hasSamples).map(FixtureModel::family).distinct())
			.containsExactlyInAnyOrderElementsOf(ArchitectureFixtures.FAMILIES);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void everyTensorIsTiedDeterministicOrRandom(FixtureModel m) {
		assertThat(new HashSet<>(m.names())).as("unique names").hasSameSizeAs(m.names());
		assertThat(m.nonPersistentBuffers()).doesNotContainAnyElementsOf(m.names());
		assertThat(m.tensors().stream().mapToLong(FixtureTensor::numel).sum()).isEqualTo(m.stateDictNumel());
		for (FixtureTensor t : m.tensors()) {
			assertThat(t.dtype()).as(t.name()).isIn("float32", "int64");
			assertThat(t.shape()).as(t.name()).allMatch((d) -> d > 0);
			if (t.tiedTo() != null) {
				assertThat(t.deterministic()).as(t.name()).isNull();
				assertThat(t.values()).as(t.name()).isNull();
				assertThat(t.sample()).as(t.name()).isNull();
			}
			else if (t.deterministic()) {
				assertThat(t.values()).as(t.name()).isNotEmpty().isSorted().doesNotHaveDuplicates();
				assertThat(t.sample()).as(t.name()).isNull();
			}
			else {
				randomTensorIsConsistent(m, t);
			}
			if (t.dtype().equals("int64")) {
				assertThat(t.name()).endsWith(".num_batches_tracked");
				assertThat(t.shape()).isEmpty();
				assertThat(t.values()).containsExactly(0.0);
			}
		}
	}

	private static void randomTensorIsConsistent(FixtureModel m, FixtureTensor t) {
		assertThat(t.dtype()).as(t.name()).isEqualTo("float32");
		assertThat(t.stats()).as(t.name()).isNotNull();
		assertThat(t.stats().min()).as(t.name()).isLessThan(t.stats().max());
		long rowSize = t.shape().isEmpty() ? 1 : t.numel() / t.shape().get(0);
		long available = t.numel() - rowSize * t.zeroRows().size();
		assertThat(t.zeroRows()).as(t.name()).allMatch((r) -> r >= 0 && r < t.shape().get(0));
		if (!m.hasSamples()) {
			assertThat(t.sample()).as(t.name()).isNull();
			return;
		}
		assertThat(t.sample()).as(t.name()).hasSize((int) Math.min(available, m.maxSample()));
		double slack = 1e-8 * Math.max(Math.abs(t.stats().min()), Math.abs(t.stats().max()));
		assertThat(Arrays.stream(t.sample()).boxed()).as(t.name())
			.allMatch((v) -> v >= t.stats().min() - slack && v <= t.stats().max() + slack);
		assertThat(Arrays.stream(t.sample()).boxed()).as("no zero row in the sample of " + t.name())
			.allMatch((v) -> v != 0.0 || t.zeroRows().isEmpty());
		if (t.sample().length > 1) {
			assertThat(std(t.sample())).as(t.name()).isCloseTo(t.sampleStd(), within(1e-7 * t.sampleStd()));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("models")
	void tieGroupsShareShapeAndParametersCountThemOnce(FixtureModel m) {
		Set<String> members = new HashSet<>();
		for (List<String> group : m.tieGroups()) {
			assertThat(group).hasSizeGreaterThanOrEqualTo(2);
			FixtureTensor first = m.tensor(group.get(0));
			assertThat(first.tiedTo()).isNull();
			for (String name : group.subList(1, group.size())) {
				FixtureTensor t = m.tensor(name);
				assertThat(t.tiedTo()).as(name).isEqualTo(first.name());
				assertThat(t.shape()).as(name).isEqualTo(first.shape());
				assertThat(t.dtype()).as(name).isEqualTo(first.dtype());
				assertThat(m.owner(name)).isSameAs(first);
			}
			members.addAll(group);
		}
		assertThat(m.tensors().stream().filter((t) -> t.tiedTo() != null).map(FixtureTensor::name))
			.allMatch(members::contains);
		long parameters = m.tensors()
			.stream()
			.filter((t) -> t.tiedTo() == null)
			.filter((t) -> !BUFFERS.contains(t.name().substring(t.name().lastIndexOf('.') + 1)))
			.mapToLong(FixtureTensor::numel)
			.sum();
		assertThat(m.parameterCount()).isEqualTo(parameters);
	}

	@Test
	void fixturesHoldWhatTheApiContractSays() {
		FixtureModel gpt2 = ArchitectureFixtures.model("gpt2_0");
		assertThat(gpt2.tieGroups()).containsExactly(List.of("transformer.wte.weight", "lm_head.weight"));
		assertThat(gpt2.tensor("transformer.h.0.attn.c_attn.weight").shape()).containsExactly(32L, 96L);
		assertThat(gpt2.nonPersistentBuffers()).isEmpty();
		for (FixtureModel bert : ArchitectureFixtures.architecture("transformers/BertForMaskedLM")) {
			assertThat(bert.tieGroups()).contains(List.of("cls.predictions.bias", "cls.predictions.decoder.bias"));
			assertThat(bert.nonPersistentBuffers()).contains("bert.embeddings.position_ids");
			int pad = bert.resolvedConfig().get("pad_token_id").asInt();
			assertThat(bert.tensor("bert.embeddings.word_embeddings.weight").zeroRows()).containsExactly(pad);
		}
		for (FixtureModel t5 : ArchitectureFixtures.architecture("transformers/T5ForConditionalGeneration")) {
			assertThat(t5.tieGroups()).containsExactly(List.of("shared.weight", "encoder.embed_tokens.weight",
					"decoder.embed_tokens.weight", "lm_head.weight"));
		}
		assertThat(ArchitectureFixtures.model("t5_2").config().get("tie_word_embeddings").asBoolean()).isFalse();
		assertThat(ArchitectureFixtures.model("llama_0").nonPersistentBuffers()).contains("model.rotary_emb.inv_freq");
		assertThat(ArchitectureFixtures.model("resnet_0").tensor("bn1.num_batches_tracked").dtype()).isEqualTo("int64");
		assertThat(ArchitectureFixtures.model("resnet_1").tensor("layer1.0.bn2.weight").values()).containsExactly(0.0);
		assertThat(ArchitectureFixtures.model("resnet_0").tensor("layer1.0.bn2.weight").values()).containsExactly(1.0);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("sampledModels")
	void eachGroupsSampleAgreesWithItselfSplitInHalves(FixtureModel m) {
		int compared = 0;
		for (Map.Entry<String, List<FixtureTensor>> group : m.groups().entrySet()) {
			double[] pooled = ArchitectureFixtures.pooledSample(group.getValue(), (t) -> t.stats().std());
			if (pooled.length < 40) {
				continue;
			}
			double[][] halves = halves(pooled);
			ArchitectureFixtures.assertSameDistribution(m.id() + " " + group.getKey(), halves[0], halves[1]);
			compared++;
		}
		assertThat(compared).isPositive();
	}

	/**
	 * Negative control: every sample of a family, each divided by its tensor's std, split
	 * in halves; one half x1.5 against the other is rejected (a family pools 4 000 to 20
	 * 000 values, where KS rejects x1.5 far below the level), the halves as they are are
	 * not.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("families")
	void aFamilysSampleScaledByOneAndAHalfIsRejected(String family) {
		double[] pooled = ArchitectureFixtures.pooledSample(
				ArchitectureFixtures.family(family).stream().flatMap((m) -> m.tensors().stream()).toList(),
				(t) -> t.stats().std());
		double[][] halves = halves(pooled);
		double[] scaled = Arrays.stream(halves[0]).map((v) -> v * 1.5).toArray();
		assertThat(ArchitectureFixtures.ksPValue(halves[0], halves[1]))
			.isGreaterThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
		assertThat(ArchitectureFixtures.ksPValue(scaled, halves[1])).as("%s: %d values", family, pooled.length)
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> ArchitectureFixtures.assertSameDistribution(family, scaled, halves[1]));
	}

	/**
	 * GPT-2's residual projections are drawn at initializer_range/sqrt(2*n_layer): scaled
	 * back by sqrt(2*n_layer) they match the other Conv1D weights (std
	 * initializer_range); unscaled (the rule without the depth scaling) they are
	 * rejected.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("gpt2")
	void gpt2ResidualProjectionsWithoutDepthScalingAreRejected(FixtureModel m) {
		double depth = Math.sqrt(2 * m.resolvedConfig().get("n_layer").asInt());
		List<FixtureTensor> cProj = new ArrayList<>();
		List<FixtureTensor> others = new ArrayList<>();
		for (FixtureTensor t : m.tensors()) {
			if (t.name().endsWith("c_proj.weight")) {
				cProj.add(t);
			}
			else if (t.name().endsWith("c_attn.weight") || t.name().endsWith("c_fc.weight")) {
				others.add(t);
			}
		}
		double[] unscaled = ArchitectureFixtures.pooledSample(cProj, (t) -> 1.0);
		double[] rescaled = ArchitectureFixtures.pooledSample(cProj, (t) -> 1.0 / depth);
		double[] reference = ArchitectureFixtures.pooledSample(others, (t) -> 1.0);
		ArchitectureFixtures.assertSameDistribution(m.id() + " c_proj x sqrt(2 n_layer)", rescaled, reference);
		assertThat(ArchitectureFixtures.ksPValue(unscaled, reference))
			.isLessThan(ArchitectureFixtures.FALSE_FAILURE_LEVEL);
	}

	static Stream<String> families() {
		return ArchitectureFixtures.FAMILIES.stream();
	}

	static Stream<FixtureModel> gpt2() {
		return ArchitectureFixtures.family("gpt2").stream();
	}

	@Test
	void groupsReplaceNumericPartsOnly() {
		assertThat(ArchitectureFixtures.groupOf("transformer.h.11.attn.c_proj.weight"))
			.isEqualTo("transformer.h.*.attn.c_proj.weight");
		assertThat(ArchitectureFixtures.groupOf("layer1.0.downsample.1.weight"))
			.isEqualTo("layer1.*.downsample.*.weight");
		assertThat(ArchitectureFixtures.groupOf("fc.weight")).isEqualTo("fc.weight");
	}

	/** Even and odd positions: both halves mix every tensor of the pool alike. */
	private static double[][] halves(double[] pooled) {
		double[] even = new double[(pooled.length + 1) / 2];
		double[] odd = new double[pooled.length / 2];
		for (int i = 0; i < pooled.length; i++) {
			if (i % 2 == 0) {
				even[i / 2] = pooled[i];
			}
			else {
				odd[i / 2] = pooled[i];
			}
		}
		return new double[][] { even, odd };
	}

	private static double std(double[] values) {
		double mean = Arrays.stream(values).average().orElseThrow();
		double sum = Arrays.stream(values).map((v) -> (v - mean) * (v - mean)).sum();
		return Math.sqrt(sum / (values.length - 1));
	}

}
