package dev.initlab.access;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client token buckets of two requests, refilled at one per ten seconds of a clock
 * the test moves by hand: no test waits, none depends on how fast the machine is. Each
 * test uses its own clients (keys or addresses), so the order they run in does not
 * matter.
 */
@SpringBootTest(properties = { "initlab.security.enabled=true",
		"initlab.security.api-keys=alice:alice-secret-0123456789,bob:bob-secret-9876543210,carol:carol-secret-55555",
		"initlab.rate-limit.enabled=true", "initlab.rate-limit.burst=2", "initlab.rate-limit.requests=1",
		"initlab.rate-limit.period=10s" })
@AutoConfigureMockMvc
class RateLimitTests {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	MockMvcTester mvc;

	@Autowired
	ManualTime time;

	@Autowired
	MeterRegistry registry;

	@Test
	void aKeyPastItsBurstGets429WithRetryAfterUntilTheBucketRefills() {
		String alice = "alice-secret-0123456789";
		double rateLimited = rateLimited();
		assertThat(schemes(alice, "10.0.0.1")).hasStatus(HttpStatus.OK);
		assertThat(schemes(alice, "10.0.0.2")).hasStatus(HttpStatus.OK);
		MvcTestResult limited = schemes(alice, "10.0.0.3");
		assertThat(limited).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.hasHeader(HttpHeaders.RETRY_AFTER, "10");
		JsonNode body = json(limited);
		assertThat(body.get("type").asString()).isEqualTo("https://initlab.dev/problems/rate-limited");
		assertThat(body.get("status").asInt()).isEqualTo(429);
		assertThat(body.get("detail").asString())
			.contains("API key 'alice'", "initlab.rate-limit.burst", "initlab.rate-limit.requests",
					"initlab.rate-limit.period", "retry after 10 s")
			.doesNotContain("alice-secret");
		assertThat(body.get("property").asString()).isEqualTo("initlab.rate-limit.requests");
		assertThat(body.get("instance").asString()).isEqualTo("/api/v1/schemes");
		// observability: the problem names the request, and the rejection is counted
		assertThat(body.get("request_id").asString()).isEqualTo(limited.getResponse().getHeader("X-Request-Id"))
			.isNotBlank();
		assertThat(rateLimited() - rateLimited).isEqualTo(1);

		this.time.advance(Duration.ofSeconds(4));
		assertThat(schemes(alice, "10.0.0.1")).hasStatus(HttpStatus.TOO_MANY_REQUESTS)
			.hasHeader(HttpHeaders.RETRY_AFTER, "6");
		this.time.advance(Duration.ofSeconds(6));
		assertThat(schemes(alice, "10.0.0.1")).hasStatus(HttpStatus.OK);
		assertThat(schemes(alice, "10.0.0.1")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
	}

	@Test
	void eachKeyHasItsOwnBucketWhateverTheAddress() {
		String bob = "bob-secret-9876543210";
		String carol = "carol-secret-55555";
		assertThat(schemes(bob, "10.0.1.1")).hasStatus(HttpStatus.OK);
		assertThat(schemes(bob, "10.0.1.1")).hasStatus(HttpStatus.OK);
		assertThat(schemes(bob, "10.0.1.1")).hasStatus(HttpStatus.TOO_MANY_REQUESTS);
		// the same address with another key is another client
		assertThat(schemes(carol, "10.0.1.1")).hasStatus(HttpStatus.OK);
	}

	@Test
	void withoutAValidKeyTheAddressIsTheClientSoGuessingCostsTokens() {
		assertThat(schemes(null, "192.0.2.7")).hasStatus(HttpStatus.UNAUTHORIZED);
		assertThat(schemes("guess-1", "192.0.2.7")).hasStatus(HttpStatus.UNAUTHORIZED);
		MvcTestResult limited = schemes("guess-2", "192.0.2.7");
		assertThat(limited).hasStatus(HttpStatus.TOO_MANY_REQUESTS).hasHeader(HttpHeaders.RETRY_AFTER, "10");
		assertThat(json(limited).get("detail").asString()).contains("address 192.0.2.7");
		// another address is another client
		assertThat(schemes("guess-3", "192.0.2.8")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void probesAreNeverLimited() {
		for (int i = 0; i < 5; i++) {
			assertThat(this.mvc.get().uri("/actuator/health/liveness").with((request) -> {
				request.setRemoteAddr("198.51.100.1");
				return request;
			}).exchange()).hasStatus(HttpStatus.OK);
		}
	}

	private MvcTestResult schemes(String key, String address) {
		MockMvcTester.MockMvcRequestBuilder request = this.mvc.get().uri("/api/v1/schemes").with((r) -> {
			r.setRemoteAddr(address);
			return r;
		});
		if (key != null) {
			request.header("X-API-Key", key);
		}
		return request.exchange();
	}

	private static JsonNode json(MvcTestResult result) {
		return JSON.readTree(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8));
	}

	/** A clock for the buckets that moves only when the test says. */
	static final class ManualTime implements TimeMeter {

		private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

		@Override
		public long currentTimeNanos() {
			return this.nanos.get();
		}

		@Override
		public boolean isWallClockBased() {
			return false;
		}

		void advance(Duration duration) {
			this.nanos.addAndGet(duration.toNanos());
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clock {

		@Bean
		ManualTime manualTime() {
			return new ManualTime();
		}

	}

	/** initlab_rejections_total{reason="rate_limited"} */
	private double rateLimited() {
		return this.registry.get("initlab.rejections").tag("reason", "rate_limited").functionCounter().count();
	}

}
