package io.calsync.oauth.cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenSlot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.vault.core.ReactiveVaultOperations;
import reactor.test.StepVerifier;

/** Which token cipher the service builds, and that it refuses to start without a key or Vault. */
@ExtendWith(OutputCaptureExtension.class)
class TokenCipherConfigTests {

  private static final TokenSlot SLOT = TokenSlot.access(UUID.randomUUID());

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(Properties.class, TokenCipherConfig.class);

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(TokenCipherProperties.class)
  static class Properties {}

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  @Test
  void whenNeitherAKeyNorVaultNorTheDevelopmentOptInIsConfiguredThenTheServiceRefusesToStart(
      @TempDir Path dir) {
    Path keyFile = dir.resolve("oauth-token.key");

    runner
        .withPropertyValues("calsync.token.cipher.key-file=" + keyFile)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              assertThat(failure).rootCause().isInstanceOf(MissingTokenKeyException.class);
              assertThat(failure)
                  .rootCause()
                  .hasMessageContaining("TOKEN_ENCRYPTION_KEY")
                  .hasMessageContaining("VAULT_ENABLED")
                  .hasMessageContaining("TOKEN_GENERATE_DEV_KEY");
            });
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void whenTheKeyIsEmptyThenTheServiceRefusesToStart() {
    runner
        .withPropertyValues("calsync.token.cipher.key=", "spring.cloud.vault.enabled=false")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(MissingTokenKeyException.class));
  }

  @Test
  void whenTheDevelopmentKeyIsAskedForThenItIsGeneratedWithAWarning(
      @TempDir Path dir, CapturedOutput output) {
    Path keyFile = dir.resolve("oauth-token.key");

    runner
        .withPropertyValues(
            "calsync.token.cipher.generate-dev-key=true",
            "calsync.token.cipher.key-file=" + keyFile)
        .run(
            context -> {
              assertThat(context).hasNotFailed().hasSingleBean(TokenCipher.class);
              assertThat(context.getBean(TokenCipher.class))
                  .isInstanceOf(LocalAesGcmTokenCipher.class);
              roundTrip(context.getBean(TokenCipher.class));
            });
    assertThat(keyFile).exists();
    assertThat(output)
        .contains("WARN")
        .contains("DEVELOPMENT key")
        .contains("TOKEN_GENERATE_DEV_KEY=true");
  }

  @Test
  void withTheShippedSettingsAndAnEmptyEnvironmentTheServiceRefusesToStart(@TempDir Path dir) {
    Path keyFile = dir.resolve("oauth-token.key");

    runner
        .withInitializer(
            shippedSettingsWithEnvironment(Map.of("TOKEN_KEY_FILE", keyFile.toString())))
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .isInstanceOf(MissingTokenKeyException.class));
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void withTheShippedSettingsTokenGenerateDevKeyIsTheOptIn(@TempDir Path dir) {
    Path keyFile = dir.resolve("oauth-token.key");

    runner
        .withInitializer(
            shippedSettingsWithEnvironment(
                Map.of("TOKEN_GENERATE_DEV_KEY", "true", "TOKEN_KEY_FILE", keyFile.toString())))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TokenCipher.class));
    assertThat(keyFile).exists();
  }

  @Test
  void withTheShippedSettingsARotationIsConfiguredFromTheEnvironment() {
    byte[] oldKey = Base64.getDecoder().decode(randomKey());
    SealedToken old = new LocalAesGcmTokenCipher(Map.of(1, oldKey), 1).seal("1//old-refresh", SLOT);

    runner
        .withInitializer(
            shippedSettingsWithEnvironment(
                Map.of(
                    "TOKEN_ENCRYPTION_KEY", randomKey(),
                    "TOKEN_ENCRYPTION_KEY_VERSION", "2",
                    "CALSYNC_TOKEN_CIPHER_PREVIOUSKEYS_1",
                        Base64.getEncoder().encodeToString(oldKey))))
        .run(
            context -> {
              TokenCipher cipher = context.getBean(TokenCipher.class);
              cipher.currentKeyVersion().as(StepVerifier::create).expectNext(2).verifyComplete();
              cipher
                  .decrypt(old, SLOT)
                  .as(StepVerifier::create)
                  .expectNext("1//old-refresh")
                  .verifyComplete();
            });
  }

  /**
   * application.yml as shipped, and these environment variables (the token-related others empty).
   */
  private static ApplicationContextInitializer<ConfigurableApplicationContext>
      shippedSettingsWithEnvironment(Map<String, String> variables) {
    return context -> {
      Map<String, Object> environment = new HashMap<>();
      environment.put("TOKEN_ENCRYPTION_KEY", "");
      environment.put("TOKEN_GENERATE_DEV_KEY", "false");
      environment.put("VAULT_ENABLED", "false");
      environment.putAll(variables);
      MutablePropertySources sources = context.getEnvironment().getPropertySources();
      try {
        new YamlPropertySourceLoader()
            .load("application.yml", new ClassPathResource("application.yml"))
            .forEach(sources::addFirst);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      sources.addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment", environment));
    };
  }

  @Test
  void whenStartedWithoutAKeyThenTheStartUpReportSaysWhatToSet(
      @TempDir Path dir, CapturedOutput output) {
    SpringApplication application =
        new SpringApplication(Properties.class, TokenCipherConfig.class);
    application.setWebApplicationType(WebApplicationType.NONE);

    assertThatThrownBy(
            () ->
                application.run(
                    "--calsync.token.cipher.key=",
                    "--calsync.token.cipher.generate-dev-key=false",
                    "--spring.cloud.vault.enabled=false",
                    "--calsync.token.cipher.key-file=" + dir.resolve("oauth-token.key")))
        .hasRootCauseInstanceOf(MissingTokenKeyException.class);
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("No token encryption key is configured")
        .contains("Set TOKEN_ENCRYPTION_KEY");
  }

  @Test
  void whenAKeyIsConfiguredThenItIsUsedAndNoKeyFileIsWritten(@TempDir Path dir) {
    Path keyFile = dir.resolve("oauth-token.key");
    String oldKey = randomKey();

    runner
        .withPropertyValues(
            "calsync.token.cipher.key=" + randomKey(),
            "calsync.token.cipher.key-version=2",
            "calsync.token.cipher.previous-keys.1=" + oldKey,
            "calsync.token.cipher.key-file=" + keyFile)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              TokenCipher cipher = context.getBean(TokenCipher.class);
              cipher.currentKeyVersion().as(StepVerifier::create).expectNext(2).verifyComplete();
              roundTrip(cipher);
            });
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void whenVaultIsEnabledThenNoLocalKeyIsNeeded() {
    runner
        .withBean(ReactiveVaultOperations.class, () -> mock(ReactiveVaultOperations.class))
        .withPropertyValues("spring.cloud.vault.enabled=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(TokenCipher.class))
                  .isInstanceOf(VaultTransitTokenCipher.class);
            });
  }

  @Test
  void shouldExplainTheMissingKeyInTheStartUpFailureReport() {
    FailureAnalysis analysis =
        new MissingTokenKeyFailureAnalyzer()
            .analyze(new IllegalStateException(new MissingTokenKeyException()));

    assertThat(analysis).isNotNull();
    assertThat(analysis.getDescription())
        .contains("TOKEN_ENCRYPTION_KEY")
        .contains("VAULT_ENABLED=false");
    assertThat(analysis.getAction())
        .contains("TOKEN_ENCRYPTION_KEY")
        .contains("VAULT_ENABLED=true");
  }

  private static void roundTrip(TokenCipher cipher) {
    cipher
        .encrypt("ya29.token", SLOT)
        .flatMap(ciphertext -> cipher.decrypt(ciphertext, SLOT))
        .as(StepVerifier::create)
        .expectNext("ya29.token")
        .verifyComplete();
  }
}
