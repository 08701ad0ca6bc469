package io.calsync.sync.engine;

import io.calsync.sync.google.GoogleCallException;
import io.calsync.sync.google.GoogleCallException.Kind;
import io.calsync.sync.publish.PublishFailedException;
import io.calsync.sync.token.ReauthRequiredException;
import io.calsync.sync.token.TokenUnavailableException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a failure during a run means (sync rule 8 of the module README): the {@link RunResult} shown
 * in sync status, and whether it ends the whole connection's run or only one calendar's.
 */
@Component
class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private final SyncProperties props;
  private final Clock clock;

  Failures(SyncProperties props, Clock clock) {
    this.props = props;
    this.clock = clock;
  }

  /**
   * True when the failure concerns every calendar of the connection (the grant, the token, Google's
   * quota, Kafka, the lease): the run stops instead of going on with the next calendar.
   */
  static boolean connectionWide(Throwable e) {
    return e instanceof ReauthRequiredException
        || e instanceof TokenUnavailableException
        || e instanceof SyncAbortedException
        || e instanceof PublishFailedException
        || (e instanceof GoogleCallException g
            && (g.kind() == Kind.QUOTA_EXCEEDED || g.kind() == Kind.UNAUTHORIZED));
  }

  /** The outcome a failure leaves: its stable code and message, a pause after Google's quota. */
  RunResult classify(UUID connectionId, Throwable e) {
    if (e instanceof ReauthRequiredException) {
      return RunResult.reauthRequired("The Google grant is gone; connect the account again.");
    }
    if (e instanceof TokenUnavailableException) {
      return RunResult.error(
          "token_unavailable", "No access token could be obtained from oauth-service.");
    }
    if (e instanceof GoogleCallException g) {
      if (g.kind() == Kind.QUOTA_EXCEEDED) {
        return RunResult.paused(
            g.code(),
            "Google's usage limits were exceeded; sync paused.",
            clock.instant().plus(props.quotaPause()));
      }
      return RunResult.error(g.code(), g.getMessage());
    }
    if (e instanceof SyncAbortedException a) {
      return RunResult.error("aborted", a.getMessage());
    }
    if (e instanceof PublishFailedException) {
      return RunResult.error("publish_failed", "Kafka did not acknowledge the changes.");
    }
    log.warn("sync of connection {} failed", connectionId, e);
    return RunResult.error("internal_error", e.getClass().getSimpleName());
  }
}
