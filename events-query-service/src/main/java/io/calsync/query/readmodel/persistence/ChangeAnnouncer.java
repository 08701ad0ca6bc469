package io.calsync.query.readmodel.persistence;

import io.calsync.query.stream.ChangeNotifications;
import io.calsync.query.stream.ReadModelChange;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Announces an applied change on the database's notification channel, inside the message's
 * transaction: PostgreSQL delivers it to every listening instance when the transaction commits, and
 * never when it rolls back.
 */
@Repository
class ChangeAnnouncer {

  private final DatabaseClient db;

  ChangeAnnouncer(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> announce(ReadModelChange change) {
    return db.sql("select pg_notify(:channel, :payload)")
        .bind("channel", ChangeNotifications.CHANNEL)
        .bind("payload", ChangeNotifications.payload(change))
        .fetch()
        .rowsUpdated()
        .then();
  }
}
