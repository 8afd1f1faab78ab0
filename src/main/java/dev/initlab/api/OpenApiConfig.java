package dev.initlab.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.initlab.access.ApiKeyProperties;

@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "initlab", version = "v1",
		description = "Weight initialization as a service: reproducible parameter tensors with PyTorch's (or Keras's) "
				+ "conventions, the resolved fans, gains and stats, and catalogs of schemes, presets, generators and "
				+ "gains. Errors are RFC 9457 problem details.",
		license = @License(name = "Apache-2.0")))
class OpenApiConfig {

	/** The name of the security scheme in the OpenAPI document. */
	static final String API_KEY = "api_key";

	/**
	 * Swagger's model reader introspects with its own (Jackson 2) mapper, which does not
	 * see the application's naming strategy; give it the same snake_case so the
	 * documented schemas match the wire.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver() {
		return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
	}

	/**
	 * With API keys on, every operation requires the {@code X-API-Key} header: the
	 * document says so, and Swagger UI shows an "Authorize" button that sends it.
	 */
	@Bean
	OpenApiCustomizer apiKeySecurityScheme(ApiKeyProperties security) {
		return (openApi) -> {
			if (!security.enabled()) {
				return;
			}
			if (openApi.getComponents() == null) {
				openApi.setComponents(new Components());
			}
			openApi.getComponents()
				.addSecuritySchemes(API_KEY,
						new SecurityScheme().type(SecurityScheme.Type.APIKEY)
							.in(SecurityScheme.In.HEADER)
							.name(ApiKeyProperties.HEADER)
							.description("One of the server's keys (initlab.security.api-keys). "
									+ "'Authorization: Bearer <key>' is accepted too."));
			openApi.addSecurityItem(new SecurityRequirement().addList(API_KEY));
		};
	}

}
