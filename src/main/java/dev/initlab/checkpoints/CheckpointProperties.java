package dev.initlab.checkpoints;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of checkpoints, under {@code initlab.checkpoints}.
 *
 * @param maxIdLength characters of a checkpoint id (the compressed request, so a request
 * whose id is longer is refused at {@code POST}, 400, and a longer id at {@code GET},
 * 414); 4096 by default, which keeps a file's URL within every proxy's and server's
 * request line (Tomcat's default header limit is 8 KiB)
 */
@ConfigurationProperties("initlab.checkpoints")
public record CheckpointProperties(@DefaultValue("4096") int maxIdLength) {

	static final String MAX_ID_LENGTH = "initlab.checkpoints.max-id-length";

}
