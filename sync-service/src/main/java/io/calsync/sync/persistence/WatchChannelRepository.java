package io.calsync.sync.persistence;

import io.calsync.sync.model.WatchChannel;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Repository
public class WatchChannelRepository {

  private final DatabaseClient db;

  WatchChannelRepository(DatabaseClient db) {
    this.db = db;
  }

  public Mono<Void> insert(WatchChannel c, Instant now) {
    return db.sql(
            """
            insert into watch_channels (id, calendar_id, connection_id, resource_id, token, expires_at, active, created_at)
            values (:id, :cal, :conn, :rid, :token, :exp, true, :now)
            """)
        .bind("id", c.id())
        .bind("cal", c.calendarId())
        .bind("conn", c.connectionId())
        .bind("rid", c.resourceId())
        .bind("token", c.token())
        .bind("exp", c.expiresAt())
        .bind("now", now)
        .fetch()
        .rowsUpdated()
        .then();
  }

  public Flux<WatchChannel> activeForCalendar(UUID calendarId) {
    return db.sql(
            "select * from watch_channels where calendar_id = :cal and active order by expires_at desc")
        .bind("cal", calendarId)
        .map(WatchChannelRepository::map)
        .all();
  }

  public Flux<WatchChannel> activeForConnection(UUID connectionId) {
    return db.sql("select * from watch_channels where connection_id = :c and active")
        .bind("c", connectionId)
        .map(WatchChannelRepository::map)
        .all();
  }

  public Mono<WatchChannel> findActive(String id) {
    return db.sql("select * from watch_channels where id = :id and active")
        .bind("id", id)
        .map(WatchChannelRepository::map)
        .one();
  }

  public Mono<Void> deactivate(String id) {
    return db.sql("update watch_channels set active = false where id = :id")
        .bind("id", id)
        .fetch()
        .rowsUpdated()
        .then();
  }

  private static WatchChannel map(Readable r) {
    return new WatchChannel(
        r.get("id", String.class),
        r.get("calendar_id", UUID.class),
        r.get("connection_id", UUID.class),
        r.get("resource_id", String.class),
        r.get("token", String.class),
        r.get("expires_at", OffsetDateTime.class));
  }
}
