package io.calsync.contract.http;

/** {@code GET /api/calendar/google/authorize/}: where to send the browser to consent at Google. */
public record AuthorizationUrlResponse(String authorizationUrl) {}
