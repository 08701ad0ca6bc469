package io.calsync.sync.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.sync.model.CalendarAttributes;
import io.calsync.sync.model.CalendarPalette;
import io.calsync.sync.model.Connection;
import io.calsync.sync.model.SyncedCalendar;
import io.calsync.sync.support.SyncServiceTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A calendar Google gives no colour takes one from the platform's palette (issue 11, item 4): the
 * colour its user's visible calendars use least, the earliest on ties, so that a user's colourless
 * calendars differ, across the user's accounts too; it keeps it through later listings, and the
 * user's own choice still wins. Google's colours are kept as they are.
 */
@SyncServiceTest
class CalendarPaletteApplicationTests {

  @Autowired ConnectionRepository connections;
  @Autowired CalendarRepository calendars;

  private final Instant now = Instant.parse("2026-12-01T09:00:00Z");

  private UUID connect(String user) {
    UUID id = UUID.randomUUID();
    connections.upsert(id, user, id + "@example.com", Connection.ACTIVE, now).block();
    return id;
  }

  private SyncedCalendar list(UUID connection, String providerId, String googleColor) {
    return calendars
        .upsert(
            connection,
            new CalendarAttributes(providerId, providerId, googleColor, "UTC", "reader", false),
            now)
        .block();
  }

  @Test
  void colourlessCalendarsOfAUserTakeDistinctPaletteColoursAndKeepThem() {
    String user = "palette-" + UUID.randomUUID();
    UUID first = connect(user);
    UUID second = connect(user);
    // Google's colour is kept, and counts as used: the palette's first colour goes to no one else
    SyncedCalendar google = list(first, "work", CalendarPalette.COLORS.get(0).toUpperCase());
    assertThat(google.color()).isEqualTo(CalendarPalette.COLORS.get(0).toUpperCase());

    List<String> assigned =
        IntStream.range(0, 9)
            .mapToObj(i -> list(i % 2 == 0 ? first : second, "colourless-" + i, null).color())
            .toList();
    assertThat(assigned)
        .as("the rest of the palette, in order, over both of the user's accounts")
        .containsExactlyElementsOf(CalendarPalette.COLORS.subList(1, 10));

    // the palette exhausted, the least-used colour again (the earliest on ties)
    assertThat(list(first, "eleventh", null).color()).isEqualTo(CalendarPalette.COLORS.get(0));

    // listed again, a calendar keeps its colour; the user's choice wins over it
    assertThat(list(first, "colourless-0", null).color()).isEqualTo(assigned.get(0));
    SyncedCalendar chosen = list(first, "colourless-0", null);
    assertThat(calendars.setUserColor(chosen.id(), "#123456", now).block().color())
        .isEqualTo("#123456");
    assertThat(list(first, "colourless-0", null).color()).isEqualTo("#123456");
  }

  @Test
  void anotherUsersColoursDoNotCount() {
    UUID someone = connect("palette-" + UUID.randomUUID());
    list(someone, "theirs", null);
    UUID mine = connect("palette-" + UUID.randomUUID());
    assertThat(list(mine, "mine", null).color()).isEqualTo(CalendarPalette.COLORS.get(0));
  }
}
