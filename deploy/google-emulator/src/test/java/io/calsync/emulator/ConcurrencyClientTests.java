package io.calsync.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Parallel writers and readers on one calendar: nothing lost, sync tokens stay consistent. */
class ConcurrencyClientTests {

  @Test
  void parallelInsertsAndDeletesAreAllSeenByFullPlusIncrementalSync() throws Exception {
    try (GoogleEmulator emulator = GoogleEmulator.start(EmulatorOptions.defaults())) {
      EmulatorClient client = new EmulatorClient(emulator);
      String token = client.accessToken("parallel@example.com");
      Calendar calendar = client.calendar(token);
      String syncToken = calendar.events().list("primary").execute().getNextSyncToken();

      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Callable<String>> writers = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
          int n = i;
          writers.add(
              () -> {
                Event event =
                    calendar
                        .events()
                        .insert(
                            "primary",
                            new Event()
                                .setSummary("P" + n)
                                .setStart(
                                    new EventDateTime()
                                        .setDateTime(new DateTime("2026-12-01T10:00:00Z")))
                                .setEnd(
                                    new EventDateTime()
                                        .setDateTime(new DateTime("2026-12-01T11:00:00Z"))))
                        .execute();
                if (n % 4 == 0) {
                  calendar.events().delete("primary", event.getId()).execute();
                }
                calendar.events().list("primary").setMaxResults(7).execute();
                return event.getId();
              });
        }
        Set<String> ids = new HashSet<>();
        for (Future<String> f : pool.invokeAll(writers)) {
          ids.add(f.get());
        }
        assertThat(ids).hasSize(80);

        Set<String> live = new HashSet<>();
        String pageToken = null;
        do {
          Events page =
              calendar.events().list("primary").setMaxResults(9).setPageToken(pageToken).execute();
          page.getItems().forEach(e -> live.add(e.getId()));
          pageToken = page.getNextPageToken();
        } while (pageToken != null);
        assertThat(live).hasSize(60);

        Set<String> changed = new HashSet<>();
        Set<String> cancelled = new HashSet<>();
        pageToken = null;
        do {
          Events page =
              calendar
                  .events()
                  .list("primary")
                  .setSyncToken(syncToken)
                  .setMaxResults(11)
                  .setPageToken(pageToken)
                  .execute();
          page.getItems()
              .forEach(
                  e -> {
                    changed.add(e.getId());
                    if ("cancelled".equals(e.getStatus())) {
                      cancelled.add(e.getId());
                    }
                  });
          pageToken = page.getNextPageToken();
        } while (pageToken != null);
        assertThat(changed).isEqualTo(ids);
        assertThat(cancelled).hasSize(20);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
