package io.calsync.query.readmodel.domain;

import io.calsync.query.stream.ReadModelChange;
import java.util.List;

/**
 * What one message does to the read model: the writes, in order, and the changes to announce on the
 * live stream once they committed. Both are empty for a replayed, stale or skipped message.
 */
public record Projection(List<RowChange> rows, List<ReadModelChange> changes) {

  static final Projection NONE = new Projection(List.of(), List.of());

  public Projection {
    rows = List.copyOf(rows);
    changes = List.copyOf(changes);
  }

  /** Rows written without anything to announce. */
  static Projection silently(RowChange... rows) {
    return new Projection(List.of(rows), List.of());
  }

  static Projection announced(ReadModelChange change, RowChange... rows) {
    return new Projection(List.of(rows), List.of(change));
  }
}
