package dev.initlab.access;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The environment variables docs/OPERATIONS.md documents bind to the properties. */
class ApiKeyPropertiesTests {

	@Test
	void keysComeFromOneCommaSeparatedEnvironmentVariable() {
		ApiKeyProperties properties = bind(
				Map.of("INITLAB_SECURITY_ENABLED", "true", "INITLAB_SECURITY_API_KEYS", "alice:a-1,ci:b:2,bare"));
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.apiKeys()).containsExactly("alice:a-1", "ci:b:2", "bare");
		ApiKeys keys = ApiKeys.parse(properties.apiKeys());
		assertThat(keys.owner("b:2")).hasValue("ci");
		assertThat(keys.owner("bare")).hasValue("key-3");
	}

	@Test
	void byDefaultItIsOffWithTheDocumentationOpen() {
		ApiKeyProperties properties = bind(Map.of());
		assertThat(properties.enabled()).isFalse();
		assertThat(properties.apiKeys()).isEmpty();
		assertThat(properties.publicPaths()).containsExactly("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html",
				"/", "/index.html", "/lab.js", "/lab.css", "/webjars/**");
	}

	private static ApiKeyProperties bind(Map<String, Object> environment) {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addFirst(new SystemEnvironmentPropertySource("environment", environment));
		return new Binder(ConfigurationPropertySources.from(sources)).bindOrCreate("initlab.security",
				ApiKeyProperties.class);
	}

}
