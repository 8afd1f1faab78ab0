package dev.initlab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * initlab: weight initialization as a service.
 * <p>
 * There are no users or passwords: requests carry API keys when
 * {@code initlab.security.enabled} (see {@code access.AccessConfig}), so Spring Boot's
 * generated user, and the password it would print at start-up, are left out.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class InitlabApplication {

	public static void main(String[] args) {
		SpringApplication.run(InitlabApplication.class, args);
	}

}
