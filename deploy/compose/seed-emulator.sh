#!/bin/sh
# docker-compose.yml's one-shot seed of the Google emulator, as the local stack does it: the demo
# account with two weeks of events in its primary calendar (the emulator's admin API).
set -eu
emulator=http://google-emulator:8090
curl -fsS -X POST "$emulator/emulator/v1/accounts" \
  -H 'Content-Type: application/json' -d '{"email":"demo@example.com"}' >/dev/null
curl -fsS -X POST "$emulator/emulator/v1/accounts/demo%40example.com/seed" \
  -H 'Content-Type: application/json' \
  -d '{"calendar_id":"primary","events":30,"days":14}' >/dev/null
echo "Seeded demo@example.com with two weeks of events"
