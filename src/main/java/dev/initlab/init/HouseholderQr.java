package dev.initlab.init;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Thin QR of a tall {@code m x k} matrix ({@code m >= k}) by blocked Householder
 * reflections, as LAPACK's {@code dgeqrf} then {@code dorgqr}, in plain Java with an
 * operation order that depends on nothing but the shape: the result has the same bits on
 * every machine and with any number of threads.
 * <p>
 * Factorization: the columns are taken in panels of {@link #PANEL} columns
 * ({@link #WIDE_PANEL} from {@link #WIDE_PANELS_FROM} columns on); a panel is reduced by
 * one reflector per column ({@code H = I - tau v v^T}, {@code v_0 = 1},
 * {@code R_jj = beta = -sign(alpha) ||x||}, as {@code dlarfg}), its reflectors gathered
 * into a block reflector {@code I - V T V^T} ({@code T} upper triangular, as
 * {@code dlarft}), and the trailing columns updated by three matrix products
 * {@code C -= V (T^T (V^T C))} ({@code dlarfb}). Forming Q: {@code Q = H_1 ... H_k I[:,
 * :k]}, the blocks applied to the identity from the last to the first, each as
 * {@code X -= V (T (V^T X))} on the rows and columns it touches (backward accumulation,
 * as {@code dorgqr}).
 * <p>
 * Determinism: the block updates are split into tiles of columns, computed by any thread;
 * every element of a tile is a sum over rows (or reflectors) taken in ascending order by
 * one thread, whatever the tile width and the thread count, so no sum is split between
 * threads. Each term of those sums is added by {@code Math.fma(s, x, y)}, which Java
 * defines as the exact {@code s * x + y} rounded once: the same bits on every JVM and
 * CPU, interpreted, compiled or vectorized (an FMA instruction where the CPU has one, as
 * every x86-64 since 2013 and every 64-bit ARM does; a slow but exact software path
 * otherwise).
 * <p>
 * Precision: {@code double[][]} in double, {@code float[][]} in float (the same algorithm
 * and order; for tensors of 32 bits or fewer, as PyTorch's {@code sgeqrf} for a float32
 * tensor), each with its own digest.
 * <p>
 * Speed: the matrix is held as one array per row, and every inner loop is
 * {@code y[c] = fma(s5, x5[c], ... fma(s0, x0[c], y[c]))} over a range of columns, all
 * arrays indexed by the same {@code c}: HotSpot's C2 (17 and 25) vectorizes such a loop,
 * but not one whose arrays are indexed at different offsets (one flat array), nor one
 * with more than one store or eight products. Six products per pass load and store
 * {@code y} a third less often than four (about 10% less CPU time at 1024 x 1024).
 */
final class HouseholderQr {

	/**
	 * Columns per panel; part of the operation order (a different width gives other last
	 * bits).
	 */
	static final int PANEL = 32;

	/**
	 * Columns per panel of a wide matrix: each block update then streams the trailing
	 * matrix, far beyond the caches at 4096 columns, once per 64 reflectors instead of 32
	 * (about 14% less CPU time at 4096 x 4096, 7% at 2048 x 2048, but 20% more at 1024 x
	 * 1024, where the serial panel work weighs more). Part of the operation order.
	 */
	static final int WIDE_PANEL = 64;

	/** The number of columns from which panels are {@link #WIDE_PANEL} wide. */
	static final int WIDE_PANELS_FROM = 2048;

	/**
	 * Columns per tile of a block update, at most: wide enough for long vector loops,
	 * narrow enough that a tile's scratch rows ({@code 32 x 256} doubles) stay in cache.
	 * Any width gives the same bits.
	 */
	private static final int MAX_TILE = 256;

	/**
	 * Columns the caller updates before factoring the next panel, at least, in single
	 * precision (4 vectors of 16 floats; 32 columns ran at scalar speed, and 64 took 5%
	 * less time at 1024 x 1024 than 32). Any width gives the same bits.
	 */
	private static final int AHEAD = 64;

	/** Columns per tile, at least (when there are more threads than wide tiles). */
	private static final int MIN_TILE = 64;

	/** Below this many multiply-adds a block update runs on the calling thread only. */
	private static final long PARALLEL_WORK = 1L << 20;

	/**
	 * Rows (or reflectors) per pass of the block updates' inner loops: six vectorize on
	 * C2, eight do not. Not part of the operation order: each element's terms are added
	 * one after the other in ascending order whatever the grouping.
	 */
	private static final int GROUP = 6;

	/** Whether the JVM was started with {@code --add-modules jdk.incubator.vector}. */
	static final boolean VECTOR_MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

	/**
	 * Whether the float path's block updates use {@link FloatTileKernel}: with the module
	 * and {@link FloatTileKernel#pays() where it pays}; otherwise the class is never
	 * loaded. The bits are the same either way.
	 */
	static final boolean VECTOR_API = VECTOR_MODULE && FloatTileKernel.pays();

	private final Executor executor;

	private final int threads;

	/** A deliberate error (T for T^T in the factorization's updates), for a test. */
	private final boolean faulty;

	/** From this many columns on, panels are {@link #WIDE_PANEL} wide. */
	private final int widePanelsFrom;

	/**
	 * Whether the float path's block updates use {@link FloatTileKernel} (the same bits,
	 * faster).
	 */
	private final boolean vector;

	private HouseholderQr(Executor executor, int threads, boolean faulty, int widePanelsFrom, boolean vector) {
		this.executor = executor;
		this.threads = threads;
		this.faulty = faulty;
		this.widePanelsFrom = widePanelsFrom;
		this.vector = vector;
	}

	/**
	 * On the common pool, with as many threads as processors: the calling thread plus
	 * helpers.
	 */
	static HouseholderQr shared() {
		return new HouseholderQr(ForkJoinPool.commonPool(), Runtime.getRuntime().availableProcessors(), false,
				WIDE_PANELS_FROM, VECTOR_API);
	}

	/**
	 * With {@code threads} threads: the caller plus {@code threads - 1} tasks on
	 * {@code executor}.
	 */
	static HouseholderQr on(Executor executor, int threads) {
		if (threads < 1) {
			throw new IllegalArgumentException("threads must be >= 1");
		}
		return new HouseholderQr(executor, threads, false, WIDE_PANELS_FROM, VECTOR_API);
	}

	/**
	 * The negative control of the tests: the same, but the factorization's block updates
	 * apply {@code I - V T V^T} instead of its transpose, a plausible slip that the tests
	 * must catch.
	 */
	HouseholderQr withTransposeFault() {
		return new HouseholderQr(this.executor, this.threads, true, this.widePanelsFrom, this.vector);
	}

	/**
	 * For the tests: the same, with {@link #WIDE_PANEL} columns per panel from
	 * {@code columns} columns on, so that small matrices take the wide panels' path.
	 */
	HouseholderQr withWidePanelsFrom(int columns) {
		return new HouseholderQr(this.executor, this.threads, this.faulty, columns, this.vector);
	}

	/**
	 * For the tests: the same, with the float path's block updates in
	 * {@link FloatTileKernel} ({@code true}, needs the {@code jdk.incubator.vector}
	 * module) or in the scalar loops ({@code false}).
	 */
	HouseholderQr withVectorKernel(boolean vector) {
		return new HouseholderQr(this.executor, this.threads, this.faulty, this.widePanelsFrom, vector);
	}

	/**
	 * Replaces the row-major {@code m x k} matrix {@code a} ({@code m >= k >= 1}) by the
	 * thin Q of {@code a = QR}, and returns the diagonal of R.
	 */
	double[] thinQ(double[] a, int m, int k) {
		if (m < k || k < 1 || a.length < (long) m * k) {
			throw new IllegalArgumentException("need m >= k >= 1 and m * k values, got " + m + " x " + k);
		}
		double[][] rows = new double[m][];
		for (int i = 0; i < m; i++) {
			rows[i] = Arrays.copyOfRange(a, i * k, (i + 1) * k);
		}
		double[] rdiag = thinQ(rows, k);
		for (int i = 0; i < m; i++) {
			System.arraycopy(rows[i], 0, a, i * k, k);
		}
		return rdiag;
	}

	/**
	 * Replaces the matrix whose rows are {@code rows} (each of length {@code k}) by the
	 * thin Q of its QR factorization, and returns the diagonal of R.
	 */
	double[] thinQ(double[][] rows, int k) {
		int m = rows.length;
		int nb = (k >= this.widePanelsFrom) ? WIDE_PANEL : PANEL;
		int count = (k + nb - 1) / nb;
		Panel[] panels = new Panel[count];
		double[] rdiag = new double[k];
		double[][] w = new double[Math.min(nb, k)][k];
		double[][] u = new double[Math.min(nb, k)][k];
		panels[0] = factor(rows, 0, nb, k, rdiag);
		for (int b = 0; b + 1 < count; b++) {
			int next = (b + 1) * nb;
			int nextEnd = Math.min(k, next + nb);
			int following = b + 1;
			Block block = new Block(rows, b * nb, next, panels[b].v, panels[b].t, nb, !this.faulty, w, u);
			// look-ahead: the caller updates the next panel's columns and factors them
			// while
			// the other threads update the rest
			apply(block, nextEnd, () -> {
				updateTile(block, next, nextEnd);
				panels[following] = factor(rows, following * nb, nb, k, rdiag);
			});
		}
		for (int i = 0; i < m; i++) {
			Arrays.fill(rows[i], 0.0);
			if (i < k) {
				rows[i][i] = 1.0;
			}
		}
		for (int b = count - 1; b >= 0; b--) {
			int j0 = b * nb;
			apply(new Block(rows, j0, j0, panels[b].v, panels[b].t, Math.min(nb, k - j0), false, w, u), j0, null);
		}
		return rdiag;
	}

	/** A panel's reflectors V (row-major, {@code (m - j0) x pc}) and their T. */
	private record Panel(double[] v, double[] t) {
	}

	/**
	 * Factors the panel of columns {@code [j0, j0 + pc)}, {@code pc = min(nb, k - j0)},
	 * rows {@code [j0, m)}, which all earlier panels have updated; writes its part of R's
	 * diagonal.
	 */
	private static Panel factor(double[][] rows, int j0, int nb, int k, double[] rdiag) {
		int pc = Math.min(nb, k - j0);
		int mr = rows.length - j0;
		double[][] p = new double[pc][mr];
		for (int r = 0; r < mr; r++) {
			double[] row = rows[j0 + r];
			for (int c = 0; c < pc; c++) {
				p[c][r] = row[j0 + c];
			}
		}
		double[] tau = new double[pc];
		factorPanel(p, mr, pc, tau, rdiag, j0);
		return new Panel(reflectorsByRow(p, mr, pc), triangularFactor(p, mr, pc, tau));
	}

	/**
	 * Householder QR of the panel whose columns are {@code p} ({@code pc} columns of
	 * {@code mr}) in place: R on and above the diagonal, the reflectors' tails below it.
	 */
	private static void factorPanel(double[][] p, int mr, int pc, double[] tau, double[] rdiag, int j0) {
		for (int c = 0; c < pc; c++) {
			double[] col = p[c];
			double alpha = col[c];
			double xnorm2 = dot(col, col, c + 1, mr);
			double t;
			double beta;
			if (xnorm2 == 0) {
				t = 0;
				beta = alpha;
			}
			else {
				beta = -Math.copySign(Math.sqrt(alpha * alpha + xnorm2), alpha);
				t = (beta - alpha) / beta;
				double scale = 1 / (alpha - beta);
				for (int r = c + 1; r < mr; r++) {
					col[r] *= scale;
				}
			}
			col[c] = beta;
			tau[c] = t;
			rdiag[j0 + c] = beta;
			for (int d = c + 1; d < pc; d++) {
				double[] other = p[d];
				double s = t * (other[c] + dot(col, other, c + 1, mr));
				other[c] -= s;
				for (int r = c + 1; r < mr; r++) {
					other[r] = other[r] - s * col[r];
				}
			}
		}
	}

	/** V row-major ({@code mr x pc}): unit diagonal, zero above it. */
	private static double[] reflectorsByRow(double[][] p, int mr, int pc) {
		double[] v = new double[mr * pc];
		for (int r = 0; r < mr; r++) {
			for (int c = 0; c < pc; c++) {
				v[r * pc + c] = (r < c) ? 0.0 : (r == c) ? 1.0 : p[c][r];
			}
		}
		return v;
	}

	/**
	 * The upper triangular T ({@code pc x pc}, row-major) of
	 * {@code H_1 ... H_pc = I - V T V^T}, as {@code dlarft} (forward, columnwise).
	 */
	private static double[] triangularFactor(double[][] p, int mr, int pc, double[] tau) {
		double[] t = new double[pc * pc];
		double[] z = new double[pc];
		for (int c = 0; c < pc; c++) {
			t[c * pc + c] = tau[c];
			// z_i = V[:, i] . v_c over rows >= c, where v_c[c] = 1
			for (int i = 0; i < c; i++) {
				z[i] = p[i][c] + dot(p[i], p[c], c + 1, mr);
			}
			for (int i = 0; i < c; i++) {
				double s = 0;
				for (int l = i; l < c; l++) {
					s += t[i * pc + l] * z[l];
				}
				t[i * pc + c] = -tau[c] * s;
			}
		}
		return t;
	}

	/**
	 * A block reflector applied to {@code X = rows[j0:m][c0:k]}: {@code X -= V op(T) V^T
	 * X}, {@code op(T) = T^T} when {@code transposed} (factorization, {@code H^T}
	 * applied), {@code T} otherwise (forming Q); {@code w} and {@code u} are scratch rows
	 * ({@code pc} of length {@code k}), each tile using its own columns.
	 */
	private record Block(double[][] rows, int j0, int c0, double[] v, double[] t, int pc, boolean transposed,
			double[][] w, double[][] u) implements Update {

		@Override
		public long work() {
			return (long) (this.rows.length - this.j0) * (this.rows[0].length - this.c0) * this.pc;
		}

		@Override
		public int columns() {
			return this.rows[0].length;
		}

		@Override
		public int maxTile() {
			return MAX_TILE;
		}

		@Override
		public void update(int from, int to) {
			updateTile(this, from, to);
		}

	}

	/**
	 * A block update, in either precision: the work of the whole update (multiply-adds),
	 * the columns of its matrix, and the update of the columns {@code [from, to)}.
	 */
	private interface Update {

		long work();

		int columns();

		/** Columns per tile, at most. */
		int maxTile();

		void update(int from, int to);

	}

	/**
	 * Applies {@code block} to columns {@code [from, k)} in tiles, and runs {@code first}
	 * (if any) on the calling thread meanwhile; {@code first} touches other columns.
	 */
	private void apply(Update block, int from, Runnable first) {
		int k = block.columns();
		int nc = k - from;
		if (this.threads == 1 || block.work() < PARALLEL_WORK) {
			if (first != null) {
				first.run();
			}
			for (int c = from; c < k; c += block.maxTile()) {
				block.update(c, Math.min(k, c + block.maxTile()));
			}
			return;
		}
		// two tiles per thread or more, for balance; the width only changes the speed
		int width = (nc + 2 * this.threads - 1) / (2 * this.threads);
		int tile = Math.max(MIN_TILE, Math.min(block.maxTile(), (width + 7) / 8 * 8));
		int tiles = (nc + tile - 1) / tile;
		runTiles(tiles, (t) -> {
			int c = from + t * tile;
			block.update(c, Math.min(k, c + tile));
		}, first);
	}

	@FunctionalInterface
	private interface TileTask {

		void run(int tile);

	}

	/**
	 * Runs tiles {@code [0, tiles)} on the caller (after {@code first}, if any) and up to
	 * {@code threads - 1} helpers; which thread takes which tile does not matter.
	 */
	private void runTiles(int tiles, TileTask task, Runnable first) {
		AtomicInteger next = new AtomicInteger();
		CountDownLatch done = new CountDownLatch(tiles);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		Runnable worker = () -> {
			for (int tile = next.getAndIncrement(); tile < tiles; tile = next.getAndIncrement()) {
				try {
					task.run(tile);
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
				finally {
					done.countDown();
				}
			}
		};
		int helpers = Math.min(this.threads - 1, tiles);
		for (int h = 0; h < helpers; h++) {
			this.executor.execute(worker);
		}
		try {
			if (first != null) {
				first.run();
			}
		}
		finally {
			worker.run();
			try {
				done.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted while forming an orthogonal matrix", ex);
			}
		}
		Throwable ex = failure.get();
		if (ex instanceof RuntimeException re) {
			throw re;
		}
		if (ex instanceof Error err) {
			throw err;
		}
		if (ex != null) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One tile of columns {@code [from, to)}, rows {@code [j0, m)}: {@code W = V^T X},
	 * {@code U = op(T) W}, {@code X -= V U}; each sum in ascending order of its index.
	 * Every loop indexes all its arrays by the same column, which the JIT vectorizes.
	 */
	static void updateTile(Block block, int from, int to) {
		double[][] rows = block.rows;
		int j0 = block.j0;
		int pc = block.pc;
		double[] v = block.v;
		double[] t = block.t;
		int mr = rows.length - j0;
		double[][] w = block.w;
		double[][] u = block.u;
		for (int p = 0; p < pc; p++) {
			Arrays.fill(w[p], from, to, 0.0);
			Arrays.fill(u[p], from, to, 0.0);
		}
		int i = 0;
		for (; i + GROUP <= mr; i += GROUP) {
			int v0 = i * pc;
			for (int p = 0; p < pc; p++) {
				multiplyAdd6(w[p], rows, j0 + i, v, v0 + p, pc, from, to);
			}
		}
		for (; i < mr; i++) {
			double[] x0 = rows[j0 + i];
			int v0 = i * pc;
			for (int p = 0; p < pc; p++) {
				multiplyAdd(w[p], x0, v[v0 + p], from, to);
			}
		}
		for (int p = 0; p < pc; p++) {
			int lo = block.transposed ? 0 : p;
			int hi = block.transposed ? p : pc - 1;
			for (int q = lo; q <= hi; q++) {
				multiplyAdd(u[p], w[q], block.transposed ? t[q * pc + p] : t[p * pc + q], from, to);
			}
		}
		for (i = 0; i < mr; i++) {
			double[] x = rows[j0 + i];
			int v0 = i * pc;
			int p = 0;
			for (; p + GROUP <= pc; p += GROUP) {
				multiplySubtract6(x, u, p, v, v0 + p, from, to);
			}
			for (; p < pc; p++) {
				multiplyAdd(x, u[p], -v[v0 + p], from, to);
			}
		}
	}

	/** {@code y = fma(s, x, y)} on {@code [from, to)}. */
	private static void multiplyAdd(double[] y, double[] x, double s, int from, int to) {
		for (int c = from; c < to; c++) {
			y[c] = Math.fma(s, x[c], y[c]);
		}
	}

	/**
	 * {@code y += s_0 x_0 + ... + s_5 x_5} on {@code [from, to)}, one fused multiply-add
	 * after the other in ascending order, with {@code x_r = xs[xi + r]} and
	 * {@code s_r = s[si + r * stride]}.
	 */
	private static void multiplyAdd6(double[] y, double[][] xs, int xi, double[] s, int si, int stride, int from,
			int to) {
		double[] x0 = xs[xi];
		double[] x1 = xs[xi + 1];
		double[] x2 = xs[xi + 2];
		double[] x3 = xs[xi + 3];
		double[] x4 = xs[xi + 4];
		double[] x5 = xs[xi + 5];
		double s0 = s[si];
		double s1 = s[si + stride];
		double s2 = s[si + 2 * stride];
		double s3 = s[si + 3 * stride];
		double s4 = s[si + 4 * stride];
		double s5 = s[si + 5 * stride];
		for (int c = from; c < to; c++) {
			y[c] = Math.fma(s5, x5[c], Math.fma(s4, x4[c],
					Math.fma(s3, x3[c], Math.fma(s2, x2[c], Math.fma(s1, x1[c], Math.fma(s0, x0[c], y[c]))))));
		}
	}

	/**
	 * {@code y -= s_0 x_0 + ... + s_5 x_5} on {@code [from, to)}, one fused multiply-add
	 * of {@code -s_r} after the other in ascending order, with {@code x_r = xs[xi + r]}
	 * and {@code s_r = s[si + r]}.
	 */
	private static void multiplySubtract6(double[] y, double[][] xs, int xi, double[] s, int si, int from, int to) {
		double[] x0 = xs[xi];
		double[] x1 = xs[xi + 1];
		double[] x2 = xs[xi + 2];
		double[] x3 = xs[xi + 3];
		double[] x4 = xs[xi + 4];
		double[] x5 = xs[xi + 5];
		double s0 = -s[si];
		double s1 = -s[si + 1];
		double s2 = -s[si + 2];
		double s3 = -s[si + 3];
		double s4 = -s[si + 4];
		double s5 = -s[si + 5];
		for (int c = from; c < to; c++) {
			y[c] = Math.fma(s5, x5[c], Math.fma(s4, x4[c],
					Math.fma(s3, x3[c], Math.fma(s2, x2[c], Math.fma(s1, x1[c], Math.fma(s0, x0[c], y[c]))))));
		}
	}

	/**
	 * {@code sum x_i y_i} over {@code [from, to)}: four partial sums ({@code i - from}
	 * mod 4) combined as {@code (s0 + s1) + (s2 + s3)}, a fixed order.
	 */
	private static double dot(double[] x, double[] y, int from, int to) {
		double s0 = 0;
		double s1 = 0;
		double s2 = 0;
		double s3 = 0;
		int i = from;
		for (; i + 4 <= to; i += 4) {
			s0 += x[i] * y[i];
			s1 += x[i + 1] * y[i + 1];
			s2 += x[i + 2] * y[i + 2];
			s3 += x[i + 3] * y[i + 3];
		}
		for (; i < to; i++) {
			s0 += x[i] * y[i];
		}
		return (s0 + s1) + (s2 + s3);
	}

	// Single precision: the same algorithm, operation order and threading on float
	// arrays, for tensors of 32 bits or fewer (as PyTorch's sgeqrf/sorgqr for float32).

	/**
	 * As {@link #thinQ(double[][], int)}, in single precision: every element of the
	 * matrix, V and T is a float, and every multiply-add of the block updates is a float
	 * {@code Math.fma} (rounded once to float), twice the vector width of doubles. Each
	 * panel (serial work, scalar dot products either way) is factored in double from its
	 * float values and its V and T rounded to float. Returns the diagonal of R.
	 */
	double[] thinQ(float[][] rows, int k) {
		int m = rows.length;
		int nb = (k >= this.widePanelsFrom) ? WIDE_PANEL : PANEL;
		int count = (k + nb - 1) / nb;
		FloatPanel[] panels = new FloatPanel[count];
		double[] rdiag = new double[k];
		float[][] w = new float[Math.min(nb, k)][k];
		float[][] u = new float[Math.min(nb, k)][k];
		panels[0] = factor(rows, 0, nb, k, rdiag);
		for (int b = 0; b + 1 < count; b++) {
			int next = (b + 1) * nb;
			int nextEnd = Math.min(k, next + nb);
			int following = b + 1;
			FloatBlock block = new FloatBlock(rows, b * nb, next, panels[b].v, panels[b].t, nb, !this.faulty, w, u,
					this.vector);
			// the look-ahead updates at least AHEAD columns: a float loop over a
			// 32-column
			// panel is too short for C2's vector loop
			int aheadEnd = Math.min(k, next + Math.max(nb, AHEAD));
			apply(block, aheadEnd, () -> {
				updateTile(block, next, aheadEnd);
				panels[following] = factor(rows, following * nb, nb, k, rdiag);
			});
		}
		for (int i = 0; i < m; i++) {
			Arrays.fill(rows[i], 0.0f);
			if (i < k) {
				rows[i][i] = 1.0f;
			}
		}
		for (int b = count - 1; b >= 0; b--) {
			int j0 = b * nb;
			apply(new FloatBlock(rows, j0, j0, panels[b].v, panels[b].t, Math.min(nb, k - j0), false, w, u,
					this.vector), j0, null);
		}
		return rdiag;
	}

	/**
	 * A panel's reflectors V (row-major, {@code (m - j0) x pc}) and their T, as floats.
	 */
	private record FloatPanel(float[] v, float[] t) {
	}

	/**
	 * Factors the panel as the double path does ({@code factorPanel},
	 * {@code triangularFactor}: the same code, on the panel's float values widened to
	 * double), then rounds V and T to float for the block updates. The panel is serial
	 * work on the critical path; in double its dot products need no conversions (a third
	 * faster than float values accumulated in double) and are exact to double rounding.
	 */
	private static FloatPanel factor(float[][] rows, int j0, int nb, int k, double[] rdiag) {
		int pc = Math.min(nb, k - j0);
		int mr = rows.length - j0;
		double[][] p = new double[pc][mr];
		for (int r = 0; r < mr; r++) {
			float[] row = rows[j0 + r];
			for (int c = 0; c < pc; c++) {
				p[c][r] = row[j0 + c];
			}
		}
		double[] tau = new double[pc];
		factorPanel(p, mr, pc, tau, rdiag, j0);
		double[] t = triangularFactor(p, mr, pc, tau);
		float[] v = new float[mr * pc];
		for (int r = 0; r < mr; r++) {
			for (int c = 0; c < pc; c++) {
				v[r * pc + c] = (r < c) ? 0.0f : (r == c) ? 1.0f : (float) p[c][r];
			}
		}
		float[] tf = new float[t.length];
		for (int i = 0; i < t.length; i++) {
			tf[i] = (float) t[i];
		}
		return new FloatPanel(v, tf);
	}

	/** As {@link Block}, on floats. */
	private record FloatBlock(float[][] rows, int j0, int c0, float[] v, float[] t, int pc, boolean transposed,
			float[][] w, float[][] u, boolean vector) implements Update {

		@Override
		public long work() {
			return (long) (this.rows.length - this.j0) * (this.rows[0].length - this.c0) * this.pc;
		}

		@Override
		public int columns() {
			return this.rows[0].length;
		}

		/**
		 * Twice {@link #MAX_TILE}: the same bytes of scratch per row as the doubles'; at
		 * 4096 x 4096 with two threads (tiles of 512 floats instead of 256) about 10%
		 * less time. Any width gives the same bits.
		 */
		@Override
		public int maxTile() {
			return 2 * MAX_TILE;
		}

		@Override
		public void update(int from, int to) {
			updateTile(this, from, to);
		}

	}

	/**
	 * As the double {@code updateTile}, with float fma. With {@link FloatBlock#vector}
	 * the columns {@code [from, mid)} that fill whole {@link FloatTileKernel#CHUNK}s take
	 * {@link FloatTileKernel} and the rest the scalar loops: the same fma chain per
	 * element either way, so the same bits.
	 */
	static void updateTile(FloatBlock block, int from, int to) {
		int pc = block.pc;
		float[] t = block.t;
		float[][] w = block.w;
		float[][] u = block.u;
		int mid = block.vector ? from + (to - from) / FloatTileKernel.CHUNK * FloatTileKernel.CHUNK : from;
		for (int p = 0; p < pc; p++) {
			Arrays.fill(w[p], from, to, 0.0f);
			Arrays.fill(u[p], from, to, 0.0f);
		}
		int mr = block.rows.length - block.j0;
		if (mid > from) {
			FloatTileKernel.multiplyAddRows(w, block.rows, block.j0, mr, block.v, pc, from, mid);
		}
		multiplyAddRows(block, mid, to);
		for (int p = 0; p < pc; p++) {
			int lo = block.transposed ? 0 : p;
			int hi = block.transposed ? p : pc - 1;
			for (int q = lo; q <= hi; q++) {
				multiplyAdd(u[p], w[q], block.transposed ? t[q * pc + p] : t[p * pc + q], from, to);
			}
		}
		if (mid > from) {
			// the kernel takes -U: fma(v, -u, x) and fma(-v, u, x) are the same exact
			// product rounded once, so the same bits
			for (int p = 0; p < pc; p++) {
				float[] up = u[p];
				for (int c = from; c < mid; c++) {
					up[c] = -up[c];
				}
			}
			FloatTileKernel.subtractRows(block.rows, block.j0, mr, u, block.v, pc, from, mid);
		}
		subtractRows(block, mid, to);
	}

	/** {@code W = V^T X} on {@code [from, to)}, six rows per pass. */
	private static void multiplyAddRows(FloatBlock block, int from, int to) {
		float[][] rows = block.rows;
		int j0 = block.j0;
		int pc = block.pc;
		float[] v = block.v;
		int mr = rows.length - j0;
		float[][] w = block.w;
		int i = 0;
		for (; i + GROUP <= mr; i += GROUP) {
			int v0 = i * pc;
			for (int p = 0; p < pc; p++) {
				multiplyAdd6(w[p], rows, j0 + i, v, v0 + p, pc, from, to);
			}
		}
		for (; i < mr; i++) {
			float[] x0 = rows[j0 + i];
			int v0 = i * pc;
			for (int p = 0; p < pc; p++) {
				multiplyAdd(w[p], x0, v[v0 + p], from, to);
			}
		}
	}

	/** {@code X -= V U} on {@code [from, to)}, six reflectors per pass. */
	private static void subtractRows(FloatBlock block, int from, int to) {
		float[][] rows = block.rows;
		int j0 = block.j0;
		int pc = block.pc;
		float[] v = block.v;
		int mr = rows.length - j0;
		float[][] u = block.u;
		for (int i = 0; i < mr; i++) {
			float[] x = rows[j0 + i];
			int v0 = i * pc;
			int p = 0;
			for (; p + GROUP <= pc; p += GROUP) {
				multiplySubtract6(x, u, p, v, v0 + p, from, to);
			}
			for (; p < pc; p++) {
				multiplyAdd(x, u[p], -v[v0 + p], from, to);
			}
		}
	}

	/** {@code y = fma(s, x, y)} on {@code [from, to)}, in float. */
	private static void multiplyAdd(float[] y, float[] x, float s, int from, int to) {
		for (int c = from; c < to; c++) {
			y[c] = Math.fma(s, x[c], y[c]);
		}
	}

	/** As the double {@code multiplyAdd6}, in float. */
	private static void multiplyAdd6(float[] y, float[][] xs, int xi, float[] s, int si, int stride, int from, int to) {
		float[] x0 = xs[xi];
		float[] x1 = xs[xi + 1];
		float[] x2 = xs[xi + 2];
		float[] x3 = xs[xi + 3];
		float[] x4 = xs[xi + 4];
		float[] x5 = xs[xi + 5];
		float s0 = s[si];
		float s1 = s[si + stride];
		float s2 = s[si + 2 * stride];
		float s3 = s[si + 3 * stride];
		float s4 = s[si + 4 * stride];
		float s5 = s[si + 5 * stride];
		for (int c = from; c < to; c++) {
			y[c] = Math.fma(s5, x5[c], Math.fma(s4, x4[c],
					Math.fma(s3, x3[c], Math.fma(s2, x2[c], Math.fma(s1, x1[c], Math.fma(s0, x0[c], y[c]))))));
		}
	}

	/** As the double {@code multiplySubtract6}, in float. */
	private static void multiplySubtract6(float[] y, float[][] xs, int xi, float[] s, int si, int from, int to) {
		float[] x0 = xs[xi];
		float[] x1 = xs[xi + 1];
		float[] x2 = xs[xi + 2];
		float[] x3 = xs[xi + 3];
		float[] x4 = xs[xi + 4];
		float[] x5 = xs[xi + 5];
		float s0 = -s[si];
		float s1 = -s[si + 1];
		float s2 = -s[si + 2];
		float s3 = -s[si + 3];
		float s4 = -s[si + 4];
		float s5 = -s[si + 5];
		for (int c = from; c < to; c++) {
			y[c] = Math.fma(s5, x5[c], Math.fma(s4, x4[c],
					Math.fma(s3, x3[c], Math.fma(s2, x2[c], Math.fma(s1, x1[c], Math.fma(s0, x0[c], y[c]))))));
		}
	}

}
