# sync-service: read its own secrets (database and Kafka passwords, the service client secret), nothing else.
path "secret/data/sync-service" {
  capabilities = ["read"]
}
