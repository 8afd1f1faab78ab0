package dev.initlab.experiments;

import jakarta.validation.Valid;

/**
 * Train briefly from exactly the generated tensors of a stack of linear layers and report
 * symmetry: the {@code symmetry_check} of {@code POST /api/v1/initializations}.
 *
 * @param dataset the data (as in experiments; seed and rng default to the request's)
 * @param training optimizer and schedule (as in experiments)
 */
public record SymmetryCheck(@Valid DatasetSpec dataset, @Valid TrainingSpec training) {
}
