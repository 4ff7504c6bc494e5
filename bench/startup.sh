#!/usr/bin/env bash
# Start-up of a one-shot `funcpipe ingest`: one small file (the first of DIR) with MODEL, ROUNDS
# times with the AppCDS archive of bin/funcpipe and without (FUNCPIPE_CDS=off), alternating. Prints
# wall and CPU time of each whole process (JVM start, model load, the few chunks, commit) and the
# medians side by side; the archive is written by a first run before the rounds.
# Usage: bench/startup.sh [DIR=../shared/data/sotu] [MODEL=minilm-q] [ROUNDS=5]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/../shared/data/sotu}"
model="${2:-minilm-q}"
rounds="${3:-5}"
file="$(find "$dir" -maxdepth 1 -type f -print | LC_ALL=C sort | head -n 1)"
work="$(mktemp -d "${TMPDIR:-/tmp}/funcpipe-startup.XXXXXX")"
trap 'rm -rf "$work"' EXIT
echo "startup: ingest of $file ($(wc -c <"$file") bytes) with $model, $rounds rounds; load:$(uptime | sed 's/.*load average//')"
"$root/bin/funcpipe" ingest "$file" --index "$work/warm" --embedder "$model" >/dev/null 2>&1   # builds the jar and the archive
: >"$work/t.tsv"
for ((r = 1; r <= rounds; r++)); do
  for cds in off on; do
    rm -rf "$work/index"
    FUNCPIPE_CDS=$cds /usr/bin/time -f "%e %U %S" -o "$work/time" \
      "$root/bin/funcpipe" ingest "$file" --index "$work/index" --embedder "$model" >/dev/null 2>"$work/err" \
      || { cat "$work/err"; exit 1; }
    read -r wall user sys <"$work/time"
    echo "$cds $wall $user $sys" >>"$work/t.tsv"
    printf 'round %d cds=%-3s wall %5.2f s  CPU %5.2f s\n' "$r" "$cds" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
  done
done
echo "load at end:$(uptime | sed 's/.*load average//')"
python3 - "$work/t.tsv" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = lambda cds, f: statistics.median(f(r) for r in rows if r[0] == cds)
for name, f in (('wall', lambda r: float(r[1])), ('CPU', lambda r: float(r[2]) + float(r[3]))):
    off, on = med('off', f), med('on', f)
    print('median %-4s: without AppCDS %.2f s, with %.2f s = %.2fx' % (name, off, on, on / off))
PY
