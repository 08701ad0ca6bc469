package io.calsync.query.readmodel.persistence;

import io.calsync.query.stream.ChangeNotifications;
import io.calsync.query.stream.ReadModelChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Announces applied changes on the database's notification channel, inside their batch's
 * transaction, in one statement: PostgreSQL delivers them, in order, to every listening instance
 * when the transaction commits, and never when it rolls back. PostgreSQL folds notifications with
 * the same channel and payload within one transaction into one, so a payload repeated in a batch
 * (the same event upserted twice with the same {@code occurred_at}) gets trailing spaces, which a
 * JSON reader ignores: every change is heard, as when each message had its own transaction.
 */
@Repository
class ChangeAnnouncer {

  /** PostgreSQL refuses a payload of 8000 bytes or more. */
  private static final int MAX_PAYLOAD_BYTES = 7999;

  private final DatabaseClient db;

  ChangeAnnouncer(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> announce(List<ReadModelChange> changes) {
    if (changes.isEmpty()) {
      return Mono.empty();
    }
    // a volatile function of the select list runs after the sort: in the order given
    return db.sql(
            """
            select pg_notify(:channel, payload)
              from unnest(cast(:payloads as text[])) with ordinality as p(payload, n)
             order by n
            """)
        .bind("channel", ChangeNotifications.CHANNEL)
        .bind("payloads", payloads(changes))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /** Each change's payload, a repeated one made distinct (a repeat too long for that is folded). */
  static String[] payloads(List<ReadModelChange> changes) {
    Map<String, Integer> seen = new HashMap<>();
    List<String> payloads = new ArrayList<>(changes.size());
    for (ReadModelChange change : changes) {
      String payload = ChangeNotifications.payload(change);
      String distinct = payload + " ".repeat(seen.merge(payload, 1, Integer::sum) - 1);
      if (distinct.getBytes(StandardCharsets.UTF_8).length <= MAX_PAYLOAD_BYTES) {
        payloads.add(distinct);
      }
    }
    return payloads.toArray(String[]::new);
  }
}
