package dev.initlab.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "initlab", version = "v1",
		description = "Weight initialization as a service: reproducible parameter tensors with PyTorch's (or Keras's) "
				+ "conventions, the resolved fans, gains and stats, and catalogs of schemes, presets, generators and "
				+ "gains. Errors are RFC 9457 problem details.",
		license = @License(name = "Apache-2.0")))
class OpenApiConfig {

	/**
	 * Swagger's model reader introspects with its own (Jackson 2) mapper, which does not
	 * see the application's naming strategy; give it the same snake_case so the
	 * documented schemas match the wire.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

}
