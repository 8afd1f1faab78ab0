package dev.initlab.init;

/**
 * One entry of a request's {@code overrides}: the tensors whose names match {@code match}
 * get {@code init}, after the preset (and any recipe); the last matching override wins.
 * An override matching any member of a tie group applies to the whole group.
 *
 * @param match a {@link NameGlob} over tensor names
 * @param init the initializer
 */
public record InitOverride(String match, InitSpec init) {
}
