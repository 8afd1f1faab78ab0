package dev.initlab.experiments;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import dev.initlab.init.Policy;

/**
 * A side-by-side training experiment: one network per policy, same data.
 *
 * @param seed int64 seed (drawn and returned when absent)
 * @param rng generator for the dataset and the policies (default xoshiro256pp)
 * @param dataset the data
 * @param model the network
 * @param training optimizer and schedule
 * @param policies the init policies to compare, in order
 */
public record ExperimentRequest(@Schema(example = "1") Long seed, String rng, @Valid DatasetSpec dataset,
		@Valid ModelSpec model, @Valid TrainingSpec training, @NotEmpty @Valid List<@NotNull PolicySpec> policies) {

	/**
	 * @param name {@code planar_flower}, {@code xor}, {@code circles}, {@code moons},
	 * {@code spirals}, {@code blobs} or {@code inline}
	 * @param nSamples samples (defaults per dataset)
	 * @param noise noise std (defaults per dataset)
	 * @param factor circles: inner radius / outer radius (0.8)
	 * @param centers blobs: number of clusters (3)
	 * @param testFraction share held out as a test set (default 0)
	 * @param test a test set drawn separately
	 * @param seed the dataset's seed (default the request's)
	 * @param rng the dataset's generator (default the request's)
	 * @param x inline: samples × features
	 * @param y inline: labels
	 */
	public record DatasetSpec(@Schema(example = "planar_flower") String name, Integer nSamples, Double noise,
			Double factor, Integer centers, Double testFraction, @Valid TestSpec test, Long seed, String rng,
			List<List<Double>> x, List<Integer> y) {
	}

	/**
	 * @param nSamples test samples
	 * @param seed the test set's seed
	 */
	public record TestSpec(@NotNull Integer nSamples, Long seed) {
	}

	/**
	 * @param hiddenLayers units per hidden layer (default [4])
	 * @param activation hidden activation (default tanh)
	 * @param output {@code sigmoid} (binary cross-entropy) or {@code softmax}
	 * (cross-entropy)
	 */
	public record ModelSpec(List<Integer> hiddenLayers, String activation, String output) {
	}

	/**
	 * @param optimizer {@code gd} (default), {@code momentum}, {@code adam}
	 * @param learningRate step size (default 1.2)
	 * @param iterations updates (default 1000)
	 * @param recordEvery record every this many updates (default iterations / 10)
	 * @param batchSize samples per update (default: full batch)
	 * @param beta momentum's β and Adam's β1 (default 0.9)
	 * @param beta2 Adam's β2 (default 0.999)
	 * @param epsilon Adam's ε (default 1e-8)
	 */
	public record TrainingSpec(String optimizer, Double learningRate, Integer iterations, Integer recordEvery,
			Integer batchSize, Double beta, Double beta2, Double epsilon) {
	}

	/**
	 * @param label how the policy is shown
	 * @param init the init policy
	 * @param seed this policy's seed (default the request's)
	 * @param rng this policy's generator (default the request's)
	 */
	public record PolicySpec(@NotBlank String label, @NotNull @Valid Policy init, Long seed, String rng) {
	}

}
