package io.calsync.sync.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.sync.model.Connection;
import io.calsync.sync.support.SyncServiceTest;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connection and its sync-state row appear together: while the sync-state insert has to wait
 * (another session holds a lock on that table), no reader sees the new connection. A "sync now"
 * that found the connection without its state row was answered 409 reauth_required (seen in a
 * clean-clone run of SyncRightAfterConnectSystemTests).
 */
@SyncServiceTest
class ConnectionUpsertApplicationTests {

  @Autowired ConnectionRepository connections;
  @Autowired DatabaseClient db;
  @Autowired ConnectionFactory factory;

  @Test
  void noReaderSeesANewConnectionWithoutItsSyncStateRow() {
    UUID id = UUID.randomUUID();
    io.r2dbc.spi.Connection locker = Mono.from(factory.create()).block();
    Disposable upsert = null;
    try {
      Mono.from(locker.beginTransaction()).block();
      Flux.from(locker.createStatement("lock table connection_sync_state in share mode").execute())
          .flatMap(Result::getRowsUpdated)
          .blockLast();

      upsert =
          connections
              .upsert(id, "upsert-" + id, "a@example.com", Connection.ACTIVE, Instant.now())
              .subscribe();
      await().atMost(Duration.ofSeconds(30)).until(() -> waitingForTheLock() > 0);

      assertThat(rows("connections", "id", id)).as("connection visible before its state").isZero();
    } finally {
      Mono.from(locker.rollbackTransaction()).then(Mono.from(locker.close())).block();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                rows("connections", "id", id) == 1
                    && rows("connection_sync_state", "connection_id", id) == 1);
    upsert.dispose();
  }

  private long waitingForTheLock() {
    return db.sql(
            """
            select count(*) from pg_stat_activity
             where wait_event_type = 'Lock' and query like '%connection_sync_state%'
               and pid <> pg_backend_pid()
            """)
        .map(row -> row.get(0, Long.class))
        .one()
        .block();
  }

  private long rows(String table, String column, UUID id) {
    return db.sql("select count(*) from " + table + " where " + column + " = :id")
        .bind("id", id)
        .map(row -> row.get(0, Long.class))
        .one()
        .block();
  }
}
