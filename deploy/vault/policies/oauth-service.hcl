# oauth-service: its own secrets, and the transit key that encrypts Google tokens. It can encrypt
# and decrypt with the key and read its versions, never export, rotate or delete it.
path "secret/data/oauth-service" {
  capabilities = ["read"]
}
path "transit/encrypt/oauth-tokens" {
  capabilities = ["update"]
}
path "transit/decrypt/oauth-tokens" {
  capabilities = ["update"]
}
path "transit/keys/oauth-tokens" {
  capabilities = ["read"]
}
