#!/usr/bin/env bash
# Items/s through a chain of 3 event-bus stages that do no work: in process (no bus), in one JVM
# (local event bus) and across two JVMs (Hazelcast cluster on 127.0.0.1), printed from one run.
# Usage: bench/transport.sh [ITEMS=4000000] [CLUSTER_ITEMS=1000000] [BATCH=512] [WINDOW=8]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
# The flags Hazelcast asks for on JDK 9+ (the second JVM gets them too, see BenchCluster).
hazelcast_flags=(--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED)
exec "$java" "${hazelcast_flags[@]}" -cp "$cp" io.funcpipe.bench.TransportBench "${1:-4000000}" "${2:-1000000}" "${3:-512}" "${4:-8}"
