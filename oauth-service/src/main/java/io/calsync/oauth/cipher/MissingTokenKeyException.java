package io.calsync.oauth.cipher;

/** Neither a token encryption key nor Vault is configured, and no development key was asked for. */
class MissingTokenKeyException extends IllegalStateException {

  static final String ACTION =
      "Set TOKEN_ENCRYPTION_KEY (calsync.token.cipher.key) to the base64 of 32 random bytes"
          + " (e.g. `openssl rand -base64 32`), or set VAULT_ENABLED=true to encrypt with Vault transit."
          + " For a local development stack only, TOKEN_GENERATE_DEV_KEY=true"
          + " (calsync.token.cipher.generate-dev-key) generates a key file instead.";

  MissingTokenKeyException() {
    super(
        "oauth-service refuses to start without a token encryption key: TOKEN_ENCRYPTION_KEY is empty and"
            + " Vault is off (VAULT_ENABLED=false). "
            + ACTION);
  }
}
