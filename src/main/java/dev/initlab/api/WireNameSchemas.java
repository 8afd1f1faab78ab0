package dev.initlab.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.initlab.generation.Seeding;
import dev.initlab.layers.Layout;
import dev.initlab.tensor.DType;
import dev.initlab.training.DatasetKind;
import dev.initlab.training.OptimizerKind;

/**
 * The allowed values of the request fields that name an enum constant, read from the
 * enums themselves: an annotation's {@code allowableValues} would be a second list of the
 * same names.
 */
@Configuration(proxyBeanMethods = false)
class WireNameSchemas {

	@Bean
	OpenApiCustomizer wireNamesFromEnums() {
		return (openApi) -> {
			allow(openApi, "InitializationRequest", "dtype", DType.names());
			allow(openApi, "InitializationRequest", "layout", Layout.names());
			allow(openApi, "InitializationRequest", "seeding", Seeding.names());
			allow(openApi, "ModelSpec", "architecture", dev.initlab.models.Architectures.names());
			allow(openApi, "DatasetSpec", "name", DatasetKind.names());
			allow(openApi, "TrainingSpec", "optimizer", OptimizerKind.names());
		};
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void allow(OpenAPI openApi, String schema, String property, List<String> names) {
		if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
			return;
		}
		Schema owner = openApi.getComponents().getSchemas().get(schema);
		Map<String, Schema> properties = (owner != null) ? owner.getProperties() : null;
		Schema field = (properties != null) ? properties.get(property) : null;
		if (field != null) {
			field.setEnum(new ArrayList<>(names));
		}
	}

}
