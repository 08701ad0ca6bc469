package io.calsync.contract.http;

import java.util.List;

/** {@code GET /api/calendar/connections/}. */
public record ConnectionsResponse(List<ConnectionResponse> connections) {}
