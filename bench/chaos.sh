#!/usr/bin/env bash
# Faults against real FuncPipe service processes on 127.0.0.1 (kill -9 and SIGTERM of the
# supervisor/index node with a restart, kill -9 of an embed-only node, of the node holding a job's
# source session, and of the last parse node), printing per fault the job's end state, the chunks
# a fault-free run indexed beside the chunks the faulted job's index holds, and the time to recover.
# Usage: bench/chaos.sh [FILES=600]      (output kept in docs/bench/chaos.md)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
exec "$java" "${jvm_opts[@]}" -cp "$cp" -Djava.class.path="$cp" io.funcpipe.bench.Chaos "${1:-600}"
