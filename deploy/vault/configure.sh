#!/bin/sh
# Configures a Vault for the platform (root README, Kubernetes and Vault): the KV engine for each
# service's secrets, the transit engine and oauth-service's key, one least-privilege policy per
# service (policies/), and, when KUBERNETES_HOST is set, Kubernetes auth with one role per
# service account. Idempotent. Needs the vault CLI, VAULT_ADDR and a token allowed to do all that.
set -eu
cd "$(dirname "$0")"

vault secrets list | grep -q '^secret/' || vault secrets enable -path=secret kv-v2
vault secrets list | grep -q '^transit/' || vault secrets enable transit
vault read transit/keys/oauth-tokens >/dev/null 2>&1 || vault write -f transit/keys/oauth-tokens type=aes256-gcm96

for service in oauth-service sync-service events-query-service; do
  vault policy write "$service" "policies/$service.hcl"
done

if [ -n "${KUBERNETES_HOST:-}" ]; then
  vault auth list | grep -q '^kubernetes/' || vault auth enable kubernetes
  vault write auth/kubernetes/config kubernetes_host="$KUBERNETES_HOST"
  for service in oauth-service sync-service events-query-service; do
    vault write "auth/kubernetes/role/$service" \
      bound_service_account_names="$service" \
      bound_service_account_namespaces="${KUBERNETES_NAMESPACE:-calsync}" \
      policies="$service" ttl=1h
  done
fi
