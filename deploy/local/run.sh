#!/usr/bin/env bash
# Starts the whole calendar platform on this machine, with no Docker: embedded PostgreSQL, a
# Kafka node in its own JVM, the development OIDC issuer, the Google emulator (seeded with
# demo@example.com) and the four services. Needs only a JDK 17+. Ctrl-C stops everything.
#
# Every port and URL can be overridden by environment variables; see the README's configuration
# reference. Pass SKIP_BUILD=1 to reuse the jars of an earlier build.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
  echo "Building the platform (./mvnw -DskipTests install)..."
  ./mvnw -B -q -DskipTests install
fi

exec java -Xmx1g -jar deploy/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar "$@"
