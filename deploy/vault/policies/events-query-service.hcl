# events-query-service: read its own secrets (database and Kafka passwords), nothing else.
path "secret/data/events-query-service" {
  capabilities = ["read"]
}
