package io.calsync.sync.engine;

import static io.calsync.sync.support.SyncFixtures.google;
import static io.calsync.sync.support.SyncFixtures.uniqueEmail;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.testing.MutableClock;
import io.calsync.sync.support.SyncFixtures;
import io.calsync.sync.support.SyncServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import reactor.test.StepVerifier;

/**
 * The stored state operators watch, read from the database: connections by sync state, active push
 * channels, and how fresh the synced calendars are (bucketed, never per calendar).
 */
@SyncServiceTest
class SyncGaugesApplicationTests {

  @Autowired SyncFixtures app;
  @Autowired SyncGauges gauges;
  @Autowired MeterRegistry meters;
  @Autowired MutableClock clock;

  @Test
  void aSyncedConnectionShowsInTheStateChannelAndFreshnessGauges() throws Exception {
    String email = uniqueEmail("gauges");
    google.account(email);
    UUID conn = app.connect("user-gauges", email);
    app.awaitIdle(conn);

    gauges.refresh().as(StepVerifier::create).verifyComplete();

    assertThat(gauge("calsync.sync.connections", "state", "idle")).isGreaterThanOrEqualTo(1);
    assertThat(gauge("calsync.sync.watch.channels", null, null)).isGreaterThanOrEqualTo(1);
    double fresh = gauge("calsync.sync.calendars.synced.within", "le", "60");
    assertThat(fresh).isGreaterThanOrEqualTo(1);
    // cumulative, like histogram buckets
    assertThat(gauge("calsync.sync.calendars.synced.within", "le", "300"))
        .isGreaterThanOrEqualTo(fresh);
    assertThat(gauge("calsync.sync.calendars.synced.within", "le", "+Inf"))
        .isGreaterThanOrEqualTo(gauge("calsync.sync.calendars.synced.within", "le", "21600"));

    // two hours later, with no sync meanwhile, this calendar is stale beyond an hour
    clock.advance(Duration.ofHours(2));
    gauges.refresh().as(StepVerifier::create).verifyComplete();

    assertThat(gauge("calsync.sync.calendar.oldest.success.age", null, null))
        .isGreaterThanOrEqualTo(Duration.ofHours(2).toSeconds());
    assertThat(
            gauge("calsync.sync.calendars.synced.within", "le", "+Inf")
                - gauge("calsync.sync.calendars.synced.within", "le", "3600"))
        .isGreaterThanOrEqualTo(1);
    assertThat(gauge("calsync.sync.calendars.synced.within", "le", "21600"))
        .isGreaterThanOrEqualTo(1);
  }

  private double gauge(String name, String tag, String value) {
    var search = meters.find(name);
    return (tag == null ? search : search.tag(tag, value)).gauge().value();
  }
}
