package dev.initlab.api;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import dev.initlab.checkpoints.Checkpoint;
import dev.initlab.checkpoints.CheckpointFile;

/**
 * What {@code POST /api/v1/checkpoints} answers.
 *
 * @param id the stateless id: the canonical request, compressed; any replica serves it
 * @param files the files of the directory, as {@code save_pretrained} writes them
 * @param index the shard index's file name, or null when the checkpoint is one file
 */
record CheckpointResponse(
		@Schema(description = "stateless id: the canonical request (seed included), compressed and URL-safe, with an "
				+ "integrity check; any replica serves it") String id,
		@Schema(description = "the files, as save_pretrained writes them: shards, then the index") List<File> files,
		@Schema(description = "the index file's name (model.safetensors.index.json), or null for a single file",
				nullable = true) String index) {

	/**
	 * @param name the file name
	 * @param size its exact size in bytes
	 * @param url where to GET it (Range, If-None-Match, If-Range and HEAD work)
	 */
	record File(String name, long size, String url) {
	}

	static CheckpointResponse of(Checkpoint checkpoint) {
		List<File> files = checkpoint.files()
			.files()
			.stream()
			.map((CheckpointFile f) -> new File(f.name(), f.size(), url(checkpoint.id(), f.name())))
			.toList();
		return new CheckpointResponse(checkpoint.id(), files, checkpoint.files().index());
	}

	static String url(String id, String name) {
		return ServletUriComponentsBuilder.fromCurrentContextPath()
			.path("/api/v1/checkpoints/{id}/{file}")
			.buildAndExpand(id, name)
			.toUriString();
	}

}
