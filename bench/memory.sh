#!/usr/bin/env bash
# Streams a generated JSONL of SIZE_MB (default 1024) through 'funcpipe ingest' with the hashing
# embedder under -Xmx256m and prints the peak RSS (from /usr/bin/time) and MB/s. RSS counts the
# pages of the memory-mapped index files the process touched (Lucene reads segments through
# mmap; those pages are the kernel's page cache, reclaimable), so the script also samples
# /proc/PID/status every 0.2 s and prints the peak of the anonymous part (heap, JVM, native
# buffers: what the process itself holds) beside the file-backed part.
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
  --index "$work/index" --json > "$work/report.json" 2> "$work/time.txt" &
timer=$!
# the JVM is the child of /usr/bin/time
pid=""
while [ -z "$pid" ] && kill -0 "$timer" 2>/dev/null; do pid="$(pgrep -P "$timer" || true)"; sleep 0.05; done
peak_anon=0; peak_file=0
while [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; do
  read -r anon file < <(awk '/^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} /^RssShmem:/ {f+=$2} END {print a+0, f+0}' \
    "/proc/$pid/status" 2>/dev/null || echo "0 0")
  [ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
  [ "$file" -gt "$peak_file" ] && peak_file=$file
  sleep 0.2
done
wait "$timer" || { tail -20 "$work/time.txt"; exit 1; }
rss_kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")"
wall="$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")"
bytes="$(stat -c %s "$input")"
echo "input: $input ($((bytes / 1000000)) MB); heap limit -Xmx256m"
echo "report: $(cat "$work/report.json")"
awk -v kb="$rss_kb" -v b="$bytes" -v w="$wall" -v anon="$peak_anon" -v file="$peak_file" 'BEGIN {
  n = split(w, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
  printf "peak RSS: %.0f MB (sampled peaks: anonymous %.0f MB, file-backed %.0f MB); wall: %s (%.1f s); throughput: %.2f MB/s\n",
    kb / 1024, anon / 1024, file / 1024, w, s, b / 1e6 / s }'
