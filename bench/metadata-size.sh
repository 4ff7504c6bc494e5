#!/usr/bin/env bash
# Index bytes on disk for RECORDS records of CHUNKS chunks each with METADATA_BYTES of metadata per
# record: without metadata, with metadata stored once per document (today's layout) and with it in
# every chunk (the layout before, written by the benchmark as a replica). One run, printed.
# Usage: bench/metadata-size.sh [RECORDS=200] [CHUNKS=50] [METADATA_BYTES=60000] [WORK_DIR=target/bench-metadata-size]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
"$java" "${jvm_opts[@]}" -Xmx1g -cp "$cp" io.funcpipe.bench.MetadataSizeBench "${1:-200}" "${2:-50}" "${3:-60000}" \
  "${4:-$root/target/bench-metadata-size}"
