package io.calsync.contract.http;

import java.util.UUID;

/** One calendar of one of the caller's connections; {@code id} is the platform's calendar id. */
public record CalendarResponse(
    UUID id,
    UUID connectionId,
    String name,
    boolean primary,
    String color,
    String timeZone,
    String accessRole,
    boolean selected) {}
