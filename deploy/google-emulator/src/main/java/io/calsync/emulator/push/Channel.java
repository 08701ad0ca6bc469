package io.calsync.emulator.push;

import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Sinks;

/** One watch channel: notifications for one calendar's events, delivered in order. */
final class Channel {

  final String id;
  final String resourceId;
  final String resourceUri;
  final String calendarId;
  final String email;
  final String address;
  final String token;
  final long expirationMillis;
  final AtomicBoolean stopped = new AtomicBoolean();
  final Sinks.Many<String> states = Sinks.many().unicast().onBackpressureBuffer();
  long messageNumber;

  Channel(
      String id,
      String resourceId,
      String resourceUri,
      String calendarId,
      String email,
      String address,
      String token,
      long expirationMillis) {
    this.id = id;
    this.resourceId = resourceId;
    this.resourceUri = resourceUri;
    this.calendarId = calendarId;
    this.email = email;
    this.address = address;
    this.token = token;
    this.expirationMillis = expirationMillis;
  }
}
