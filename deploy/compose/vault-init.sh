#!/bin/sh
# docker-compose.yml's one-shot Vault setup, run as root token against the dev server:
# deploy/vault/configure.sh (KV, transit engine and oauth-service's key, one policy per service),
# then one token per service bound to that service's policy only, and every secret a service reads in
# its KV path, under the Spring property name it reads (root README, Transport security): its database
# password, oauth-service's Google client secret, sync-service's client secret at the OIDC issuer.
# Kafka runs PLAINTEXT in compose, so there is no SASL password to write. deploy/operations
# ComposeFileTests checks that each service's secrets are written here and none is in its environment.
set -eu

sh /calsync/vault/configure.sh

# service, its token (a fixed id, so the service can be given it in its environment)
token() {
  vault token lookup "$2" >/dev/null 2>&1 ||
    vault token create -id="$2" -policy="$1" -orphan -period=768h -display-name="$1" >/dev/null
}
token oauth-service "$OAUTH_VAULT_TOKEN"
token sync-service "$SYNC_VAULT_TOKEN"
token events-query-service "$EVENTS_VAULT_TOKEN"

vault kv put secret/oauth-service spring.r2dbc.password="$OAUTH_DB_PASSWORD" \
  calsync.google.client-secret="$GOOGLE_CLIENT_SECRET" >/dev/null
vault kv put secret/sync-service spring.r2dbc.password="$SYNC_DB_PASSWORD" \
  calsync.token.client-secret="$SERVICE_CLIENT_SECRET" >/dev/null
vault kv put secret/events-query-service spring.r2dbc.password="$EVENTS_DB_PASSWORD" >/dev/null
echo "Vault configured for the platform"
