package dev.initlab.training;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How alike the first hidden layer's units are.
 *
 * @param distinctUnits clusters of rows [W1_i, b1_i] equal within 1e-6 relative
 * (connected components)
 * @param maxCosine largest signed cosine over pairs of W1 rows (null for one unit)
 * @param meanCosine mean signed cosine over pairs of W1 rows (null for one unit)
 * @param rank numerical rank of W1, as NumPy's {@code matrix_rank}
 * @param activationCorrelation mean Pearson correlation over pairs of units' activations
 * (null for one unit)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Symmetry(int distinctUnits, Double maxCosine, Double meanCosine, int rank, Double activationCorrelation) {
}
