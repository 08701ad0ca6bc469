package io.calsync.sync.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.sync.trigger.PushNotifications;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Google's push webhook: open (no JWT; the channel token is the credential), always 200 right away,
 * whatever the notification is. The sync it may request runs later on the worker.
 */
@RestController
class NotificationController {

  private final PushNotifications notifications;

  NotificationController(PushNotifications notifications) {
    this.notifications = notifications;
  }

  @PostMapping({ApiPaths.GOOGLE_NOTIFICATIONS, "/api/calendar/google/notifications"})
  Mono<ResponseEntity<Void>> notify(
      @RequestHeader(name = "X-Goog-Channel-ID", required = false) String channelId,
      @RequestHeader(name = "X-Goog-Channel-Token", required = false) String token,
      @RequestHeader(name = "X-Goog-Resource-State", required = false) String state) {
    return notifications
        .handle(channelId, token, state)
        .thenReturn(ResponseEntity.ok().<Void>build());
  }
}
