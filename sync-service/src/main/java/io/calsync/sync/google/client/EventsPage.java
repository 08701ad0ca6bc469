package io.calsync.sync.google.client;

import com.google.api.services.calendar.model.Event;
import java.util.List;

/** One page of {@code events.list}: exactly one of the two tokens is set (facts §2.4). */
public record EventsPage(List<Event> items, String nextPageToken, String nextSyncToken) {}
