package io.calsync.query.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.api.PostgresqlResult;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Holds one dedicated PostgreSQL connection that {@code LISTEN}s on {@link
 * ChangeNotifications#CHANNEL} and feeds every committed change, whichever instance applied it, to
 * this instance's {@link ReadModelChanges}. The connection is made by the driver's own factory,
 * beside the pool (the pool would validate, idle-close or hand it out); when it drops (the database
 * restarted, the backend was terminated, the keepalive query failed) the listener logs a warning,
 * counts it ({@code calsync.query.stream.listener.disconnects}), interrupts the open streams and
 * listens again with jittered exponential backoff, without end; {@code
 * calsync.query.stream.listener.connected} is 1 while it listens. Started as a lifecycle bean: the
 * one long-lived subscription of the service, disposed on shutdown.
 */
@Component
final class NotificationListener implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

  private final ConnectionFactory factory;
  private final ReadModelChanges changes;
  private final StreamProperties.Listener settings;
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicReference<Integer> backendPid = new AtomicReference<>();
  private final Counter disconnects;
  private volatile Disposable session;

  NotificationListener(
      ConnectionFactory factory,
      ReadModelChanges changes,
      StreamProperties properties,
      MeterRegistry meters) {
    this.factory = unpooled(factory);
    this.changes = changes;
    this.settings = properties.listener();
    Gauge.builder("calsync.query.stream.listener.connected", connected, AtomicInteger::get)
        .description("1 while this instance listens for read-model changes, else 0")
        .register(meters);
    this.disconnects =
        Counter.builder("calsync.query.stream.listener.disconnects")
            .description("times the connection listening for read-model changes was lost")
            .register(meters);
  }

  @Override
  public void start() {
    session =
        Flux.defer(this::listenOnce)
            .retryWhen(
                Retry.backoff(Long.MAX_VALUE, settings.reconnectMinBackoff())
                    .maxBackoff(settings.reconnectMaxBackoff())
                    .transientErrors(true)
                    .doBeforeRetry(this::lost))
            .subscribe();
  }

  @Override
  public void stop() {
    Disposable current = session;
    session = null;
    if (current != null) {
      current.dispose();
    }
    connected.set(0);
    backendPid.set(null);
  }

  @Override
  public boolean isRunning() {
    return session != null;
  }

  /** The server process of the listening connection, null while none listens. */
  Integer backendPid() {
    return backendPid.get();
  }

  /**
   * One connection's life: subscribe to its notifications, {@code LISTEN}, then check it every
   * keepalive. Emits the backend pid once listening (which resets the backoff); ends in an error
   * however the connection ends, so that the retry listens again.
   */
  private Flux<Integer> listenOnce() {
    return Flux.usingWhen(
        Mono.from(factory.create()).cast(PostgresqlConnection.class),
        connection ->
            Flux.merge(
                    connection
                        .getNotifications()
                        .doOnNext(n -> publish(n.getParameter()))
                        .thenMany(Flux.<Integer>empty()),
                    execute(connection, "LISTEN " + ChangeNotifications.CHANNEL)
                        .then(backendPidOf(connection))
                        .doOnNext(this::listening)
                        .concatWith(keepalive(connection)))
                .concatWith(
                    Mono.error(() -> new IllegalStateException("the listening connection closed"))),
        connection -> Mono.from(connection.close()),
        (connection, error) -> Mono.from(connection.close()).onErrorComplete(),
        connection -> Mono.from(connection.close()).onErrorComplete());
  }

  private Flux<Integer> keepalive(PostgresqlConnection connection) {
    return Flux.interval(settings.keepalive(), settings.keepalive())
        .concatMap(tick -> execute(connection, "select 1").timeout(settings.keepalive()))
        .thenMany(Flux.empty());
  }

  private static Mono<Void> execute(PostgresqlConnection connection, String sql) {
    return connection
        .createStatement(sql)
        .execute()
        .flatMap(PostgresqlResult::getRowsUpdated)
        .then();
  }

  private static Mono<Integer> backendPidOf(PostgresqlConnection connection) {
    return connection
        .createStatement("select pg_backend_pid()")
        .execute()
        .flatMap(result -> result.map((row, meta) -> row.get(0, Integer.class)))
        .next();
  }

  private void publish(String payload) {
    try {
      changes.publish(ChangeNotifications.read(payload));
    } catch (RuntimeException e) {
      log.warn(
          "Ignoring a notification on {} that is not a read-model change",
          ChangeNotifications.CHANNEL,
          e);
    }
  }

  private void listening(Integer pid) {
    backendPid.set(pid);
    connected.set(1);
    log.info(
        "Listening for read-model changes on {} (backend pid {})",
        ChangeNotifications.CHANNEL,
        pid);
    changes.interrupt(); // streams opened before now may have missed changes
  }

  private void lost(Retry.RetrySignal signal) {
    if (connected.getAndSet(0) == 1) {
      disconnects.increment();
      changes.interrupt();
    }
    backendPid.set(null);
    log.warn(
        "Not listening for read-model changes (attempt {}): {}; trying again with backoff",
        signal.totalRetriesInARow() + 1,
        signal.failure().toString());
  }

  /** The driver's factory under the pool, so that the pool never validates or closes it. */
  private static ConnectionFactory unpooled(ConnectionFactory factory) {
    ConnectionFactory current = factory;
    while (current instanceof Wrapped<?> wrapped
        && wrapped.unwrap() instanceof ConnectionFactory inner) {
      current = inner;
    }
    return current;
  }
}
