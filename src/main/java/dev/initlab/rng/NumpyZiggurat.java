package dev.initlab.rng;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * NumPy's 256-layer ziggurat for float64 standard normals, draw for draw:
 * {@code random_standard_normal} in numpy/random/src/distributions/distributions.c (NumPy
 * 2.4.6), the Marsaglia and Tsang (2000) method with NumPy's own bit layout.
 * <p>
 * One 64-bit output {@code r} gives the layer {@code idx = r & 0xff}, the sign (bit 8)
 * and a 52-bit magnitude {@code rabs} (bits 9..60); {@code x = rabs * wi[idx]} is
 * returned at once when {@code rabs < ki[idx]} (about 99.2% of draws). Otherwise layer 0
 * samples the tail beyond {@code r = 3.6541528853610087963519472518} (Marsaglia's
 * exponential method, with {@code log1p(-u)} and the sign taken from bit 8 of
 * {@code rabs}), and any other layer accepts {@code x} when
 * {@code (fi[idx-1] - fi[idx]) * u + fi[idx] < exp(-x * x / 2)}, else draws again.
 * <p>
 * The tables {@code ki_double}, {@code wi_double} and {@code fi_double} (of
 * numpy/random/src/distributions/ziggurat_constants.h) are loaded from the resource
 * {@code numpy-ziggurat-double.txt} beside this class, which
 * src/test/resources/reference/make_numpy_streams.py reads out of NumPy and checks
 * against {@code Generator.standard_normal}.
 * <p>
 * libm: the tail calls {@link StrictMath#log1p} (fdlibm; glibc's {@code log1p} agrees
 * with it in all but about 1 call in 1400, and the tail is reached once in about 3600
 * draws); the wedge test calls {@link StrictMath#exp} only to compare, which could only
 * flip when the uniform lands within an ulp of the curve.
 */
final class NumpyZiggurat {

	/** Where the tail starts: {@code ziggurat_nor_r}. */
	static final double R = 3.6541528853610087963519472518;

	/** {@code ziggurat_nor_inv_r}, the double nearest 1 / R. */
	static final double INV_R = 0.27366123732975827203338247596;

	private static final int LAYERS = 256;

	private static final long[] KI = new long[LAYERS];

	private static final double[] WI = new double[LAYERS];

	private static final double[] FI = new double[LAYERS];

	static {
		load("numpy-ziggurat-double.txt");
	}

	private NumpyZiggurat() {
	}

	/** The next standard normal from {@code pcg}, as NumPy's Generator draws it. */
	static double standardNormal(Pcg64 pcg) {
		long[] ki = KI;
		double[] wi = WI;
		double[] fi = FI;
		for (;;) {
			long r = pcg.nextLong();
			int idx = (int) (r & 0xff);
			r >>>= 8;
			long sign = r & 0x1;
			long rabs = (r >>> 1) & 0x000fffffffffffffL;
			double x = rabs * wi[idx];
			if (sign != 0) {
				x = -x;
			}
			if (rabs < ki[idx]) {
				return x;
			}
			if (idx == 0) {
				for (;;) {
					double xx = -INV_R * StrictMath.log1p(-pcg.nextDouble());
					double yy = -StrictMath.log1p(-pcg.nextDouble());
					if (yy + yy > xx * xx) {
						return (((rabs >>> 8) & 0x1) != 0) ? -(R + xx) : R + xx;
					}
				}
			}
			if ((fi[idx - 1] - fi[idx]) * pcg.nextDouble() + fi[idx] < StrictMath.exp(-0.5 * x * x)) {
				return x;
			}
		}
	}

	/**
	 * Reads the resource: comment lines ({@code #}), then each table's name followed by
	 * its 256 values as 16 hex digits of their bits.
	 */
	private static void load(String resource) {
		List<String> lines;
		try (InputStream in = NumpyZiggurat.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("Missing resource " + resource);
			}
			lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).lines()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String[] names = { "ki_double", "wi_double", "fi_double" };
		if (lines.size() != names.length * (LAYERS + 1)) {
			throw new IllegalStateException("Expected three tables of 256 values in " + resource);
		}
		for (int t = 0; t < names.length; t++) {
			int header = t * (LAYERS + 1);
			if (!lines.get(header).equals(names[t])) {
				throw new IllegalStateException("Expected " + names[t] + " in " + resource);
			}
			for (int i = 0; i < LAYERS; i++) {
				long bits = Long.parseUnsignedLong(lines.get(header + 1 + i), 16);
				switch (t) {
					case 0 -> KI[i] = bits;
					case 1 -> WI[i] = Double.longBitsToDouble(bits);
					default -> FI[i] = Double.longBitsToDouble(bits);
				}
			}
		}
	}

}
