package dev.initlab.experiments;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;

/**
 * The data of an experiment or a symmetry check.
 *
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
public record DatasetSpec(@Schema(example = "planar_flower") String name, Integer nSamples, Double noise, Double factor,
		Integer centers, Double testFraction, @Valid TestSpec test, Long seed, String rng, List<List<Double>> x,
		List<Integer> y) {
}
