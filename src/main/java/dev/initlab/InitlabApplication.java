package dev.initlab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * initlab: weight initialization as a service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class InitlabApplication {

	public static void main(String[] args) {
		SpringApplication.run(InitlabApplication.class, args);
	}

}
