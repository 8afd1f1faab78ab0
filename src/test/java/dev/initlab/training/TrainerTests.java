package dev.initlab.training;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.initlab.rng.Generator;
import dev.initlab.rng.RandomStream;
import dev.initlab.rng.SeedMaterial;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mini-batches and the optimizers: deterministic from the seed, and they learn the moons.
 */
class TrainerTests {

	@ParameterizedTest
	@EnumSource(OptimizerKind.class)
	void miniBatchTrainingIsDeterministicAndLearns(OptimizerKind optimizer) {
		List<HistoryEntry> a = train(optimizer);
		List<HistoryEntry> b = train(optimizer);
		assertThat(a).isEqualTo(b);
		HistoryEntry first = a.get(0);
		HistoryEntry last = a.get(a.size() - 1);
		assertThat(last.loss()).isLessThan(0.8 * first.loss());
		assertThat(last.trainAccuracy()).isGreaterThan(0.8);
	}

	private static List<HistoryEntry> train(OptimizerKind optimizer) {
		RandomStream data = Generator.XOSHIRO256PP.sequential(5);
		Dataset moons = Datasets.moons(200, 0.1, data);
		RandomStream init = Generator.XOSHIRO256PP.create(SeedMaterial.forTensorBlock(5, "init", 0));
		int[] sizes = { 2, 16, 1 };
		double[][] w = new double[2][];
		double[][] b = new double[2][];
		for (int l = 0; l < 2; l++) {
			w[l] = new double[sizes[l + 1] * sizes[l]];
			for (int i = 0; i < w[l].length; i++) {
				w[l][i] = init.nextGaussian() * Math.sqrt(2.0 / sizes[l]);
			}
			b[l] = new double[sizes[l + 1]];
		}
		double lr = optimizer == OptimizerKind.ADAM ? 0.01 : 0.1;
		Training training = new Training(optimizer, lr, 600, 100, 32, 0.9, 0.999, 1e-8);
		RandomStream order = Generator.XOSHIRO256PP.create(SeedMaterial.forTensorBlock(5, "order", 0));
		return Trainer.train(w, b, sizes, Activation.RELU, false, moons, null, training, order, () -> false,
				(entry) -> {
				});
	}

}
