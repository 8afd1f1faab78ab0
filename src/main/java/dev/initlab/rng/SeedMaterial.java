package dev.initlab.rng;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * 256 bits of seed material from which a generator is constructed.
 * <p>
 * Derivation rule (stable; changing it changes every response):
 * {@code SHA-256(UTF-8("initlab/v1/" + purpose) || int64_be(seed) || int64_be(index) || UTF-8(name))}.
 * The digest is read as four big-endian longs (or eight big-endian ints) in order.
 * Per-tensor streams use purpose {@code tensor}, the tensor's name and the block index; a
 * sequential stream uses purpose {@code sequential}, an empty name and index 0.
 */
public final class SeedMaterial {

	private static final SecureRandom SEEDS = new SecureRandom();

	private final byte[] digest;

	private SeedMaterial(byte[] digest) {
		this.digest = digest;
	}

	/**
	 * A random seed for a request that gives none (and is told the one used): 32 bits, so
	 * that every generator, NumPy's legacy seeding included, accepts it.
	 */
	public static long drawSeed() {
		return SEEDS.nextLong() >>> 32;
	}

	/** Seed material of block {@code block} of the tensor {@code name}. */
	public static SeedMaterial forTensorBlock(long seed, String name, long block) {
		return derive("tensor", seed, block, name);
	}

	/** Seed material of the single stream used by {@code seeding: sequential}. */
	public static SeedMaterial forSequential(long seed) {
		return derive("sequential", seed, 0, "");
	}

	static SeedMaterial derive(String purpose, long seed, long index, String name) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(("initlab/v1/" + purpose).getBytes(StandardCharsets.UTF_8));
			sha.update(ByteBuffer.allocate(16).putLong(seed).putLong(index).array());
			sha.update(name.getBytes(StandardCharsets.UTF_8));
			return new SeedMaterial(sha.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

	/** The digest as four longs. */
	public long[] longs() {
		ByteBuffer buffer = ByteBuffer.wrap(this.digest);
		long[] longs = new long[4];
		for (int i = 0; i < 4; i++) {
			longs[i] = buffer.getLong();
		}
		return longs;
	}

	/** The digest as eight ints. */
	public int[] ints() {
		ByteBuffer buffer = ByteBuffer.wrap(this.digest);
		int[] ints = new int[8];
		for (int i = 0; i < 8; i++) {
			ints[i] = buffer.getInt();
		}
		return ints;
	}

}
