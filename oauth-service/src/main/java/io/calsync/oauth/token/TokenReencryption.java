package io.calsync.oauth.token;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.StoredTokens;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenColumn;
import io.calsync.oauth.persistence.ConnectionTokenRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Re-encrypts stored tokens in the background after a key rotation: every {@code
 * calsync.token.reencryption.interval} it walks {@code connection_tokens} in connection id order,
 * in batches, and rewrites each ciphertext made by a key version older than the cipher's current
 * one ({@link TokenCipher#currentKeyVersion()}: the configured local key version, or the Vault
 * transit key's {@code latest_version}) or bound to the {@link AadFormat#LEGACY legacy} associated
 * data. A ciphertext is decrypted and encrypted again with the current key, bound to its slot.
 *
 * <p>No downtime: reads never wait for it, as both versions stay readable throughout (the old key
 * stays configured, or Vault keeps it, until the job has finished). Each ciphertext is replaced
 * with an optimistic check on the old value, so a refresh or reconnect that rewrote it meanwhile
 * wins and the replacement is dropped; several instances may run the job at once without harm. A
 * ciphertext that cannot be decrypted is counted and skipped (logged without its value); an
 * unavailable key service or database ends the run, and the next run starts over.
 *
 * <p>Metrics: {@code calsync.oauth.token.reencryptions{outcome=reencrypted|superseded|failed}} and
 * the gauge {@code calsync.oauth.token.reencryption.pending}, the rows still holding an outdated
 * ciphertext after the last run: when it is 0, the previous key can be retired.
 */
@Component
@ConditionalOnProperty(
    name = "calsync.token.reencryption.enabled",
    havingValue = "true",
    matchIfMissing = true)
class TokenReencryption implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TokenReencryption.class);

  private final ConnectionTokenRepository tokens;
  private final TokenCipher cipher;
  private final TokenProperties.Reencryption properties;
  private final Counter reencrypted;
  private final Counter superseded;
  private final Counter failed;
  private volatile double pending = Double.NaN;
  private volatile Disposable loop;

  TokenReencryption(
      ConnectionTokenRepository tokens,
      TokenCipher cipher,
      TokenProperties properties,
      MeterRegistry meters) {
    this.tokens = tokens;
    this.cipher = cipher;
    this.properties = properties.reencryption();
    this.reencrypted = counter(meters, "reencrypted");
    this.superseded = counter(meters, "superseded");
    this.failed = counter(meters, "failed");
    Gauge.builder("calsync.oauth.token.reencryption.pending", this, job -> job.pending)
        .description(
            "Token rows still holding a ciphertext of an older key version or legacy format, after the last run")
        .register(meters);
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("calsync.oauth.token.reencryptions")
        .description("Token ciphertexts re-encrypted with the current key, by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    loop =
        Flux.interval(properties.initialDelay(), properties.interval())
            .onBackpressureDrop()
            .concatMap(tick -> runOnce().onErrorResume(this::logAndContinue), 1)
            .subscribe();
  }

  /** One pass over the whole table with the cipher's current key version. */
  Mono<Run> runOnce() {
    return cipher
        .currentKeyVersion()
        .flatMap(
            version ->
                walk(version, null, Run.start(version))
                    .flatMap(run -> tokens.countStale(version).map(run::withPending)))
        .doOnNext(
            run -> {
              pending = run.pending();
              if (run.reencrypted() + run.superseded() + run.failed() > 0) {
                log.info(
                    "Re-encrypted {} token ciphertexts with key version {} ({} rewritten meanwhile by a refresh,"
                        + " {} failed); {} rows still outdated",
                    run.reencrypted(),
                    run.keyVersion(),
                    run.superseded(),
                    run.failed(),
                    run.pending());
              }
            });
  }

  /**
   * The batches after {@code after}, one after the other (keyset pagination, so every run ends).
   */
  private Mono<Run> walk(int version, UUID after, Run sofar) {
    return tokens
        .findStale(version, after, properties.batchSize())
        .collectList()
        .flatMap(
            batch -> {
              if (batch.isEmpty()) {
                return Mono.just(sofar);
              }
              UUID last = batch.get(batch.size() - 1).connectionId();
              return Flux.fromIterable(batch)
                  .concatMap(row -> reencrypt(row, version))
                  .reduce(sofar, Run::plus)
                  .flatMap(
                      run ->
                          batch.size() < properties.batchSize()
                              ? Mono.just(run)
                              : walk(version, last, run));
            });
  }

  private Flux<Outcome> reencrypt(StoredTokens row, int version) {
    return Flux.fromIterable(List.of(TokenColumn.ACCESS, TokenColumn.REFRESH))
        .filter(column -> isOutdated(row.sealed(column), version))
        .concatMap(column -> reencrypt(row, column));
  }

  private static boolean isOutdated(SealedToken sealed, int version) {
    return sealed != null
        && (sealed.keyVersion() < version || sealed.aadFormat() == AadFormat.LEGACY);
  }

  private Mono<Outcome> reencrypt(StoredTokens row, TokenColumn column) {
    SealedToken old = row.sealed(column);
    return cipher
        .decrypt(old, row.slot(column))
        .flatMap(plaintext -> cipher.encrypt(plaintext, row.slot(column)))
        .flatMap(replacement -> tokens.replace(row.connectionId(), column, old, replacement))
        .map(replaced -> replaced ? Outcome.REENCRYPTED : Outcome.SUPERSEDED)
        .onErrorResume(
            e -> e instanceof TokenCipherException c && !c.isTransient(),
            e -> {
              // Tampered, or made with a key this instance no longer has. The message holds no
              // token.
              log.warn(
                  "Cannot re-encrypt the {} ciphertext (key version {}) of connection {}: {}",
                  column.columnName(),
                  old.keyVersion(),
                  row.connectionId(),
                  e.getMessage());
              return Mono.just(Outcome.FAILED);
            })
        .doOnNext(
            outcome -> {
              switch (outcome) {
                case REENCRYPTED -> reencrypted.increment();
                case SUPERSEDED -> superseded.increment();
                case FAILED -> failed.increment();
              }
            });
  }

  private Mono<Run> logAndContinue(Throwable e) {
    // Vault or the database is unavailable: the next run starts over.
    log.warn("Token re-encryption run stopped, will retry: {}", e.toString());
    return Mono.empty();
  }

  @Override
  public synchronized void stop() {
    Disposable current = loop;
    if (current != null) {
      current.dispose();
    }
  }

  @Override
  public boolean isRunning() {
    Disposable current = loop;
    return current != null && !current.isDisposed();
  }

  @Override
  public int getPhase() {
    // Stop before the web server and the connection pool are shut down, start after them.
    return SmartLifecycle.DEFAULT_PHASE - 1024;
  }

  enum Outcome {
    REENCRYPTED,
    SUPERSEDED,
    FAILED
  }

  /** What one run did; {@code pending} is counted after it (-1 until then). */
  record Run(int keyVersion, long reencrypted, long superseded, long failed, long pending) {

    static Run start(int keyVersion) {
      return new Run(keyVersion, 0, 0, 0, -1);
    }

    Run plus(Outcome outcome) {
      return new Run(
          keyVersion,
          reencrypted + (outcome == Outcome.REENCRYPTED ? 1 : 0),
          superseded + (outcome == Outcome.SUPERSEDED ? 1 : 0),
          failed + (outcome == Outcome.FAILED ? 1 : 0),
          pending);
    }

    Run withPending(long count) {
      return new Run(keyVersion, reencrypted, superseded, failed, count);
    }
  }
}
