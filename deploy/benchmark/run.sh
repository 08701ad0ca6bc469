#!/usr/bin/env bash
# Runs the benchmark suite (root README, Performance): builds the platform, starts the local stack on free
# ports and writes deploy/benchmark/target/benchmark-report.md. Takes a quiet machine and about 20
# minutes at full size; BENCHMARK_SCALE=0.1 runs every stage at a tenth of its size for a quick look.
# Extra arguments go to Maven, e.g. -Dtest=UpcomingEventsBenchmark for one stage.
set -euo pipefail
cd "$(dirname "$0")/../.."

./mvnw -B -q -DskipTests install
./mvnw -B -Pbenchmark -pl deploy/benchmark verify -Dbenchmark.scale="${BENCHMARK_SCALE:-1.0}" "$@"
echo "Report: deploy/benchmark/target/benchmark-report.md"
