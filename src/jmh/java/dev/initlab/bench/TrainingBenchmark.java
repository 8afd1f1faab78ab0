package dev.initlab.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.initlab.rng.NumpyLegacyStream;
import dev.initlab.training.Activation;
import dev.initlab.training.Dataset;
import dev.initlab.training.Datasets;
import dev.initlab.training.HistoryEntry;
import dev.initlab.training.OptimizerKind;
import dev.initlab.training.Trainer;
import dev.initlab.training.Training;

/**
 * The course's planar experiment as bench/planar_vs_numpy.py runs it, minus HTTP: 400 points,
 * 2-4-1 tanh/sigmoid, full-batch gradient descent, learning rate 1.2, 10,000 iterations
 * (history every 1,000), from {@code np.random.seed(2); randn(...) * 0.01}. One operation is
 * the whole run; NumPy's course implementation takes 0.27 s on the same machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class TrainingBenchmark {

	private Dataset data;

	private double[][] weights;

	private double[][] biases;

	private final Training training = new Training(OptimizerKind.GD, 1.2, 10000, 1000, 0, 0.9, 0.999, 1e-8);

	@Setup(Level.Trial)
	public void setUp() {
		this.data = Datasets.planarFlower(400, 0.2, new NumpyLegacyStream(1));
		NumpyLegacyStream numpy = new NumpyLegacyStream(2);
		double[] w1 = new double[8];
		double[] w2 = new double[4];
		for (int i = 0; i < w1.length; i++) {
			w1[i] = numpy.nextGaussian() * 0.01;
		}
		for (int i = 0; i < w2.length; i++) {
			w2[i] = numpy.nextGaussian() * 0.01;
		}
		this.weights = new double[][] { w1, w2 };
		this.biases = new double[][] { new double[4], new double[1] };
	}

	@Benchmark
	public List<HistoryEntry> planar10000Iterations() {
		return Trainer.train(this.weights, this.biases, new int[] { 2, 4, 1 }, Activation.TANH, false, this.data,
				null, this.training, null, () -> false, (entry) -> {
				});
	}

}
