package dev.initlab.rng;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.core.source64.L64X128Mix;
import org.apache.commons.rng.core.source64.SplitMix64;
import org.apache.commons.rng.core.source64.XoShiRo256PlusPlus;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * A Commons RNG generator; normals from Commons RNG's ziggurat sampler. Uniform fills
 * take one 53-bit double per element of a 64-bit output; in the view for narrow dtypes
 * ({@link #forNarrowDType}), two 24-bit uniforms per 64-bit output {@code x}: first
 * {@code (x >>> 40) * 2^-24}, then {@code ((x >>> 16) & 0xFFFFFF) * 2^-24}. A fill of an
 * odd length leaves the second half of its last output unused, so every fill starts on a
 * fresh output.
 */
final class CommonsRngStream implements RandomStream {

	private static final VarHandle FLOATS = MethodHandles.byteArrayViewVarHandle(float[].class,
			ByteOrder.LITTLE_ENDIAN);

	/**
	 * The exponent of 1.0: a 52-bit fraction {@code f} under it is {@code 1 + f/2^52}.
	 */
	private static final long ONE = 0x3FF0000000000000L;

	/** Bits 28 to 51: the top 24 bits of a double's fraction. */
	private static final long TOP24 = 0xFFFFFFL << 28;

	/**
	 * The exponent of {@code 2^52}: a fraction {@code k} under it is {@code 2^52 + k}.
	 */
	private static final long TWO52 = 0x4330000000000000L;

	/**
	 * The exponent of {@code 2^68}: a fraction {@code f} under it is
	 * {@code 2^68 + f * 2^16}.
	 */
	private static final long TWO68 = 0x4430000000000000L;

	/** Bits 16 to 39: an output's second 24-bit uniform, in place. */
	private static final long SECOND24 = 0xFFFFFFL << 16;

	/**
	 * Whether {@code Math.fma} is an instruction in this JVM (HotSpot's {@code UseFMA});
	 * {@link #first} and {@link #second} give the same values either way.
	 */
	static final boolean HARDWARE_FMA = hardwareFma();

	private final UniformRandomProvider provider;

	private final ZigguratSampler.NormalizedGaussian gaussian;

	private final ModifiedZiggurat.Lookahead ziggurat;

	/** Whether uniform fills draw 24-bit uniforms, two per output. */
	private final boolean narrow;

	private CommonsRngStream narrowView;

	CommonsRngStream(UniformRandomProvider provider) {
		this(provider, 1.0);
	}

	/**
	 * With the tail's exponentials of mean {@code tailMean} in bulk normals: 1, anything
	 * else is a deliberate fault, for a test to catch.
	 */
	CommonsRngStream(UniformRandomProvider provider, double tailMean) {
		this(provider, ZigguratSampler.NormalizedGaussian.of(provider),
				new ModifiedZiggurat.Lookahead(provider, tailMean), false);
	}

	private CommonsRngStream(UniformRandomProvider provider, ZigguratSampler.NormalizedGaussian gaussian,
			ModifiedZiggurat.Lookahead ziggurat, boolean narrow) {
		this.provider = provider;
		this.gaussian = gaussian;
		this.ziggurat = ziggurat;
		this.narrow = narrow;
	}

	/** The same provider and normal samplers, drawing 24-bit uniforms. */
	@Override
	public RandomStream forNarrowDType() {
		if (this.narrow) {
			return this;
		}
		if (this.narrowView == null) {
			this.narrowView = new CommonsRngStream(this.provider, this.gaussian, this.ziggurat, true);
		}
		return this.narrowView;
	}

	@Override
	public double nextDouble() {
		return this.provider.nextDouble();
	}

	@Override
	public double nextGaussian() {
		return this.gaussian.sample();
	}

	@Override
	public int nextInt(int n) {
		return this.provider.nextInt(n);
	}

	/**
	 * The sampler's normals, with one loop per generator class (as {@link #fillUniform})
	 * that takes the ziggurat's fast path itself (98.8% of draws: one {@code nextLong()},
	 * a table lookup, a multiply), four draws at a time (a loop with a call in it is not
	 * unrolled), and hands the rest to {@link ModifiedZiggurat#edge}: the same values as
	 * {@code sample()}, bit for bit, and the generator left in the same state.
	 */
	@Override
	public void fillGaussian(double[] out, int off, int len) {
		UniformRandomProvider p = this.provider;
		ModifiedZiggurat.Lookahead z = this.ziggurat;
		int end = off + len;
		if (p.getClass() == XoShiRo256PlusPlus.class) {
			XoShiRo256PlusPlus g = (XoShiRo256PlusPlus) p;
			int i = off;
			while (i <= end - 4) {
				i = z.four(g.nextLong(), g.nextLong(), g.nextLong(), g.nextLong(), out, i);
			}
			while (i < end) {
				out[i++] = z.one(g.nextLong());
			}
		}
		else if (p.getClass() == L64X128Mix.class) {
			L64X128Mix g = (L64X128Mix) p;
			int i = off;
			while (i <= end - 4) {
				i = z.four(g.nextLong(), g.nextLong(), g.nextLong(), g.nextLong(), out, i);
			}
			while (i < end) {
				out[i++] = z.one(g.nextLong());
			}
		}
		else if (p.getClass() == SplitMix64.class) {
			SplitMix64 g = (SplitMix64) p;
			int i = off;
			while (i <= end - 4) {
				i = z.four(g.nextLong(), g.nextLong(), g.nextLong(), g.nextLong(), out, i);
			}
			while (i < end) {
				out[i++] = z.one(g.nextLong());
			}
		}
		else {
			ZigguratSampler.NormalizedGaussian s = this.gaussian;
			for (int i = off; i < end; i++) {
				out[i] = s.sample();
			}
		}
	}

	/**
	 * The provider's {@code nextDouble()}s, with one loop per generator class: the call
	 * to {@code nextLong()} is then bound statically and inlined, where a loop over the
	 * interface turns megamorphic (a call per element) once a server has used three
	 * generators.
	 */
	@Override
	public void fillUniform(double[] out, int off, int len) {
		if (this.narrow) {
			fillUniform24(out, off, len);
			return;
		}
		UniformRandomProvider p = this.provider;
		int end = off + len;
		if (p.getClass() == XoShiRo256PlusPlus.class) {
			XoShiRo256PlusPlus g = (XoShiRo256PlusPlus) p;
			for (int i = off; i < end; i++) {
				out[i] = unit(g.nextLong());
			}
		}
		else if (p.getClass() == L64X128Mix.class) {
			L64X128Mix g = (L64X128Mix) p;
			for (int i = off; i < end; i++) {
				out[i] = unit(g.nextLong());
			}
		}
		else if (p.getClass() == SplitMix64.class) {
			SplitMix64 g = (SplitMix64) p;
			for (int i = off; i < end; i++) {
				out[i] = unit(g.nextLong());
			}
		}
		else {
			for (int i = off; i < end; i++) {
				out[i] = p.nextDouble();
			}
		}
	}

	/**
	 * 24-bit uniforms, two per {@code nextLong()} ({@link #high}, then {@link #low}),
	 * with one loop per generator class as {@link #fillUniform}.
	 */
	private void fillUniform24(double[] out, int off, int len) {
		UniformRandomProvider p = this.provider;
		int pairs = off + (len & ~1);
		int i = off;
		if (p.getClass() == XoShiRo256PlusPlus.class) {
			XoShiRo256PlusPlus g = (XoShiRo256PlusPlus) p;
			for (; i < pairs; i += 2) {
				long x = g.nextLong();
				out[i] = high(x);
				out[i + 1] = low(x);
			}
		}
		else if (p.getClass() == L64X128Mix.class) {
			L64X128Mix g = (L64X128Mix) p;
			for (; i < pairs; i += 2) {
				long x = g.nextLong();
				out[i] = high(x);
				out[i + 1] = low(x);
			}
		}
		else if (p.getClass() == SplitMix64.class) {
			SplitMix64 g = (SplitMix64) p;
			for (; i < pairs; i += 2) {
				long x = g.nextLong();
				out[i] = high(x);
				out[i + 1] = low(x);
			}
		}
		else {
			for (; i < pairs; i += 2) {
				long x = p.nextLong();
				out[i] = high(x);
				out[i + 1] = low(x);
			}
		}
		if ((len & 1) != 0) {
			out[i] = high(p.nextLong());
		}
	}

	/**
	 * In the narrow view: the float32 bytes of {@link #fillUniform} mapped by
	 * {@code shift + scale * u} and rounded, without the array of doubles between them,
	 * one loop per generator class; each value computed as {@link #first} and
	 * {@link #second} do, which needs a {@code scale} that is positive and neither tiny
	 * nor huge ({@link #exactMap}; otherwise {@code false}: the caller takes the general
	 * path).
	 */
	@Override
	public boolean encodeUniformFloat32(double shift, double scale, byte[] out, int len) {
		if (!this.narrow || !exactMap(shift, scale)) {
			return false;
		}
		UniformRandomProvider p = this.provider;
		int pairs = len & ~1;
		int i = 0;
		if (p.getClass() == XoShiRo256PlusPlus.class) {
			XoShiRo256PlusPlus g = (XoShiRo256PlusPlus) p;
			for (; i < pairs; i += 2) {
				pair(g.nextLong(), shift, scale, out, i << 2);
			}
		}
		else if (p.getClass() == L64X128Mix.class) {
			L64X128Mix g = (L64X128Mix) p;
			for (; i < pairs; i += 2) {
				pair(g.nextLong(), shift, scale, out, i << 2);
			}
		}
		else if (p.getClass() == SplitMix64.class) {
			SplitMix64 g = (SplitMix64) p;
			for (; i < pairs; i += 2) {
				pair(g.nextLong(), shift, scale, out, i << 2);
			}
		}
		else {
			for (; i < pairs; i += 2) {
				pair(p.nextLong(), shift, scale, out, i << 2);
			}
		}
		if ((len & 1) != 0) {
			FLOATS.set(out, i << 2, (float) first(p.nextLong(), shift, scale, HARDWARE_FMA));
		}
		return true;
	}

	/**
	 * Both mapped uniforms of output {@code x}, as float32 at {@code out[at...at + 8)}.
	 * Everything computed from {@code scale} alone is the same in every iteration of a
	 * loop, and the JIT computes it once, before the loop.
	 */
	private static void pair(long x, double shift, double scale, byte[] out, int at) {
		FLOATS.set(out, at, (float) first(x, shift, scale, HARDWARE_FMA));
		FLOATS.set(out, at + 4, (float) second(x, shift, scale, HARDWARE_FMA));
	}

	/**
	 * Whether {@link #first} and {@link #second} are exact for these parameters:
	 * {@code 2^-966 <= scale < 2^996}, so that {@code scale * 2^-56} is normal (checked
	 * on {@code scale} itself: a product just below the normal range may round up into
	 * it) and {@code scale * 2^28} finite; {@code shift} finite.
	 */
	static boolean exactMap(double shift, double scale) {
		return scale >= 0x1.0p-966 && scale < 0x1.0p996 && Double.isFinite(shift);
	}

	/**
	 * {@code shift + scale * high(x)} in double, bit for bit, in fewer operations: the
	 * 24-bit integer {@code k = x >>> 40} is placed under the exponent of {@code 2^52}
	 * ({@code 2^52 + k}, exact); with {@code m = scale * 2^-24} and {@code c = m * 2^52},
	 * both exact where {@link #exactMap} holds, {@code fma(m, 2^52 + k, -c)} is the exact
	 * {@code scale * k / 2^24} rounded once: {@code scale * high(x)} as the general path
	 * rounds it. Without {@code fma} (a CPU without fused multiply-add, where
	 * {@code Math.fma} runs in software, slowly): {@code m * ((2^52 + k) - 2^52)}, the
	 * subtraction exact, so the same product. The sum with {@code shift} is the general
	 * path's. With {@code scale > 0} a zero {@code k} gives {@code +0.0} in both.
	 */
	static double first(long x, double shift, double scale, boolean fma) {
		double k = Double.longBitsToDouble(TWO52 | (x >>> 40));
		double m = scale * 0x1.0p-24;
		return shift + (fma ? Math.fma(m, k, -(scale * 0x1.0p28)) : m * (k - 0x1.0p52));
	}

	/**
	 * {@code shift + scale * low(x)}, as {@link #first}, with the integer {@code k} left
	 * in place (bits 16 to 39) under the exponent of {@code 2^68}:
	 * {@code 2^68 + k * 2^32}, and {@code m = scale * 2^-56}, {@code c = m * 2^68}.
	 */
	static double second(long x, double shift, double scale, boolean fma) {
		double k = Double.longBitsToDouble(TWO68 | (x & SECOND24));
		double m = scale * 0x1.0p-56;
		return shift + (fma ? Math.fma(m, k, -(scale * 0x1.0p12)) : m * (k - 0x1.0p68));
	}

	private static boolean hardwareFma() {
		try {
			return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
				.getVMOption("UseFMA")
				.getValue());
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	/**
	 * {@code (x >>> 40) * 0x1.0p-24}, the first 24-bit uniform of an output: its bits
	 * placed at the top of a double's fraction under the exponent of 1.0, minus 1
	 * (exact), which avoids a long-to-double conversion as {@link #unit} does.
	 */
	static double high(long x) {
		return Double.longBitsToDouble(ONE | ((x >>> 12) & TOP24)) - 1.0;
	}

	/** {@code ((x >>> 16) & 0xFFFFFF) * 0x1.0p-24}, the second, as {@link #high}. */
	static double low(long x) {
		return Double.longBitsToDouble(ONE | ((x << 12) & TOP24)) - 1.0;
	}

	/**
	 * {@code (bits >>> 11) * 0x1.0p-53}, Commons RNG's {@code nextDouble()} of a
	 * {@code nextLong()} (the default method of {@code UniformRandomProvider}, which none
	 * of the three generators overrides), without converting a long to a double: on JDK
	 * 17 that conversion ({@code cvtsi2sd}) depends on its destination register's old
	 * value and serialises the loop. The top 52 of the 53 bits become the fraction of a
	 * double in [1, 2), minus 1 (exact, by Sterbenz's lemma); the 53rd bit adds
	 * {@code 2^-53} or 0 (exact: the sum is a multiple of {@code 2^-53} below 1).
	 */
	static double unit(long bits) {
		double high = Double.longBitsToDouble(0x3FF0000000000000L | (bits >>> 12)) - 1.0;
		return high + Double.longBitsToDouble(-((bits >>> 11) & 1L) & 0x3CA0000000000000L);
	}

}
