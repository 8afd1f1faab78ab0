package dev.initlab.bench;

import java.io.OutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import tools.jackson.core.util.MinimalPrettyPrinter;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import dev.initlab.tensor.DType;
import dev.initlab.tensor.TensorValues;

/**
 * JSON encoding of {@code data}: one operation = one float32 value written. {@code data}
 * is the server's path (numbers formatted into raw text chunks); {@code tokenByToken} the
 * same bytes through one generator call and one String per value, the path of before,
 * which the serializer still takes under a pretty printer (here one that adds nothing).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class JsonBenchmark {

	static final int ROWS = 1024;

	static final int COLS = 1024;

	private TensorValues values;

	private ObjectWriter dataWriter;

	private ObjectWriter tokenWriter;

	@Setup(Level.Trial)
	public void setUp() {
		SplittableRandom random = new SplittableRandom(1);
		double[] v = new double[ROWS * COLS];
		for (int i = 0; i < v.length; i++) {
			v[i] = (float) (random.nextGaussian() * 0.05);
		}
		this.values = new TensorValues(v, new int[] { ROWS, COLS }, DType.FLOAT32);
		JsonMapper mapper = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
		this.dataWriter = mapper.writer();
		this.tokenWriter = mapper.writer().with(new MinimalPrettyPrinter());
	}

	@Benchmark
	@OperationsPerInvocation(ROWS * COLS)
	public void data() {
		this.dataWriter.writeValue(OutputStream.nullOutputStream(), this.values);
	}

	@Benchmark
	@OperationsPerInvocation(ROWS * COLS)
	public void tokenByToken() {
		this.tokenWriter.writeValue(OutputStream.nullOutputStream(), this.values);
	}

	TensorValues values() {
		return this.values;
	}

	ObjectWriter dataWriter() {
		return this.dataWriter;
	}

	ObjectWriter tokenWriter() {
		return this.tokenWriter;
	}

}
