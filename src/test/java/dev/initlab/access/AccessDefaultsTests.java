package dev.initlab.access;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application with the shipped defaults: Spring Security is on the classpath
 * but lets everything through as before, with no login page, no generated user, no CSRF,
 * no CORS and no rate limit; actuator exposes only health, info and prometheus.
 */
@SpringBootTest
@AutoConfigureMockMvc
class AccessDefaultsTests {

	@Autowired
	MockMvcTester mvc;

	@Autowired
	ApplicationContext context;

	@Test
	void theApiAnswersWithoutAKey() {
		MvcTestResult result = this.mvc.get().uri("/api/v1/schemes").exchange();
		assertThat(result).hasStatus(HttpStatus.OK).doesNotContainHeader(HttpHeaders.WWW_AUTHENTICATE);
	}

	@Test
	void aPostNeedsNoCsrfToken() {
		MvcTestResult result = this.mvc.post()
			.uri("/api/v1/initializations")
			.contentType(MediaType.APPLICATION_JSON)
			.content("""
					{"seed": 1, "include": ["stats"],
					 "layers": [{"name": "fc", "type": "linear", "in_features": 4, "out_features": 2}]}
					""")
			.exchange();
		assertThat(result).hasStatus(HttpStatus.OK);
	}

	@Test
	void ourChainIsTheOnlyOneAndThereIsNoGeneratedUser() {
		// Boot's default chain (form login, HTTP Basic) backs off for ours, and its
		// in-memory user, whose password it would print at start-up, is excluded
		assertThat(this.context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("accessFilterChain");
		assertThat(this.context.getBeansOfType(UserDetailsService.class)).isEmpty();
		assertThat(this.mvc.get().uri("/login").exchange()).hasStatus(HttpStatus.NOT_FOUND);
	}

	@Test
	void aPreflightGetsNoCorsPermission() {
		MvcTestResult result = this.mvc.options()
			.uri("/api/v1/initializations")
			.header(HttpHeaders.ORIGIN, "https://notebooks.example.org")
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
			.exchange();
		assertThat(result).doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
	}

	@Test
	void healthAndInfoAreExposed() {
		assertThat(this.mvc.get().uri("/actuator/health").exchange()).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/health/readiness").exchange()).hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/actuator/info").exchange()).hasStatus(HttpStatus.OK);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump",
			"/actuator/threaddump", "/actuator/loggers", "/actuator/mappings", "/actuator/shutdown" })
	void otherActuatorEndpointsAreNotThere(String path) {
		MvcTestResult result = this.mvc.get().uri(path).exchange();
		assertThat(result).hasStatus(HttpStatus.NOT_FOUND).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

}
