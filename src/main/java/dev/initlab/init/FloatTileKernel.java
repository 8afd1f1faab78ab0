package dev.initlab.init;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two heavy steps of the float block-reflector update, {@code W = V^T X} and
 * {@code X -= V U}, with the Vector API ({@code jdk.incubator.vector}), register-blocked:
 * each pass keeps 8 x 2 vectors of outputs in registers (8 rows of {@code W} or of
 * {@code X}, two vectors of columns) and shares every loaded vector of {@code X} (or
 * {@code U}) between 8 of them. C2 does not vectorize the scalar loops that write several
 * arrays, so they load and store every output for each group of 6 terms; here an output
 * is loaded and stored once per 64 rows (or once per panel). Each output element gets
 * exactly the scalar code's chain of fused multiply-adds, in the same (ascending) order,
 * lane by lane with no reduction across lanes: the vector width does not change a bit.
 * <p>
 * At 4096 x 4096 float32 on two AVX-512 cores: 2.2 s instead of 3.5 s
 * (docs/PERFORMANCE.md). Loaded only when the JVM has the module
 * ({@link HouseholderQr#VECTOR_API}).
 */
final class FloatTileKernel {

	private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

	private static final int L = S.length();

	/** Columns per pass: two vectors. */
	static final int CHUNK = 2 * L;

	/**
	 * Rows of {@code X} per block of the {@code W} step: their slice of columns stays in
	 * L1 while every group of 8 rows of {@code W} passes over it.
	 */
	private static final int ROW_BLOCK = 64;

	private FloatTileKernel() {
	}

	/**
	 * Whether the kernel is faster than the scalar loops here: with vectors of 16 floats
	 * (AVX-512, 32 registers for the 16 outputs, the two loaded vectors and a broadcast).
	 * With AVX2 ({@code -XX:UseAVX=2}: 8 floats, 16 registers) the outputs spill and 4096
	 * x 4096 took 4.0 s against the scalar loops' 3.5 s.
	 */
	static boolean pays() {
		return L >= 16;
	}

	/**
	 * {@code w[p][c] = fma(v[i pc + p], x_i[c], w[p][c])} for {@code i} ascending over
	 * {@code [0, mr)}, {@code c} in {@code [from, to)}, {@code to - from} a multiple of
	 * {@link #CHUNK}; {@code w} holds zeros or the sums so far.
	 */
	static void multiplyAddRows(float[][] w, float[][] rows, int j0, int mr, float[] v, int pc, int from, int to) {
		for (int i0 = 0; i0 < mr; i0 += ROW_BLOCK) {
			int i1 = Math.min(mr, i0 + ROW_BLOCK);
			for (int c = from; c < to; c += CHUNK) {
				int p = 0;
				for (; p + 8 <= pc; p += 8) {
					float[] w0 = w[p + 0];
					float[] w1 = w[p + 1];
					float[] w2 = w[p + 2];
					float[] w3 = w[p + 3];
					float[] w4 = w[p + 4];
					float[] w5 = w[p + 5];
					float[] w6 = w[p + 6];
					float[] w7 = w[p + 7];
					FloatVector a0 = FloatVector.fromArray(S, w0, c);
					FloatVector b0 = FloatVector.fromArray(S, w0, c + L);
					FloatVector a1 = FloatVector.fromArray(S, w1, c);
					FloatVector b1 = FloatVector.fromArray(S, w1, c + L);
					FloatVector a2 = FloatVector.fromArray(S, w2, c);
					FloatVector b2 = FloatVector.fromArray(S, w2, c + L);
					FloatVector a3 = FloatVector.fromArray(S, w3, c);
					FloatVector b3 = FloatVector.fromArray(S, w3, c + L);
					FloatVector a4 = FloatVector.fromArray(S, w4, c);
					FloatVector b4 = FloatVector.fromArray(S, w4, c + L);
					FloatVector a5 = FloatVector.fromArray(S, w5, c);
					FloatVector b5 = FloatVector.fromArray(S, w5, c + L);
					FloatVector a6 = FloatVector.fromArray(S, w6, c);
					FloatVector b6 = FloatVector.fromArray(S, w6, c + L);
					FloatVector a7 = FloatVector.fromArray(S, w7, c);
					FloatVector b7 = FloatVector.fromArray(S, w7, c + L);
					for (int i = i0; i < i1; i++) {
						float[] x = rows[j0 + i];
						FloatVector xa = FloatVector.fromArray(S, x, c);
						FloatVector xb = FloatVector.fromArray(S, x, c + L);
						int vi = i * pc + p;
						FloatVector s0 = FloatVector.broadcast(S, v[vi + 0]);
						a0 = s0.fma(xa, a0);
						b0 = s0.fma(xb, b0);
						FloatVector s1 = FloatVector.broadcast(S, v[vi + 1]);
						a1 = s1.fma(xa, a1);
						b1 = s1.fma(xb, b1);
						FloatVector s2 = FloatVector.broadcast(S, v[vi + 2]);
						a2 = s2.fma(xa, a2);
						b2 = s2.fma(xb, b2);
						FloatVector s3 = FloatVector.broadcast(S, v[vi + 3]);
						a3 = s3.fma(xa, a3);
						b3 = s3.fma(xb, b3);
						FloatVector s4 = FloatVector.broadcast(S, v[vi + 4]);
						a4 = s4.fma(xa, a4);
						b4 = s4.fma(xb, b4);
						FloatVector s5 = FloatVector.broadcast(S, v[vi + 5]);
						a5 = s5.fma(xa, a5);
						b5 = s5.fma(xb, b5);
						FloatVector s6 = FloatVector.broadcast(S, v[vi + 6]);
						a6 = s6.fma(xa, a6);
						b6 = s6.fma(xb, b6);
						FloatVector s7 = FloatVector.broadcast(S, v[vi + 7]);
						a7 = s7.fma(xa, a7);
						b7 = s7.fma(xb, b7);
					}
					a0.intoArray(w0, c);
					b0.intoArray(w0, c + L);
					a1.intoArray(w1, c);
					b1.intoArray(w1, c + L);
					a2.intoArray(w2, c);
					b2.intoArray(w2, c + L);
					a3.intoArray(w3, c);
					b3.intoArray(w3, c + L);
					a4.intoArray(w4, c);
					b4.intoArray(w4, c + L);
					a5.intoArray(w5, c);
					b5.intoArray(w5, c + L);
					a6.intoArray(w6, c);
					b6.intoArray(w6, c + L);
					a7.intoArray(w7, c);
					b7.intoArray(w7, c + L);
				}
				for (; p < pc; p++) {
					float[] w0 = w[p];
					FloatVector a0 = FloatVector.fromArray(S, w0, c);
					FloatVector b0 = FloatVector.fromArray(S, w0, c + L);
					for (int i = i0; i < i1; i++) {
						float[] x = rows[j0 + i];
						FloatVector s = FloatVector.broadcast(S, v[i * pc + p]);
						a0 = s.fma(FloatVector.fromArray(S, x, c), a0);
						b0 = s.fma(FloatVector.fromArray(S, x, c + L), b0);
					}
					a0.intoArray(w0, c);
					b0.intoArray(w0, c + L);
				}
			}
		}
	}

	/**
	 * {@code x_i[c] = fma(v[i pc + p], u[p][c], x_i[c])} for {@code p} ascending over
	 * {@code [0, pc)}, every row {@code i} in {@code [0, mr)}, {@code c} in
	 * {@code [from, to)}, {@code to - from} a multiple of {@link #CHUNK}; {@code u} holds
	 * {@code -U} (the same bits as {@code fma(-v, u, x)}).
	 */
	static void subtractRows(float[][] rows, int j0, int mr, float[][] u, float[] v, int pc, int from, int to) {
		for (int c = from; c < to; c += CHUNK) {
			int i = 0;
			for (; i + 8 <= mr; i += 8) {
				float[] x0 = rows[j0 + i + 0];
				float[] x1 = rows[j0 + i + 1];
				float[] x2 = rows[j0 + i + 2];
				float[] x3 = rows[j0 + i + 3];
				float[] x4 = rows[j0 + i + 4];
				float[] x5 = rows[j0 + i + 5];
				float[] x6 = rows[j0 + i + 6];
				float[] x7 = rows[j0 + i + 7];
				FloatVector a0 = FloatVector.fromArray(S, x0, c);
				FloatVector b0 = FloatVector.fromArray(S, x0, c + L);
				FloatVector a1 = FloatVector.fromArray(S, x1, c);
				FloatVector b1 = FloatVector.fromArray(S, x1, c + L);
				FloatVector a2 = FloatVector.fromArray(S, x2, c);
				FloatVector b2 = FloatVector.fromArray(S, x2, c + L);
				FloatVector a3 = FloatVector.fromArray(S, x3, c);
				FloatVector b3 = FloatVector.fromArray(S, x3, c + L);
				FloatVector a4 = FloatVector.fromArray(S, x4, c);
				FloatVector b4 = FloatVector.fromArray(S, x4, c + L);
				FloatVector a5 = FloatVector.fromArray(S, x5, c);
				FloatVector b5 = FloatVector.fromArray(S, x5, c + L);
				FloatVector a6 = FloatVector.fromArray(S, x6, c);
				FloatVector b6 = FloatVector.fromArray(S, x6, c + L);
				FloatVector a7 = FloatVector.fromArray(S, x7, c);
				FloatVector b7 = FloatVector.fromArray(S, x7, c + L);
				int v0 = i * pc;
				for (int p = 0; p < pc; p++) {
					float[] up = u[p];
					FloatVector ua = FloatVector.fromArray(S, up, c);
					FloatVector ub = FloatVector.fromArray(S, up, c + L);
					FloatVector s0 = FloatVector.broadcast(S, v[v0 + 0 * pc + p]);
					a0 = s0.fma(ua, a0);
					b0 = s0.fma(ub, b0);
					FloatVector s1 = FloatVector.broadcast(S, v[v0 + 1 * pc + p]);
					a1 = s1.fma(ua, a1);
					b1 = s1.fma(ub, b1);
					FloatVector s2 = FloatVector.broadcast(S, v[v0 + 2 * pc + p]);
					a2 = s2.fma(ua, a2);
					b2 = s2.fma(ub, b2);
					FloatVector s3 = FloatVector.broadcast(S, v[v0 + 3 * pc + p]);
					a3 = s3.fma(ua, a3);
					b3 = s3.fma(ub, b3);
					FloatVector s4 = FloatVector.broadcast(S, v[v0 + 4 * pc + p]);
					a4 = s4.fma(ua, a4);
					b4 = s4.fma(ub, b4);
					FloatVector s5 = FloatVector.broadcast(S, v[v0 + 5 * pc + p]);
					a5 = s5.fma(ua, a5);
					b5 = s5.fma(ub, b5);
					FloatVector s6 = FloatVector.broadcast(S, v[v0 + 6 * pc + p]);
					a6 = s6.fma(ua, a6);
					b6 = s6.fma(ub, b6);
					FloatVector s7 = FloatVector.broadcast(S, v[v0 + 7 * pc + p]);
					a7 = s7.fma(ua, a7);
					b7 = s7.fma(ub, b7);
				}
				a0.intoArray(x0, c);
				b0.intoArray(x0, c + L);
				a1.intoArray(x1, c);
				b1.intoArray(x1, c + L);
				a2.intoArray(x2, c);
				b2.intoArray(x2, c + L);
				a3.intoArray(x3, c);
				b3.intoArray(x3, c + L);
				a4.intoArray(x4, c);
				b4.intoArray(x4, c + L);
				a5.intoArray(x5, c);
				b5.intoArray(x5, c + L);
				a6.intoArray(x6, c);
				b6.intoArray(x6, c + L);
				a7.intoArray(x7, c);
				b7.intoArray(x7, c + L);
			}
			for (; i < mr; i++) {
				float[] x0 = rows[j0 + i];
				FloatVector a0 = FloatVector.fromArray(S, x0, c);
				FloatVector b0 = FloatVector.fromArray(S, x0, c + L);
				int v0 = i * pc;
				for (int p = 0; p < pc; p++) {
					float[] up = u[p];
					FloatVector s = FloatVector.broadcast(S, v[v0 + p]);
					a0 = s.fma(FloatVector.fromArray(S, up, c), a0);
					b0 = s.fma(FloatVector.fromArray(S, up, c + L), b0);
				}
				a0.intoArray(x0, c);
				b0.intoArray(x0, c + L);
			}
		}
	}

}
