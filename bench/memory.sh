#!/usr/bin/env bash
# Streams a generated JSONL of SIZE_MB (default 1024) through 'funcpipe ingest' with the hashing
# embedder under -Xmx256m and prints the peak RSS and MB/s, as measured by /usr/bin/time.
# Usage: bench/memory.sh [SIZE_MB=1024] [WORK_DIR=/tmp/funcpipe-memory] [SAMPLE_DIR=samples/sotu]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
size="${1:-1024}"
work="${2:-/tmp/funcpipe-memory}"
samples="${3:-$root/samples/sotu}"
mkdir -p "$work"
input="$work/input-${size}mb.jsonl"
[ -f "$input" ] || "$java" -cp "$cp" io.funcpipe.bench.GenerateJsonl "$input" "$size" "$samples"
rm -rf "$work/index"
/usr/bin/time -v "$java" "${jvm_opts[@]}" -Xmx256m -jar "$root/target/funcpipe.jar" ingest "$input" --embedder hash \
  --index "$work/index" --json > "$work/report.json" 2> "$work/time.txt" || { tail -20 "$work/time.txt"; exit 1; }
rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")"
wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")"
bytes="$(stat -c %s "$input")"
echo "input: $input ($((bytes / 1000000)) MB); heap limit -Xmx256m"
echo "report: $(cat "$work/report.json")"
awk -v kb="$rss_kb" -v b="$bytes" -v w="$wall" 'BEGIN {
  n = split(w, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
  printf "peak RSS: %.0f MB; wall: %s (%.1f s); throughput: %.2f MB/s\n", kb / 1024, w, s, b / 1e6 / s }'
