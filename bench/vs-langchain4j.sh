#!/usr/bin/env bash
# FuncPipe against LangChain4j's idiomatic ingestion, on the same files, in one run.
#
# Round after round, each program runs as its own process on the first FILES files of DIR:
#   lc4j      io.funcpipe.bench.LangChainIngest: FileSystemDocumentLoader, DocumentSplitters.recursive(1000, 100),
#             AllMiniLmL6V2EmbeddingModel, InMemoryEmbeddingStore, EmbeddingStoreIngestor.ingest
#   <model>   bin/funcpipe ingest FILES... --embedder <model> --json   (into a fresh temporary index)
#   alone:<model>  io.funcpipe.bench.ModelAlone: the same chunks embedded by the model alone (one
#             single-threaded session, one lane per core, batch 1), one-shot too: the pipeline's ceiling
# and the order is rotated every round, so that load from other processes hits all of them alike.
# For each run it prints embedded tokens/s (tokens the model ran on, [CLS]/[SEP] included, over the
# ingestion time each program reports, model load excluded), input MB/s, the share of the text's
# word pieces that were truncated away (never embedded), peak RSS and wall time of the whole process
# (JVM start and model load included, from /usr/bin/time), then medians and the ratios to LangChain4j.
#
# Usage: bench/vs-langchain4j.sh [DIR=../shared/data/sotu] [FILES=30] [ROUNDS=3] [MODELS="minilm minilm-q"]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
dir="${1:-$root/../shared/data/sotu}"
files="${2:-30}"
rounds="${3:-3}"
models="${4:-minilm minilm-q}"
[ -x /usr/bin/time ] || { echo "vs-langchain4j: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -d "$dir" ] || { echo "vs-langchain4j: $dir is not a folder of text files" >&2; exit 1; }

mapfile -t inputs < <(find "$dir" -maxdepth 1 -type f -print | LC_ALL=C sort | head -n "$files")
work="$(mktemp -d "${TMPDIR:-/tmp}/funcpipe-vs-lc4j.XXXXXX")"
trap 'rm -rf "$work" "$snapshot"' EXIT
results="$work/results.tsv"
: >"$results"

echo "vs-langchain4j: ${#inputs[@]} files of $dir, $rounds rounds, programs: lc4j $models; $(nproc) cores"
echo "java: $("$java" -version 2>&1 | head -1)"
echo "load at start:$(uptime | sed 's/.*load average//')"

# one run: <round> <program>; appends "round program seconds tokens bytes truncated_share wall rss_kb truncations"
run() {
  local round="$1" program="$2" timing="$work/time.txt" out="$work/out.txt" err="$work/err.txt"
  if [[ "$program" == alone:* ]]; then
    /usr/bin/time -f 'wall=%e rss_kb=%M' -o "$timing" \
      "$java" "${jvm_opts[@]}" -cp "$cp" io.funcpipe.bench.ModelAlone "$dir" "$files" "${program#alone:}" >"$out" 2>"$err" \
      || { echo "$program failed:"; cat "$err"; exit 1; }
    python3 - "$round" "$program" "$out" "$timing" >>"$results" <<'EOF'
import sys
round_, program, out, timing = sys.argv[1:]
kv = dict(p.split('=', 1) for p in open(out).read().split() if '=' in p)
t = dict(p.split('=', 1) for p in open(timing).read().split()[-2:])
print(round_, program, kv['seconds'], kv['tokens'], kv['bytes'], '0' if kv['truncations'] == '0' else 'nan', t['wall'],
      t['rss_kb'], kv['truncations'], sep='\t')
EOF
  elif [ "$program" = lc4j ]; then
    /usr/bin/time -f 'wall=%e rss_kb=%M' -o "$timing" \
      "$java" "${jvm_opts[@]}" -cp "$cp" io.funcpipe.bench.LangChainIngest "$dir" "$files" >"$out" 2>"$err" \
      || { echo "lc4j failed:"; cat "$err"; exit 1; }
    python3 - "$round" "$out" "$timing" >>"$results" <<'EOF'
import re, sys
round_, out, timing = sys.argv[1:]
kv = dict(p.split('=', 1) for p in open(out).read().split() if '=' in p)
t = dict(p.split('=', 1) for p in open(timing).read().split()[-2:])
print(round_, 'lc4j', kv['seconds'], kv['embedded_tokens'], kv['bytes'], kv['truncated_share'], t['wall'], t['rss_kb'],
      kv['truncated_segments'], sep='\t')
EOF
  else
    local index="$work/index-$program-$round"
    /usr/bin/time -f 'wall=%e rss_kb=%M' -o "$timing" \
      "$root/bin/funcpipe" ingest "${inputs[@]}" --index "$index" --embedder "$program" --json >"$out" 2>"$err" \
      || { echo "funcpipe ingest --embedder $program failed:"; cat "$err"; exit 1; }
    rm -rf "$index"
    python3 - "$round" "$program" "$out" "$timing" >>"$results" <<'EOF'
import json, sys
round_, program, out, timing = sys.argv[1:]
r = json.loads(open(out).read().strip().splitlines()[-1])
t = dict(p.split('=', 1) for p in open(timing).read().split()[-2:])
# funcpipe never truncates a chunk it sized; if the model ever did, the share is unknown here: say so
share = '0' if r['truncations'] == 0 else 'nan'
print(round_, program, r['elapsedSeconds'], r['tokens'], r['bytesRead'], share, t['wall'], t['rss_kb'], r['truncations'],
      sep='\t')
EOF
  fi
  tail -n 1 "$results" | awk -F'\t' '{ printf "round %s %-12s %8.0f embedded tokens/s  %.4f MB/s  truncated %5.1f%% (%s)  peak RSS %4.0f MB  wall %5.1f s  (ingest %.1f s, %d tokens)\n",
      $1, $2, $4 / $3, $5 / 1e6 / $3, $6 * 100, ($2 == "lc4j" ? $9 " segments cut" : $9 " chunks cut"), $8 / 1024, $7, $3, $4 }'
}

