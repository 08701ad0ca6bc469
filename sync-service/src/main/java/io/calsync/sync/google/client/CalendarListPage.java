package io.calsync.sync.google.client;

import com.google.api.services.calendar.model.CalendarListEntry;
import java.util.List;

/** One page of {@code calendarList.list}. */
public record CalendarListPage(List<CalendarListEntry> items, String nextPageToken) {}
