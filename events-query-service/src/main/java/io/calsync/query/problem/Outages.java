package io.calsync.query.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells an outage (the database cannot be reached right now) from a bug or bad data: a request
 * answers it with 503 {@code upstream_unavailable}, the Kafka listener retries it for longer.
 */
public final class Outages {

  private Outages() {}

  /**
   * Whether the failure, or any of its causes, means the database (or another dependency) is
   * unreachable.
   */
  public static boolean isOutage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessException
          || t instanceof io.r2dbc.spi.R2dbcTransientResourceException
          || t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
          || t instanceof io.r2dbc.spi.R2dbcTimeoutException
          || t instanceof ConnectException
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
