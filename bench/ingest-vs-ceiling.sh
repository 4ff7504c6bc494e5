#!/usr/bin/env bash
# Ingests the first FILES files of DIR with MiniLM and prints the pipeline's throughput (MB/s,
# tokens/s, chunks/s) beside the model-alone ceiling for the same chunks, from the same run.
# The two are measured in alternating rounds (ceiling, pipeline, ceiling, ...) so that load from
# other processes hits both alike; the ratio compares the best round of each and, per round, the
# pipeline with the mean of the ceilings measured just before and after it.
# MODEL: minilm (default), minilm-q or bge-small-q.
# Usage: bench/ingest-vs-ceiling.sh [DIR=../shared/data/sotu] [FILES=30] [SESSIONS=cores] [EMBED_BATCH=8] [ROUNDS=3] [MODEL=minilm]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
dir="${1:-$root/../shared/data/sotu}"
"$java" "${jvm_opts[@]}" -cp "$cp" io.funcpipe.bench.IngestVsCeiling "$dir" "${2:-30}" "${3:-$(nproc)}" "${4:-8}" "${5:-3}" "${6:-minilm}"
