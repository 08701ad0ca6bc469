package io.calsync.oauth.outbox;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The outbox table. */
@Repository
class OutboxRepository {

  /** Any constant shared by every instance: only the holder of this advisory lock relays. */
  static final long RELAY_LOCK_KEY = 0x6f61757468_6f7574L; // "oauth" "out"

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

  private final DatabaseClient db;

  OutboxRepository(DatabaseClient db) {
    this.db = db;
  }

  Mono<Void> insert(
      String topic,
      String key,
      String type,
      String payload,
      Map<String, String> headers,
      String traceparent,
      Instant now) {
    return db.sql(
            """
            insert into outbox (topic, message_key, type, payload, headers, traceparent, created_at)
            values (:topic, :key, :type, :payload, :headers, :traceparent, :now)
            """)
        .bind("topic", topic)
        .bind("key", key)
        .bind("type", type)
        .bind("payload", Json.of(payload))
        .bind("headers", Json.of(JSON.writeValueAsString(headers)))
        .bind("traceparent", Parameter.fromOrEmpty(traceparent, String.class))
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Takes the relay's transaction-scoped advisory lock without waiting: true when this instance may
   * relay now. Released by the end of the surrounding transaction.
   */
  Mono<Boolean> tryRelayLock() {
    return db.sql("select pg_try_advisory_xact_lock(:key) as locked")
        .bind("key", RELAY_LOCK_KEY)
        .map(row -> Boolean.TRUE.equals(row.get("locked", Boolean.class)))
        .one();
  }

  /** How many rows wait to be published, and when the oldest of them was written. */
  record Backlog(long rows, Instant oldest) {}

  Mono<Backlog> backlog() {
    return db.sql(
            "select count(*) as rows, min(created_at) as oldest from outbox where published_at is null")
        .map(
            row -> {
              OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
              Long rows = row.get("rows", Long.class);
              return new Backlog(
                  rows == null ? 0 : rows, oldest == null ? null : oldest.toInstant());
            })
        .one();
  }

  /** Unpublished rows in the order they were written. */
  Flux<OutboxMessage> findUnpublished(int limit) {
    return db.sql(
            """
            select id, topic, message_key, type, payload, headers, traceparent, created_at
            from outbox where published_at is null order by id limit :limit
            """)
        .bind("limit", limit)
        .map(OutboxRepository::map)
        .all();
  }

  Mono<Void> markPublished(long id, Instant now) {
    return db.sql("update outbox set published_at = :now where id = :id")
        .bind("now", now.atOffset(ZoneOffset.UTC))
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  /**
   * Deletes up to {@code limit} rows published before {@code publishedBefore}, oldest first; never
   * an unpublished row. Answers how many were deleted.
   */
  Mono<Long> deletePublishedBefore(Instant publishedBefore, int limit) {
    return db.sql(
            """
            delete from outbox where id in (
                select id from outbox
                where published_at is not null and published_at < :before
                order by id limit :limit)
            """)
        .bind("before", publishedBefore.atOffset(ZoneOffset.UTC))
        .bind("limit", limit)
        .fetch()
        .rowsUpdated();
  }

  private static OutboxMessage map(Readable row) {
    return new OutboxMessage(
        row.get("id", Long.class),
        row.get("topic", String.class),
        row.get("message_key", String.class),
        row.get("type", String.class),
        row.get("payload", Json.class).asString(),
        JSON.readValue(row.get("headers", Json.class).asString(), HEADERS),
        row.get("traceparent", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
