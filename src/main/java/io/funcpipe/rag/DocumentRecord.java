package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What the index knows of one document, stored in the index beside its chunks (so both commit
 * together): what was indexed and how, so that a later ingest can tell an unchanged document
 * without cleaning or embedding it.
 *
 * @param id          the document id, unique within the index (see docs/formats.md, document identity)
 * @param root        the source root it was read under: an absolute path, or a URL
 * @param location    where it was read, as the run named it
 * @param contentHash the hash of what was indexed: the text and metadata as read ({@link ContentHash#of(RawDoc)})
 * @param chunkIds    its chunks' ids, in order
 * @param embedder    the embedder that made the vectors
 * @param chunking    the chunking options the chunks were cut with
 * @param time        when it was written
 */
public record DocumentRecord(String id, String root, String location, String contentHash, List<String> chunkIds,
                             String embedder, String chunking, Instant time) {

    public DocumentRecord {
        requireNonNull(id, "id");
        requireNonNull(root, "root");
        requireNonNull(location, "location");
        requireNonNull(contentHash, "contentHash");
        chunkIds = List.copyOf(chunkIds);
        requireNonNull(embedder, "embedder");
        requireNonNull(chunking, "chunking");
        requireNonNull(time, "time");
    }

    /** Whether a document read with {@code contentHash} under these options would be indexed the same. */
    public boolean same(String contentHash, String embedder, String chunking) {
        return this.contentHash.equals(contentHash) && this.embedder.equals(embedder) && this.chunking.equals(chunking);
    }

    /** This record with the chunk ids it is written with. */
    public DocumentRecord withChunkIds(List<String> chunkIds) {
        return new DocumentRecord(id, root, location, contentHash, chunkIds, embedder, chunking, time);
    }
}
