package dev.initlab.api;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Large socket writes for the binary streams: Tomcat hands a large response write to the
 * socket in pieces of its per-connection write buffer ({@code socket.appWriteBufSize}, 8
 * KiB by default), one {@code write(2)} each: 8,192 system calls for a 64 MiB tensor, on
 * the thread that also waits for the drawing pool. {@code initlab.http.socket-write-size}
 * (default 256 KiB, one float32 block) sets that piece. Every connection holds a buffer
 * of this size while it is open, so memory grows with it times the open connections.
 */
@Component
class SocketWrites implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> {

	static final String PROPERTY = "initlab.http.socket-write-size";

	private final DataSize size;

	SocketWrites(@Value("${" + PROPERTY + ":256KB}") DataSize size) {
		if (size.toBytes() < 1024 || size.toBytes() > (64 << 20)) {
			throw new IllegalArgumentException(PROPERTY + " must be between 1KB and 64MB: " + size);
		}
		this.size = size;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		factory.addConnectorCustomizers(
				(connector) -> connector.setProperty("socket.appWriteBufSize", Long.toString(this.size.toBytes())));
	}

}
