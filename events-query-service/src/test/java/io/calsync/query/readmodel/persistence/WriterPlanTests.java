package io.calsync.query.readmodel.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.query.support.QueryServiceTest;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Decision 9: inside a write transaction (after {@link ConnectionRows#lock}, its first statement),
 * hash and merge joins are off for that transaction only, and the join of a batch's 500 group keys
 * against a 30,000-row {@code events} table reads {@code events} by index, never in full (left to
 * its estimates, PostgreSQL hashed the whole table for every batch).
 */
@QueryServiceTest
class WriterPlanTests {

  @Autowired DatabaseClient db;
  @Autowired ConnectionRows connections;
  @Autowired ReactiveTransactionManager transactions;

  @Test
  void aBatchsKeysAreJoinedByIndexInsideAWriteTransaction() {
    UUID connection = UUID.randomUUID();
    UUID calendar = UUID.randomUUID();
    db.sql(
            """
            insert into events (connection_id, calendar_id, event_id, user_id, status, title,
                                description, start_at, end_at, source_updated)
            select :c, :cal, 'plan-' || i, 'plan-user', 'confirmed', 'Event ' || i,
                   repeat('words ', 20), now() + i * interval '1 hour',
                   now() + i * interval '1 hour' + interval '30 minutes', now()
              from generate_series(1, 30000) as i
            """)
        .bind("c", connection)
        .bind("cal", calendar)
        .then()
        .block();
    db.sql("analyze events").then().block();
    List<Integer> batch = IntStream.rangeClosed(1, 500).map(i -> i * 37).boxed().toList();

    String inside =
        TransactionalOperator.create(transactions)
            .transactional(
                connections
                    .lock(List.of(connection))
                    .then(
                        db.sql(
                                "select current_setting('enable_hashjoin') || ','"
                                    + " || current_setting('enable_mergejoin')")
                            .map(row -> row.get(0, String.class))
                            .one())
                    .flatMap(joins -> plan(connection, calendar, batch).map(p -> joins + "\n" + p)))
            .block();
    String after =
        db.sql("select current_setting('enable_hashjoin')")
            .map(row -> row.get(0, String.class))
            .one()
            .block();

    assertThat(inside).startsWith("off,off").doesNotContain("Seq Scan on events");
    assertThat(after).as("only that transaction").isEqualTo("on");
  }

  private Mono<String> plan(UUID connection, UUID calendar, List<Integer> batch) {
    return db.sql("explain " + Occurrences.SOURCES)
        .bind("c", batch.stream().map(i -> connection).toArray(UUID[]::new))
        .bind("cal", batch.stream().map(i -> calendar).toArray(UUID[]::new))
        .bind("grp", batch.stream().map(i -> "plan-" + i).toArray(String[]::new))
        .map(row -> row.get(0, String.class))
        .all()
        .collectList()
        .map(lines -> String.join("\n", lines));
  }
}
