package dev.initlab.api;

import java.util.Arrays;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.initlab.experiments.ExperimentRunner;
import dev.initlab.training.DecisionBoundary;

/**
 * {@code GET /api/v1/experiments/{id}/boundary}: a policy's trained network over the
 * input plane, as numbers for a notebook (docs/API.md, section 3, jobs).
 *
 * @param policy the policy's label
 * @param resolution grid points per axis (N)
 * @param output {@code sigmoid} or {@code softmax}
 * @param classes classes the output tells apart (2 for sigmoid)
 * @param iteration the updates the network had when training ended (or stopped)
 * @param trainAccuracy the network's accuracy on the training points
 * @param x the grid's N x coordinates, ascending, x_min - 1 to x_max + 1 of the training
 * points, both ends included
 * @param y the grid's N y coordinates, likewise
 * @param probability sigmoid: N rows (one per y) of N values P(class 1); absent for
 * softmax
 * @param prediction N rows (one per y) of N predicted classes
 * @param confidence softmax: N rows of N probabilities of the predicted class; absent for
 * sigmoid
 * @param points the training points, all of them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BoundaryResponse(String policy, int resolution, @Schema(allowableValues = {
		"sigmoid", "softmax" }) String output, int classes, int iteration, double trainAccuracy, double[] x, double[] y,
		double[][] probability, int[][] prediction, double[][] confidence, Points points){

	/**
	 * @param x each training point's two features, {@code [[x1, x2], ...]}
	 * @param label each training point's class
	 */
	record Points(double[][] x, int[] label) {
	}

	static BoundaryResponse from(ExperimentRunner.Boundary b) {
		DecisionBoundary grid = b.grid();
		boolean sigmoid = grid.probability() != null;
		double[][] xy = Arrays.stream(b.points().x()).map((p) -> new double[] { p[0], p[1] }).toArray(double[][]::new);
		return new BoundaryResponse(b.label(), b.resolution(), sigmoid ? "sigmoid" : "softmax", grid.classes(),
				b.updates(), b.trainAccuracy(), grid.x(), grid.y(), grid.probability(), grid.prediction(),
				sigmoid ? null : grid.confidence(), new Points(xy, b.points().y()));
	}

}
