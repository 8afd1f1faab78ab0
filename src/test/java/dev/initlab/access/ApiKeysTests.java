package dev.initlab.access;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Parsing {@code initlab.security.api-keys} and looking a presented key up. */
class ApiKeysTests {

	@Test
	void namedKeysAnswerWithTheirNameAndBareKeysWithTheirPosition() {
		ApiKeys keys = ApiKeys.parse(List.of("alice:s3cret-a", " bob:s3cret:with:colons ", "bare-secret"));
		assertThat(keys.owner("s3cret-a")).hasValue("alice");
		assertThat(keys.owner("s3cret:with:colons")).hasValue("bob");
		assertThat(keys.owner("bare-secret")).hasValue("key-3");
	}

	@Test
	void anythingElseHasNoOwner() {
		ApiKeys keys = ApiKeys.parse(List.of("alice:s3cret-a"));
		assertThat(keys.owner("s3cret-b")).isEmpty();
		assertThat(keys.owner("s3cret-a ")).isEmpty();
		assertThat(keys.owner("S3CRET-A")).isEmpty();
		assertThat(keys.owner("alice")).isEmpty();
		assertThat(keys.owner("alice:s3cret-a")).isEmpty();
		assertThat(keys.owner("")).isEmpty();
	}

	@Test
	void noKeysIsEmpty() {
		assertThat(ApiKeys.parse(List.of()).isEmpty()).isTrue();
		assertThat(ApiKeys.parse(List.of("a:b")).isEmpty()).isFalse();
	}

	@Test
	void mistakesFailAtStartUpNamingTheEntryButNeverTheSecret() {
		assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.parse(List.of("alice:")))
			.withMessageContaining("initlab.security.api-keys[0]")
			.withMessageContaining("empty");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ApiKeys.parse(List.of("alice:one-secret", "alice:other-secret")))
			.withMessageContaining("initlab.security.api-keys[1]")
			.withMessageContaining("'alice' is used twice")
			.withMessageNotContaining("other-secret");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ApiKeys.parse(List.of("alice:same-secret", "bob:same-secret")))
			.withMessageContaining("initlab.security.api-keys[1]")
			.withMessageContaining("same secret")
			.withMessageNotContaining("same-secret");
		assertThatIllegalArgumentException().isThrownBy(() -> ApiKeys.parse(List.of("a b:secret-with-space-name")))
			.withMessageContaining("initlab.security.api-keys[0]")
			.withMessageContaining("name")
			.withMessageNotContaining("secret-with");
	}

}
