#!/bin/sh
# docker-compose.yml: creates the platform's three databases, each owned by its own user, the first
# time PostgreSQL starts on an empty volume (the image runs /docker-entrypoint-initdb.d/*.sh then).
# The passwords come from the environment; each service reads its own from Vault (vault-init.sh).
set -eu

create() {
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v name="$1" -v password="$2" <<'SQL'
CREATE USER :"name" WITH PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
SQL
}

create oauth "$OAUTH_DB_PASSWORD"
create sync "$SYNC_DB_PASSWORD"
create events "$EVENTS_DB_PASSWORD"
