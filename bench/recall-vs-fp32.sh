#!/usr/bin/env bash
# What the int8 MiniLM costs in retrieval: recall@10 of its neighbours against the fp32 model's, for
# QUERIES sentences sampled from the corpus, over every .txt file of DIR (exact search, so only the
# model differs). Embeds the whole corpus twice: about 10 minutes for the 233 speeches on 2 cores.
# Usage: bench/recall-vs-fp32.sh [DIR=../shared/data/sotu] [QUERIES=200] [MODEL=minilm-q]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
dir="${1:-$root/../shared/data/sotu}"
echo "load at start:$(uptime | sed 's/.*load average//')"
"$java" "${jvm_opts[@]}" -cp "$cp" io.funcpipe.bench.RecallVsFp32 "$dir" "${2:-200}" "${3:-minilm-q}"
echo "load at end:$(uptime | sed 's/.*load average//')"
