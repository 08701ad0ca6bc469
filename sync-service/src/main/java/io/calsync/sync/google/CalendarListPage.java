package io.calsync.sync.google;

import io.calsync.sync.model.CalendarAttributes;
import java.util.List;

/** One page of {@code calendarList.list}, mapped to what the platform keeps of each calendar. */
public record CalendarListPage(List<CalendarAttributes> items, String nextPageToken) {}