programs=(lc4j)
for m in $models; do programs+=("$m" "alone:$m"); done
for ((r = 1; r <= rounds; r++)); do
  echo "-- round $r, load:$(uptime | sed 's/.*load average//')"
  n=${#programs[@]}
  for ((i = 0; i < n; i++)); do
    run "$r" "${programs[$(((i + r - 1) % n))]}"
  done
done
echo "load at end:$(uptime | sed 's/.*load average//')"

python3 - "$results" "$models" <<'EOF'
import statistics, sys
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
models = sys.argv[2].split()
targets = {'minilm': 1.5, 'minilm-q': 2.5}
by = {}
for rnd, prog, sec, tok, byt, share, wall, rss, cut in rows:
    by.setdefault(prog, []).append(dict(round=int(rnd), tps=float(tok) / float(sec), mbps=float(byt) / 1e6 / float(sec),
                                        share=float(share), wall=float(wall), rss=float(rss) / 1024,
                                        wall_tps=float(tok) / float(wall)))
med = lambda prog, key: statistics.median(x[key] for x in by[prog])
print()
print('medians over %d rounds:' % len(by['lc4j']))
for prog in ['lc4j'] + [p for m in models for p in (m, 'alone:' + m)]:
    print('  %-12s %7.0f embedded tokens/s  %.4f MB/s  truncated %5.1f%%  peak RSS %4.0f MB  wall %5.1f s  (%5.0f tokens/s of wall time)'
          % (prog, med(prog, 'tps'), med(prog, 'mbps'), med(prog, 'share') * 100, med(prog, 'rss'), med(prog, 'wall'),
             med(prog, 'wall_tps')))
print('ratios to LangChain4j (same round, then medians):')
for prog in models:
    per_round = [m['tps'] / l['tps'] for m, l in zip(sorted(by[prog], key=lambda x: x['round']),
                                                   sorted(by['lc4j'], key=lambda x: x['round']))]
    target = targets.get(prog)
    line = '  %-12s embedded tokens/s %.2fx (rounds %s)' % (prog, statistics.median(per_round),
                                                           ' '.join('%.2f' % x for x in per_round))
    if target:
        line += ', target >= %.1fx: %s' % (target, 'met' if statistics.median(per_round) >= target else 'NOT met')
    line += '; input MB/s %.2fx; tokens/s of wall time %.2fx; peak RSS %.2fx; truncated %.1f%% vs %.1f%%' % (
        med(prog, 'mbps') / med('lc4j', 'mbps'), med(prog, 'wall_tps') / med('lc4j', 'wall_tps'),
        med(prog, 'rss') / med('lc4j', 'rss'), med(prog, 'share') * 100, med('lc4j', 'share') * 100)
    print(line)
print('pipeline against the model alone (same round, then median; target >= 0.95):')
for prog in models:
    pr = sorted(by[prog], key=lambda x: x['round'])
    al = sorted(by['alone:' + prog], key=lambda x: x['round'])
    per_round = [p['tps'] / a['tps'] for p, a in zip(pr, al)]
    print('  %-12s %.2f (rounds %s)' % (prog, statistics.median(per_round), ' '.join('%.2f' % x for x in per_round)))
EOF
