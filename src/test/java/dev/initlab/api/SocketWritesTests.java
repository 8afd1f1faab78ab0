package dev.initlab.api;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code initlab.http.socket-write-size} reaches Tomcat's connector, within its bounds.
 */
class SocketWritesTests {

	@Test
	void setsTheConnectorsWriteBufferSize() {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		new SocketWrites(DataSize.ofKilobytes(256)).customize(factory);
		Connector connector = new Connector();
		assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("8192");
		factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
		assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("262144");
	}

	@Test
	void aSizeOutOfBoundsNamesTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SocketWrites(DataSize.ofBytes(100)))
			.withMessageContaining(SocketWrites.PROPERTY);
		assertThatIllegalArgumentException().isThrownBy(() -> new SocketWrites(DataSize.ofMegabytes(65)))
			.withMessageContaining(SocketWrites.PROPERTY);
	}

}
