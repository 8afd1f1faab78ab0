package dev.initlab.checkpoints;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.initlab.generation.Plan;
import dev.initlab.generation.TensorSource;
import dev.initlab.problems.NotFoundException;

/**
 * A checkpoint: its id (the canonical request), the plan made from it and its files.
 *
 * @param id the stateless token
 * @param plan the plan
 * @param maxShardSize the largest shard in bytes (a larger tensor is a shard of its own)
 * @param files the files
 */
public record Checkpoint(String id, Plan plan, long maxShardSize, CheckpointFiles files) {

	/** The file named {@code name}, or 404 naming the files there are. */
	public CheckpointFile file(String name) {
		return this.files.find(name)
			.orElseThrow(() -> new NotFoundException("This checkpoint has no file '" + name + "'; its files: "
					+ String.join(", ", this.files.names()) + "."));
	}

	/**
	 * The strong {@code ETag} of file {@code name}: a hash of the generation version
	 * ({@link TensorSource#GENERATION_VERSION}), the id and the name. The id pins the
	 * request and the version pins what the generator makes of it, so equal tags mean
	 * equal bytes on every replica and release that shares the version.
	 */
	public String etag(String name) {
		try {
			MessageDigest sha = MessageDigest.getInstance("SHA-256");
			sha.update(("initlab/" + TensorSource.GENERATION_VERSION + "\n" + this.id + "\n" + name)
				.getBytes(StandardCharsets.UTF_8));
			return "\"" + HexFormat.of().formatHex(sha.digest(), 0, 16) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
		}
	}

}
