package io.funcpipe.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.SyncMode;
import io.funcpipe.rag.SyncOptions;

/**
 * What an ingest says before it starts when it will not simply follow the changes: documents
 * chunked otherwise will all be re-chunked and re-embedded, or a full sync that continues an
 * interrupted run will delete nothing. (An index of another embedder is refused earlier, saying how
 * to go on: {@code IndexManifest.requireCompatible}.)
 */
final class SyncNotice {

    private SyncNotice() {
    }

    static Optional<String> before(LuceneVectorIndex index, SyncOptions sync, String embedder, Checkpoint base) {
        StringBuilder note = new StringBuilder();
        if (sync.mode() != SyncMode.NONE) {
            long other = 0;
            StringBuilder labels = new StringBuilder();
            for (Map.Entry<String, Long> e : index.chunkings().entrySet()) {
                if (!e.getKey().equals(sync.chunking())) {
                    other += e.getValue();
                    labels.append(labels.isEmpty() ? "" : ", ").append(e.getKey());
                }
            }
            if (other > 0) {
                note.append(String.format(Locale.ROOT, "note: %,d documents of %s were chunked with %s, this run chunks "
                        + "with %s: each of them it reads is re-chunked and re-embedded with %s (the old chunks are "
                        + "replaced); to keep them as they are, use the options they were ingested with or another --index",
                        other, index.path(), labels, sync.chunking(), embedder));
            }
        }
        if (sync.mode() == SyncMode.FULL && !base.atStart()) {
            note.append(note.isEmpty() ? "" : System.lineSeparator()).append("note: --sync full continues an "
                    + "interrupted run, which does not know every document the first attempt read: it deletes "
                    + "nothing; run the same command again once it completed to delete the documents that are gone");
        }
        return note.isEmpty() ? Optional.empty() : Optional.of(note.toString());
    }
}
