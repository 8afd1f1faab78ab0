package dev.initlab.api;

import java.util.List;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * Applies {@link RequestLimits}: the body size as a servlet filter, the JSON read
 * constraints in the mapper Spring MVC reads request bodies with.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RequestLimits.class)
class RequestLimitsConfiguration {

	/**
	 * Boot's {@code JacksonAutoConfiguration#jsonMapperBuilder}, with every customizer
	 * (so every {@code spring.jackson.*} property) applied the same way, on a factory
	 * that carries {@link JsonReadLimits}: Jackson 3 fixes the factory when the builder
	 * is created, and Boot 4.0 has no property for read constraints.
	 */
	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	JsonMapper.Builder jsonMapperBuilder(List<JsonMapperBuilderCustomizer> customizers, RequestLimits limits) {
		// Without recycling, every parse starts from the same small buffers, so whether a
		// string passes the length check (made as Jackson's text buffer fills) depends
		// only on the request, not on what the thread parsed before.
		JsonFactory factory = JsonFactory.builder()
			.streamReadConstraints(new JsonReadLimits(limits))
			.recyclerPool(JsonRecyclerPools.nonRecyclingPool())
			.build();
		JsonMapper.Builder builder = JsonMapper.builder(factory);
		for (JsonMapperBuilderCustomizer customizer : customizers) {
			customizer.customize(builder);
		}
		return builder;
	}

	@Bean
	BodySizeFilter bodySizeFilter(RequestLimits limits) {
		return new BodySizeFilter(limits);
	}

}
