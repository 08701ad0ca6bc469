package io.calsync.emulator.calendar;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of events: exactly one of nextPageToken / nextSyncToken is set (neither when ordered).
 */
record ListResult(List<ObjectNode> items, String nextPageToken, String nextSyncToken) {}
