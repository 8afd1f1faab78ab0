#!/usr/bin/env python3
"""The reported loss on NumPy's own trajectory, for Course 2 week 1 ("Initialization").

Writes course_loss.json (run from this folder: python3 make_course_loss.py; needs numpy and
scikit-learn, and make_course_runs.py beside it, whose course functions it reuses).
CourseReproductionTests (src/test/java/dev/initlab/training) reads it.

Why a second fixture: with the course's "random" init (randn * 10) the run is chaotic in
rounding. Its first steps are huge (|z3| in the thousands) and switch relu units on and off,
so a one-ulp difference anywhere (BLAS's summation order, a division done first) grows to
about 1e-3 in the cost by iteration 1000. Two NumPy runs of make_course_runs.py on two
machines (different OpenBLAS kernels) already differ that much: course_runs.json has 0.623506
at iteration 1000, this machine's NumPy 2.4.6 gives 0.624420. initlab's own trajectory is a
third such run, so its cost cannot be compared with NumPy's to better than about 5e-3 (the
He run, which is not chaotic, matches to 1e-15).

What can be compared exactly is the loss itself on one and the same trajectory: NumPy's.
Every 1000 iterations this records the parameters (W_l [n_l][n_{l-1}], b_l [n_l]) and
"stable_cost", NumPy's numerically stable binary cross-entropy of those parameters' output
logits z3: mean(softplus(z3) - y z3), with softplus(z) = max(z, 0) + log1p(exp(-|z|)). The
test evaluates initlab's reported loss at the same parameters. "course_cost" is the course's
own compute_loss (log of the sigmoid; "inf" when a3 rounds to 0 or 1) and "saturated" the
number of samples whose a3 rounded to exactly 0 or 1, where only the stable form is finite.
"""
import platform

import numpy as np
import sklearn

import fixture_json
import make_course_runs as course


def trajectory(X, Y, initialization, learning_rate=0.01, num_iterations=15000, every=1000):
    parameters = {
        "random": course.initialize_parameters_random,
        "he": course.initialize_parameters_he,
    }[initialization]([X.shape[0], 10, 5, 1])
    checkpoints = []
    with np.errstate(over="ignore"):
        for i in range(num_iterations):
            a3, cache = course.forward_propagation2(X, parameters)
            if i % every == 0:
                checkpoints.append({
                    "iteration": i,
                    "stable_cost": course.stable_cost(cache[8], Y),
                    "course_cost": course.num(course.compute_loss(a3, Y)),
                    "saturated": int(np.sum((a3 == 0) | (a3 == 1))),
                    "params": course.params_json(parameters, 3),
                })
            grads = course.backward_propagation2(X, Y, cache)
            parameters = course.update_parameters2(parameters, grads, learning_rate)
    return checkpoints


def main():
    train_X, train_Y, _, _ = course.load_dataset()
    X, Y = train_X.T, train_Y.reshape((1, train_Y.shape[0]))
    fixture = {
        "numpy_version": np.__version__,
        "sklearn_version": sklearn.__version__,
        "machine": platform.machine(),
        "learning_rate": 0.01,
        "random": trajectory(X, Y, "random"),
        "he": trajectory(X, Y, "he"),
    }
    with open("course_loss.json", "w") as f:
        f.write(fixture_json.dump(fixture))
    for name in ("random", "he"):
        for c in fixture[name]:
            print(name, c["iteration"], c["stable_cost"], c["course_cost"], c["saturated"])


if __name__ == "__main__":
    main()
