package io.calsync.oauth.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.cipher.LocalAesGcmTokenCipher;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenColumn;
import io.calsync.oauth.domain.TokenSlot;
import io.calsync.oauth.persistence.ConnectionTokenRepository;
import io.calsync.oauth.persistence.TokenCustody;
import io.calsync.oauth.support.LegacyCiphertexts;
import io.calsync.oauth.support.TestInfrastructure;
import io.calsync.oauth.support.VaultTransitStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactories;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The background re-encryption against real PostgreSQL (its own database in the shared embedded
 * server, migrated by Flyway) with both ciphers: the local AES-GCM key and Vault transit (the
 * stand-in). Rows are written as the build before migration V2 wrote them (schema V1, legacy
 * associated data) and as the current build writes them, under key version 1; then the key rotates
 * to version 2 and the job runs. No Spring context: the job is constructed directly.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenReencryptionTests {

  private static final String DATABASE = "oauth_reencryption";
  private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

  private static ConnectionPool pool;
  private static DatabaseClient db;
  private static ConnectionTokenRepository repository;

  private final byte[] keyV1 = randomKey();
  private final byte[] keyV2 = randomKey();
  private final LocalAesGcmTokenCipher localV1 = new LocalAesGcmTokenCipher(Map.of(1, keyV1), 1);
  private final LocalAesGcmTokenCipher localV2 =
      new LocalAesGcmTokenCipher(Map.of(1, keyV1, 2, keyV2), 2);
  private final Map<TokenSlot, String> plaintexts = new HashMap<>();
  private final MeterRegistry meters = new SimpleMeterRegistry();
  private TokenReencryption running;

  @BeforeAll
  static void database() throws SQLException {
    var postgres = TestInfrastructure.postgres();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      ResultSet exists =
          statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'");
      if (!exists.next()) {
        statement.execute("create database " + DATABASE);
      }
    }
    pool =
        (ConnectionPool)
            ConnectionFactories.get(
                "r2dbc:pool:postgresql://postgres:postgres@localhost:"
                    + postgres.getPort()
                    + "/"
                    + DATABASE);
    db = DatabaseClient.create(pool);
    repository = new ConnectionTokenRepository(db);
  }

  @AfterAll
  static void closePool() {
    pool.dispose();
  }

  /** Schema V1 only: the state before this change. {@link #upgradeSchema()} applies the rest. */
  @BeforeEach
  void schemaBeforeTheSlotBinding() {
    flyway("1").clean();
    flyway("1").migrate();
  }

  @AfterEach
  void stopJob() {
    if (running != null) {
      running.stop();
    }
  }

  private static Flyway flyway(String target) {
    int port = TestInfrastructure.postgres().getPort();
    return Flyway.configure()
        .dataSource("jdbc:postgresql://localhost:" + port + "/" + DATABASE, "postgres", "postgres")
        .cleanDisabled(false)
        .target(target)
        .load();
  }

  private static void upgradeSchema() {
    flyway("latest").migrate();
  }

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Test
  void whenTheLocalKeyRotatesThenEveryRowIsReencryptedWithTheNewVersionWhileStayingReadable() {
    // Written by the build before V2 (legacy associated data), with and without a refresh token.
    legacyLocalRow("ya29.legacy-access-1", "1//legacy-refresh-1");
    legacyLocalRow("ya29.legacy-access-2", null);
    upgradeSchema();
    // Written by this build under key version 1.
    for (int i = 0; i < 3; i++) {
      storedRow(localV1, "ya29.access-" + i, i == 2 ? null : "1//refresh-" + i);
    }
    assertThat(plaintexts).hasSize(8);
    // Before the job, the rotated configuration already reads every row (v1 kept as a previous
    // key).
    assertThat(readAll(localV2)).isEqualTo(plaintexts);
    ReadableThroughout probe = new ReadableThroughout(localV2);

    job(probe, 2)
        .runOnce()
        .as(StepVerifier::create)
        .assertNext(
            run -> {
              assertThat(run.keyVersion()).isEqualTo(2);
              assertThat(run.reencrypted()).isEqualTo(8);
              assertThat(run.superseded()).isZero();
              assertThat(run.failed()).isZero();
              assertThat(run.pending()).isZero();
            })
        .verifyComplete();

    assertThat(probe.checks).hasValue(8); // every stored token decrypted before each re-encryption
    assertEveryCiphertextIs(2);
    // Every row now decrypts with the new key alone: the old one can be retired.
    assertThat(readAll(new LocalAesGcmTokenCipher(Map.of(2, keyV2), 2))).isEqualTo(plaintexts);
    assertThat(reencryptions("reencrypted")).isEqualTo(8);
    assertThat(meters.get("calsync.oauth.token.reencryption.pending").gauge().value()).isZero();
  }

  @Test
  void whenOnlyTheAssociatedDataIsLegacyThenTheRowsAreReboundWithTheSameKeyVersion() {
    legacyLocalRow("ya29.legacy-access", "1//legacy-refresh");
    upgradeSchema();

    job(localV1, 50)
        .runOnce()
        .as(StepVerifier::create)
        .assertNext(run -> assertThat(run.reencrypted()).isEqualTo(2))
        .verifyComplete();

    assertEveryCiphertextIs(1);
    assertThat(readAll(localV1)).isEqualTo(plaintexts);
  }

  @Test
  void whenVaultsTransitKeyRotatesThenEveryRowIsReencryptedWithItsLatestVersion() {
    try (VaultTransitStandIn vault = VaultTransitStandIn.start()) {
      TokenCipher cipher = vault.cipher();
      legacyVaultRow(vault, "ya29.legacy-access", "1//legacy-refresh");
      upgradeSchema();
      storedRow(cipher, "ya29.access", "1//refresh");
      storedRow(cipher, "ya29.access-only", null);
      vault.rotate();
      assertThat(readAll(cipher)).isEqualTo(plaintexts);
      ReadableThroughout probe = new ReadableThroughout(cipher);

      job(probe, 2)
          .runOnce()
          .as(StepVerifier::create)
          .assertNext(
              run -> {
                assertThat(run.keyVersion()).isEqualTo(2);
                assertThat(run.reencrypted()).isEqualTo(5);
                assertThat(run.pending()).isZero();
              })
          .verifyComplete();

      assertThat(probe.checks).hasValue(5);
      assertEveryCiphertextIs(2);
      assertThat(ciphertexts())
          .allSatisfy(ciphertext -> assertThat(ciphertext).startsWith("vault:v2:"));
      assertThat(readAll(cipher)).isEqualTo(plaintexts);
    }
  }

  @Test
  void whenARefreshRewritesATokenDuringTheRunThenTheRefreshWins() {
    upgradeSchema();
    UUID raced = storedRow(localV1, "ya29.before-refresh", "1//refresh");
    storedRow(localV1, "ya29.other", "1//other");
    TokenSlot racedAccess = TokenSlot.access(raced);
    AtomicBoolean refreshed = new AtomicBoolean();
    TokenCipher racing =
        new Forwarding(localV2) {
          @Override
          public Mono<String> decrypt(SealedToken sealed, TokenSlot slot) {
            Mono<Void> refresh =
                slot.equals(racedAccess) && refreshed.compareAndSet(false, true)
                    ? custody(localV2).store(raced, "ya29.after-refresh", EXPIRES, null)
                    : Mono.empty();
            // The job read the row before the refresh committed; it decrypts what it read.
            return refresh.then(super.decrypt(sealed, slot));
          }
        };

    job(racing, 50)
        .runOnce()
        .as(StepVerifier::create)
        .assertNext(
            run -> {
              assertThat(run.superseded()).isEqualTo(1);
              assertThat(run.reencrypted()).isEqualTo(3);
            })
        .verifyComplete();

    plaintexts.put(racedAccess, "ya29.after-refresh");
    assertThat(readAll(localV2)).isEqualTo(plaintexts);
    assertEveryCiphertextIs(2);
    assertThat(reencryptions("superseded")).isEqualTo(1);
  }

  @Test
  void whenACiphertextCannotBeDecryptedThenItIsCountedAndTheOthersAreStillDone(
      CapturedOutput output) {
    upgradeSchema();
    UUID victim = storedRow(localV1, "ya29.victim-access", "1//victim-refresh");
    UUID other = storedRow(localV1, "ya29.other-access", "1//other-refresh");
    // The other connection's refresh ciphertext pasted into the victim's refresh column.
    db.sql(
            "update connection_tokens set refresh_token_ciphertext ="
                + " (select refresh_token_ciphertext from connection_tokens where connection_id = :other)"
                + " where connection_id = :victim")
        .bind("other", other)
        .bind("victim", victim)
        .fetch()
        .rowsUpdated()
        .block();

    job(localV2, 50)
        .runOnce()
        .as(StepVerifier::create)
        .assertNext(
            run -> {
              assertThat(run.failed()).isEqualTo(1);
              assertThat(run.reencrypted()).isEqualTo(3);
              assertThat(run.pending()).isEqualTo(1);
            })
        .verifyComplete();

    assertThat(output)
        .contains("Cannot re-encrypt the refresh_token ciphertext")
        .contains(victim.toString());
    assertThat(plaintexts.values()).allSatisfy(token -> assertThat(output).doesNotContain(token));
    assertThat(reencryptions("failed")).isEqualTo(1);
    assertThat(meters.get("calsync.oauth.token.reencryption.pending").gauge().value()).isEqualTo(1);
  }

  @Test
  void whenEverythingIsCurrentThenARunWritesNothing() {
    upgradeSchema();
    storedRow(localV2, "ya29.access", "1//refresh");
    List<String> before = ciphertexts();

    job(localV2, 50)
        .runOnce()
        .as(StepVerifier::create)
        .assertNext(run -> assertThat(run).isEqualTo(new TokenReencryption.Run(2, 0, 0, 0, 0)))
        .verifyComplete();

    assertThat(ciphertexts()).isEqualTo(before);
  }

  @Test
  void whenStartedThenItRunsOnItsIntervalAndCatchesUpOnceVaultIsBack() {
    try (VaultTransitStandIn vault = VaultTransitStandIn.start()) {
      upgradeSchema();
      storedRow(vault.cipher(), "ya29.access", "1//refresh");
      vault.rotate();
      vault.down(true);
      running =
          new TokenReencryption(
              repository,
              vault.cipher(),
              properties(
                  new TokenProperties.Reencryption(
                      true, Duration.ofMillis(100), Duration.ZERO, 50)),
              meters);

      running.start();

      Awaitility.await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> ciphertexts().stream().allMatch(c -> c.startsWith("vault:v1:")));
      vault.down(false);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> ciphertexts().stream().allMatch(c -> c.startsWith("vault:v2:")));
      assertThat(readAll(vault.cipher())).isEqualTo(plaintexts);
      running.stop();
      assertThat(running.isRunning()).isFalse();
    }
  }

  // --- rows -------------------------------------------------------------------------------------

  private static UUID newConnection() {
    UUID id = UUID.randomUUID();
    db.sql(
            "insert into connections (id, user_id, google_sub, account_email, status, created_at, updated_at)"
                + " values (:id, :user, :sub, 'someone@example.com', 'active', now(), now())")
        .bind("id", id)
        .bind("user", "user-" + id)
        .bind("sub", "sub-" + id)
        .fetch()
        .rowsUpdated()
        .block();
    return id;
  }

  /**
   * A row as the build before V2 wrote it with the local key: schema V1, legacy associated data.
   */
  private UUID legacyLocalRow(String access, String refresh) {
    return legacyRow(
        access,
        LegacyCiphertexts.localAesGcm(keyV1, 1, access),
        refresh,
        refresh == null ? null : LegacyCiphertexts.localAesGcm(keyV1, 1, refresh));
  }

  /**
   * A row as the build before V2 wrote it with Vault: Spring Vault's transit template, no
   * associated data.
   */
  private UUID legacyVaultRow(VaultTransitStandIn vault, String access, String refresh) {
    var transit = vault.template().opsForTransit(VaultTransitStandIn.PATH);
    return legacyRow(
        access,
        transit.encrypt(VaultTransitStandIn.KEY, access).block(),
        refresh,
        refresh == null ? null : transit.encrypt(VaultTransitStandIn.KEY, refresh).block());
  }

  private UUID legacyRow(
      String access, String accessCiphertext, String refresh, String refreshCiphertext) {
    UUID id = newConnection();
    DatabaseClient.GenericExecuteSpec insert =
        db.sql(
                "insert into connection_tokens (connection_id, access_token_ciphertext, access_key_version,"
                    + " access_expires_at, refresh_token_ciphertext, refresh_key_version, updated_at)"
                    + " values (:id, :access, 1, :expires, :refresh, :refreshVersion, now())")
            .bind("id", id)
            .bind("access", accessCiphertext)
            .bind("expires", EXPIRES.atOffset(java.time.ZoneOffset.UTC));
    insert =
        refreshCiphertext == null
            ? insert.bindNull("refresh", String.class).bindNull("refreshVersion", Integer.class)
            : insert.bind("refresh", refreshCiphertext).bind("refreshVersion", 1);
    insert.fetch().rowsUpdated().block();
    plaintexts.put(TokenSlot.access(id), access);
    if (refresh != null) {
      plaintexts.put(TokenSlot.refresh(id), refresh);
    }
    return id;
  }

  /** A row as this build writes it. */
  private UUID storedRow(TokenCipher cipher, String access, String refresh) {
    UUID id = newConnection();
    custody(cipher).store(id, access, EXPIRES, refresh).block();
    plaintexts.put(TokenSlot.access(id), access);
    if (refresh != null) {
      plaintexts.put(TokenSlot.refresh(id), refresh);
    }
    return id;
  }

  private static TokenCustody custody(TokenCipher cipher) {
    return new TokenCustody(cipher, repository, Clock.systemUTC());
  }

  /** Every stored token decrypted with {@code cipher}, by slot. */
  private static Map<TokenSlot, String> readAll(TokenCipher cipher) {
    return readAllReactive(cipher).block();
  }

  private static Mono<Map<TokenSlot, String>> readAllReactive(TokenCipher cipher) {
    return db.sql("select connection_id from connection_tokens")
        .map(row -> row.get("connection_id", UUID.class))
        .all()
        .concatMap(repository::find)
        .concatMap(
            stored ->
                Flux.just(TokenColumn.ACCESS, TokenColumn.REFRESH)
                    .filter(column -> stored.sealed(column) != null)
                    .concatMap(column -> open(cipher, stored, column)))
        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
  }

  private static Mono<Map.Entry<TokenSlot, String>> open(
      TokenCipher cipher, StoredTokens stored, TokenColumn column) {
    return cipher
        .decrypt(stored.sealed(column), stored.slot(column))
        .map(value -> Map.entry(stored.slot(column), value));
  }

  private static void assertEveryCiphertextIs(int keyVersion) {
    List<Map<String, Object>> rows =
        db.sql("select * from connection_tokens").fetch().all().collectList().block();
    assertThat(rows).isNotEmpty();
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.get("access_key_version")).isEqualTo(keyVersion);
              assertThat(row.get("access_aad_format")).isEqualTo(2);
              if (row.get("refresh_token_ciphertext") != null) {
                assertThat(row.get("refresh_key_version")).isEqualTo(keyVersion);
                assertThat(row.get("refresh_aad_format")).isEqualTo(2);
              }
            });
  }

  private static List<String> ciphertexts() {
    return db.sql(
            "select access_token_ciphertext as c from connection_tokens union all"
                + " select refresh_token_ciphertext from connection_tokens where refresh_token_ciphertext is not null")
        .map(row -> row.get("c", String.class))
        .all()
        .sort()
        .collectList()
        .block();
  }

  // --- the job --------------------------------------------------------------------------------

  private TokenReencryption job(TokenCipher cipher, int batchSize) {
    return new TokenReencryption(
        repository,
        cipher,
        properties(
            new TokenProperties.Reencryption(
                true, Duration.ofMinutes(1), Duration.ofMinutes(1), batchSize)),
        meters);
  }

  private static TokenProperties properties(TokenProperties.Reencryption reencryption) {
    return new TokenProperties(Duration.ofSeconds(120), Duration.ofSeconds(40), reencryption);
  }

  private double reencryptions(String outcome) {
    return meters
        .get("calsync.oauth.token.reencryptions")
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  /** A cipher that passes everything on. */
  private static class Forwarding implements TokenCipher {

    private final TokenCipher delegate;

    Forwarding(TokenCipher delegate) {
      this.delegate = delegate;
    }

    @Override
    public Mono<SealedToken> encrypt(String plaintext, TokenSlot slot) {
      return delegate.encrypt(plaintext, slot);
    }

    @Override
    public Mono<String> decrypt(SealedToken sealed, TokenSlot slot) {
      return delegate.decrypt(sealed, slot);
    }

    @Override
    public Mono<Integer> currentKeyVersion() {
      return delegate.currentKeyVersion();
    }
  }

  /**
   * Before each re-encryption, checks that every stored token still decrypts to its value: no
   * downtime.
   */
  private class ReadableThroughout extends Forwarding {

    final AtomicInteger checks = new AtomicInteger();
    private final TokenCipher reader;

    ReadableThroughout(TokenCipher delegate) {
      super(delegate);
      this.reader = delegate;
    }

    @Override
    public Mono<SealedToken> encrypt(String plaintext, TokenSlot slot) {
      return readAllReactive(reader)
          .doOnNext(
              found -> {
                if (!found.equals(plaintexts)) {
                  throw new TokenCipherException(
                      "A stored token did not decrypt during the run", true, null);
                }
                checks.incrementAndGet();
              })
          .then(super.encrypt(plaintext, slot));
    }
  }
}
