#!/usr/bin/env bash
# Search latency (p50, p90, p99, mean) for k=10 in vector, keyword and hybrid mode over one index of
# CHUNKS chunks (windows of the corpus's words, hashing embedder), QUERIES queries one at a time,
# printed from one run. Builds the index first (a few minutes for 100,000 chunks on 2 cores) into
# INDEX_DIR, reused when it already holds CHUNKS chunks.
# Usage: bench/search.sh [DIR=../shared/data/sotu] [CHUNKS=100000] [QUERIES=2000] [INDEX_DIR=target/bench-search-index]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
dir="${1:-$root/../shared/data/sotu}"
echo "load at start:$(uptime | sed 's/.*load average//')"
"$java" "${jvm_opts[@]}" -Xmx1g -cp "$cp" io.funcpipe.bench.SearchBench "$dir" "${2:-100000}" "${3:-2000}" \
  "${4:-$root/target/bench-search-index}"
echo "load at end:$(uptime | sed 's/.*load average//')"
