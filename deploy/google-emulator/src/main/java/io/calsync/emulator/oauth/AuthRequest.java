package io.calsync.emulator.oauth;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parameters of one authorization request. */
record AuthRequest(
    String clientId,
    String redirectUri,
    String responseType,
    String scope,
    String state,
    String accessType,
    String prompt,
    String loginHint,
    String includeGrantedScopes,
    String codeChallenge,
    String codeChallengeMethod) {

  static AuthRequest from(Map<String, String> p) {
    return new AuthRequest(
        p.get("client_id"),
        p.get("redirect_uri"),
        p.get("response_type"),
        p.get("scope"),
        p.get("state"),
        p.get("access_type"),
        p.get("prompt"),
        p.get("login_hint"),
        p.get("include_granted_scopes"),
        p.get("code_challenge"),
        p.get("code_challenge_method"));
  }

  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("client_id", clientId);
    m.put("redirect_uri", redirectUri);
    m.put("response_type", responseType);
    m.put("scope", scope);
    m.put("state", state);
    m.put("access_type", accessType);
    m.put("prompt", prompt);
    m.put("include_granted_scopes", includeGrantedScopes);
    m.put("code_challenge", codeChallenge);
    m.put("code_challenge_method", codeChallengeMethod);
    m.values().removeIf(v -> v == null);
    return m;
  }

  boolean forcedConsent() {
    return prompt != null && Arrays.asList(prompt.split(" ")).contains("consent");
  }
}
