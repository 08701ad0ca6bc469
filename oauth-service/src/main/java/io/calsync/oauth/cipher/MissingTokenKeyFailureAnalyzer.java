package io.calsync.oauth.cipher;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing token key into Spring Boot's "APPLICATION FAILED TO START" report. */
class MissingTokenKeyFailureAnalyzer extends AbstractFailureAnalyzer<MissingTokenKeyException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingTokenKeyException cause) {
    return new FailureAnalysis(
        "No token encryption key is configured (TOKEN_ENCRYPTION_KEY is empty) and Vault is off"
            + " (VAULT_ENABLED=false), so Google tokens could not be encrypted at rest.",
        MissingTokenKeyException.ACTION,
        cause);
  }
}
