package io.calsync.sync.web;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.http.SyncStatusResponse;
import io.calsync.sync.usecase.SyncStatusService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class SyncStatusController {

  private final SyncStatusService service;

  SyncStatusController(SyncStatusService service) {
    this.service = service;
  }

  @GetMapping({ApiPaths.SYNC_STATUS, "/api/calendar/sync/status"})
  Mono<SyncStatusResponse> status(@AuthenticationPrincipal Jwt jwt) {
    return service.statusOf(jwt.getSubject());
  }
}
