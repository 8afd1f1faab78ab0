package dev.initlab.checkpoints;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.initlab.generation.GenerationExecutor;
import dev.initlab.generation.Plan;
import dev.initlab.generation.Seeding;
import dev.initlab.problems.InvalidRequestException;
import dev.initlab.problems.LimitExceededException;
import dev.initlab.rng.SeedMaterial;

/**
 * Checkpoints without state: {@link #create} turns a request into an id that holds the
 * canonical request, {@link #open} plans an id again, on any replica. Nothing is stored.
 * <p>
 * A checkpoint needs {@code per_tensor} seeding: any byte range is then generated from
 * the block that holds its first byte, since each tensor (and, with the fast generators,
 * each block) draws from its own stream; {@code sequential} seeding, where a tensor's
 * values depend on every tensor before it, is a 400. The seed is part of the id (drawn
 * when the request has none), so an id pins the bytes.
 */
@Component
public class Checkpoints {

	/** Plans a request (the JSON of {@code /initializations}) for a safetensors file. */
	@FunctionalInterface
	public interface RequestPlanner {

		/**
		 * @throws org.springframework.web.ErrorResponseException (4xx) when the request
		 * is invalid
		 */
		Plan plan(JsonNode request);

	}

	private final RequestPlanner planner;

	private final GenerationExecutor executor;

	private final CheckpointProperties properties;

	public Checkpoints(RequestPlanner planner, GenerationExecutor executor, CheckpointProperties properties) {
		this.planner = planner;
		this.executor = executor;
		this.properties = properties;
	}

	/**
	 * A checkpoint of a request: the body of {@code /initializations} plus an optional
	 * {@code max_shard_size}.
	 */
	public Checkpoint create(JsonNode body) {
		if (!(body instanceof ObjectNode object)) {
			throw new InvalidRequestException("request", "the body must be a JSON object, as for /initializations");
		}
		ObjectNode request = object.deepCopy();
		long maxShardSize = ShardSize.parse(request.remove(ShardSize.FIELD));
		if (request.has("symmetry_check")) {
			throw new InvalidRequestException("symmetry_check",
					"a checkpoint holds tensors only; drop symmetry_check (POST /api/v1/initializations runs it)");
		}
		JsonNode seeding = request.get("seeding");
		if (seeding != null && seeding.isString() && seeding.asString().equals(Seeding.SEQUENTIAL.wireName())) {
			throw new InvalidRequestException("seeding", "a checkpoint needs per_tensor seeding (the default), so "
					+ "that any byte range can be generated without the tensors before it; allowed: per_tensor");
		}
		// include (stats, data) says what a JSON answer carries; a checkpoint is files
		request.remove("include");
		JsonNode seed = request.get("seed");
		if (seed == null || seed.isNull()) {
			request.put("seed", SeedMaterial.drawSeed());
		}
		JsonNode canonical = CheckpointId.canonical(request);
		Plan plan = this.planner.plan(canonical);
		ObjectNode token = ((ObjectNode) canonical).deepCopy();
		token.put(ShardSize.FIELD, maxShardSize);
		String id = CheckpointId.encode(CheckpointId.canonical(token));
		if (id.length() > this.properties.maxIdLength()) {
			throw new LimitExceededException("characters of checkpoint id (the compressed request)", id.length(),
					this.properties.maxIdLength(), CheckpointProperties.MAX_ID_LENGTH,
					"Describe the model with fewer layers (a \"model\" names a whole architecture in a few bytes).");
		}
		return new Checkpoint(id, plan, maxShardSize, files(plan, canonical, maxShardSize));
	}

	/**
	 * The checkpoint an id holds, planned again.
	 * @throws InvalidRequestException (400, "invalid checkpoint id") for an id this
	 * service did not make
	 * @throws LimitExceededException (414) for an id longer than
	 * {@code initlab.checkpoints.max-id-length}
	 */
	public Checkpoint open(String id) {
		int max = this.properties.maxIdLength();
		if (id.length() > max) {
			throw new LimitExceededException(HttpStatus.URI_TOO_LONG, "characters of checkpoint id", id.length(), max,
					CheckpointProperties.MAX_ID_LENGTH, null);
		}
		// deflate expands at most about 1032:1, so this bounds nothing an honest id
		// reaches
		JsonNode token = CheckpointId.decode(id, (int) Math.min(Integer.MAX_VALUE - 8, 1100L * max));
		if (!(token instanceof ObjectNode object) || !object.path(ShardSize.FIELD).canConvertToLong()) {
			throw new InvalidRequestException("id", "invalid checkpoint id: it holds no request");
		}
		ObjectNode request = object.deepCopy();
		long maxShardSize = ShardSize.parse(request.remove(ShardSize.FIELD));
		Plan plan = this.planner.plan(request);
		return new Checkpoint(id, plan, maxShardSize, files(plan, request, maxShardSize));
	}

	/**
	 * The files of a planned request. The seam for {@code config.json}: for a
	 * {@code transformers/*} architecture ({@code request.model.architecture}), add it
	 * here with {@link CheckpointFiles#with} (a {@link JsonFile}).
	 */
	private CheckpointFiles files(Plan plan, JsonNode request, long maxShardSize) {
		return CheckpointFiles.of(plan, maxShardSize, this.executor);
	}

}
