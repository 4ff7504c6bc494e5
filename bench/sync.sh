#!/usr/bin/env bash
# Keeping an index in sync, in one run on one copy of a corpus (each step a separate `ingest` process,
# wall time measured around it, counts from its --json report):
#   1. first ingest of the corpus into an empty index
#   2. re-ingest of the unchanged corpus            (target: at most 5% of step 1's time)
#   3. re-ingest after one file changed: a paragraph inserted at its top (only its changed chunks embedded)
# The jar is copied before the first step, so a rebuild in the source tree cannot touch the run.
# Usage: bench/sync.sh CORPUS_DIR [EMBEDDER=minilm-q]    (output kept in docs/bench/sync.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${1:?usage: bench/sync.sh CORPUS_DIR [EMBEDDER]}"
embedder="${2:-minilm-q}"
"$root/bin/funcpipe" --help >/dev/null 2>&1   # builds the jar when sources changed
jdk="$("$root/bin/find-jdk")"
work="$(mktemp -d "${TMPDIR:-/tmp}/funcpipe-sync-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -r "$root/target/lib" "$work/lib"
cp "$root/target/funcpipe.jar" "$work/funcpipe.jar"
cp -r "$corpus" "$work/corpus"

ingest() { # label
  local start end
  start="$(date +%s%N)"
  "$jdk/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -Dfuncpipe.tty=false -Dfuncpipe.stdout.tty=false -jar "$work/funcpipe.jar" \
    ingest "$work/corpus" --index "$work/index" --embedder "$embedder" --json >"$work/$1.json" 2>"$work/$1.err" || {
      echo "ingest ($1) failed:" >&2; tail -5 "$work/$1.err" >&2; exit 1; }
  end="$(date +%s%N)"
  echo $(( (end - start) / 1000000 )) >"$work/$1.ms"
}

report() { # label
  python3 - "$work/$1.json" "$(cat "$work/$1.ms")" "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); ms = int(sys.argv[2]); s = r["sync"]
print(f"| {sys.argv[3]} | {ms/1000:.1f} | {r['documentsRead']} | {s['documentsAdded']} | {s['documentsUpdated']} | "
      f"{s['documentsUnchanged']} | {r['chunksIndexed']} | {s['chunksEmbedded']} | {s['chunksReused']} | {s['chunksDeleted']} |")
PY
}

ingest first
ingest unchanged
changed="$(ls "$work/corpus" | sort | sed -n '100p')"
{ echo "A new paragraph, inserted at the top of this speech for the benchmark."; echo; cat "$work/corpus/$changed"; } \
  >"$work/changed.tmp" && mv "$work/changed.tmp" "$work/corpus/$changed"
ingest one-changed

echo "corpus: $corpus ($(ls "$work/corpus" | wc -l) files), embedder: $embedder, changed file: $changed"
echo "| step | wall s | docs read | added | updated | unchanged | chunks indexed | embedded | reused | chunks deleted |"
echo "|---|---|---|---|---|---|---|---|---|---|"
report first; report unchanged; report one-changed
python3 - "$(cat "$work/first.ms")" "$(cat "$work/unchanged.ms")" "$(cat "$work/one-changed.ms")" <<'PY'
import sys
first, unchanged, changed = map(int, sys.argv[1:])
print(f"unchanged re-ingest: {100*unchanged/first:.1f}% of the first ingest's time (target <= 5%); "
      f"one changed: {100*changed/first:.1f}%")
PY
