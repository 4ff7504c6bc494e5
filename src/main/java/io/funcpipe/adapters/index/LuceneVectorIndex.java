package io.funcpipe.adapters.index;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.Deletion;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.VectorIndex;

/**
 * A vector index on disk: Lucene HNSW with cosine similarity, one Lucene document per chunk, keyed
 * by chunk id so that upserting the same chunk again replaces it, and one per FuncPipe document
 * holding its {@link DocumentRecord} ({@link DocumentFields}), written with its chunks in one
 * atomic step ({@link #write}); a document's metadata is stored once, in one more Lucene document
 * of its own ({@link MetadataFields}), written by {@link #upsert} and {@link #write} alike, not in
 * each chunk. Searches see upserts at once
 * (near-real-time readers); {@link #commit()} makes them durable, and so does {@link #close()}.
 * Each commit records its time ({@value #COMMIT_TIME}) in Lucene's commit user data and, with
 * {@link #commit(Checkpoint)}, the run's checkpoint ({@link CheckpointJson}), so the checkpoint of
 * a run is durable exactly when the chunks it counts are. The user data keeps the checkpoints of
 * the {@value #MAX_CHECKPOINTS} latest runs.
 * Blocking Lucene calls run on the index's own small pool; failures are {@code INDEX_FAILED} errors.
 * Search scores are cosine similarities (1 = same direction), best first.
 *
 * <pre>{@code
 * LuceneVectorIndex index = LuceneVectorIndex.open(Path.of("funcpipe-index"), 384)
 *         .fold(ok -> ok, err -> { throw new IllegalStateException(err.message()); });
 * try (index) {
 *     index.upsert(chunks).flatMap(n -> index.commit()).open().await().indefinitely();
 * }
 * }</pre>
 */
public final class LuceneVectorIndex implements VectorIndex {

    /** Commit user data key: when the commit was made (ISO-8601). */
    public static final String COMMIT_TIME = "funcpipe.commit.time";
    /** Checkpoints kept in the commit user data; older runs' are dropped first. */
    static final int MAX_CHECKPOINTS = 200;

    private final Path path;
    private final int dimensions;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final IndexWorkers workers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DocumentStore store;
    /** The commit user data the next commit writes; touched on the index's worker only. */
    private final Map<String, String> userData;

    private LuceneVectorIndex(Path path, int dimensions, Directory directory, IndexWriter writer,
                              SearcherManager searchers, Map<String, String> userData) {
        this.userData = userData;
        this.path = path;
        this.dimensions = dimensions;
        this.directory = directory;
        this.writer = writer;
        this.searchers = searchers;
        this.workers = new IndexWorkers(path);
        this.store = new DocumentStore(writer, searchers);
    }

    /**
     * Opens the index in {@code dir} for writing, creating it if needed; an existing index is added
     * to. Errs when the existing index holds vectors of another length, when another writer holds
     * the directory, or on I/O failure.
     */
    public static Result<LuceneVectorIndex> open(Path dir, int dimensions) {
        requireNonNull(dir, "dir");
        if (dimensions <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, got " + dimensions);
        }
        Directory directory = null;
        IndexWriter writer = null;
        try {
            directory = FSDirectory.open(Files.createDirectories(dir));
            OptionalInt existing = IndexDimensions.of(directory);
            if (existing.isPresent() && existing.getAsInt() != dimensions) {
                IOUtils.closeWhileHandlingException(directory);
                return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "the index at " + dir + " holds vectors of "
                        + existing.getAsInt() + " dimensions, but " + dimensions + " were asked for: use the embedder "
                        + "the index was built with, or another index directory"));
            }
            Map<String, String> userData = lastUserData(directory);
            writer = new IndexWriter(directory, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
            return Result.ok(new LuceneVectorIndex(dir, dimensions, directory, writer, new SearcherManager(writer, null),
                    userData));
        } catch (LockObtainFailedException e) {
            IOUtils.closeWhileHandlingException(writer, directory);
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "the index at " + dir + " is locked by another writer "
                    + "(is another ingest running?): wait for it, or use another index directory"));
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(writer, directory);
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "opening the index at " + dir + " failed: " + e));
        }
    }

    /**
     * Opens an existing index for queries only (for example while no ingest runs): {@link #upsert}
     * and {@link #commit} Err; searches see what was committed, refreshed as new commits appear.
     */
    public static Result<LuceneVectorIndex> openReadOnly(Path dir) {
        requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "there is no index at " + dir
                    + " (no such directory): ingest documents into it first, or check the path"));
        }
        Directory directory = null;
        try {
            directory = FSDirectory.open(dir);
            if (!DirectoryReader.indexExists(directory)) {
                IOUtils.closeWhileHandlingException(directory);
                return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "there is no index at " + dir
                        + ": ingest documents into it first, or check the path"));
            }
            int dimensions = IndexDimensions.of(directory).orElse(0);
            return Result.ok(new LuceneVectorIndex(dir, dimensions, directory, null, new SearcherManager(directory, null),
                    lastUserData(directory)));
        } catch (IOException | RuntimeException e) {
            IOUtils.closeWhileHandlingException(directory);
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "opening the index at " + dir + " for queries failed: " + e));
        }
    }

    /** The index directory. */
    public Path path() {
        return path;
    }

    /** The vector length (0 for a read-only index that holds no vector yet). */
    public int dimensions() {
        return dimensions;
    }

    @Override
    public AsyncPlan<Integer> upsert(List<EmbeddedChunk> chunks) {
        List<EmbeddedChunk> copy = List.copyOf(requireNonNull(chunks, "chunks"));
        String what = "upserting " + copy.size() + " chunks";
        return workers.plan(what, () -> {
            if (writer == null) {
                return Result.err(readOnly(what));
            }
            for (EmbeddedChunk chunk : copy) {
                if (chunk.vector().length != dimensions) {
                    return Result.err(workers.failure(what, "chunk " + chunk.chunk().id() + " has a vector of "
                            + chunk.vector().length + " dimensions, the index takes " + dimensions
                            + ": embed with the embedder the index was built with").withKey(chunk.chunk().id())
                            .withLocation(chunk.chunk().location()));
                }
            }
            for (EmbeddedChunk chunk : copy) {
                writer.updateDocument(LuceneFields.key(chunk.chunk().id()), LuceneFields.toDocument(chunk));
            }
            store.putMetadata(MetadataFields.byDocument(copy));
            return Result.ok(copy.size());
        });
    }

    @Override
    public AsyncPlan<Integer> write(List<DocumentWrite> docs, boolean replace) {
        List<DocumentWrite> copy = List.copyOf(requireNonNull(docs, "docs"));
        String what = "writing " + copy.size() + " documents";
        return workers.plan(what, () -> {
            if (writer == null) {
                return Result.err(readOnly(what));
            }
            for (DocumentWrite doc : copy) {
                for (EmbeddedChunk chunk : doc.chunks()) {
                    if (chunk.vector().length != dimensions) {
                        return Result.err(workers.failure(what, "chunk " + chunk.chunk().id() + " has a vector of "
                                + chunk.vector().length + " dimensions, the index takes " + dimensions
                                + ": embed with the embedder the index was built with").withKey(chunk.chunk().id())
                                .withLocation(chunk.chunk().location()));
                    }
                }
            }
            return Result.ok(store.write(copy, replace));
        });
    }

    @Override
    public AsyncPlan<Map<String, DocumentRecord>> documents(Collection<String> ids) {
        List<String> copy = List.copyOf(requireNonNull(ids, "ids"));
        return workers.plan("reading " + copy.size() + " document records", () -> Result.ok(store.records(copy)));
    }

    @Override
    public AsyncPlan<Map<String, float[]>> vectors(Collection<String> textHashes) {
        List<String> copy = List.copyOf(requireNonNull(textHashes, "textHashes"));
        return workers.plan("reading the vectors of " + copy.size() + " texts", () -> Result.ok(store.vectors(copy)));
    }

    @Override
    public AsyncPlan<Deletion> delete(Collection<String> ids) {
        List<String> copy = List.copyOf(requireNonNull(ids, "ids"));
        String what = "deleting " + copy.size() + " documents";
        return workers.plan(what, () -> writer == null ? Result.err(readOnly(what)) : Result.ok(store.delete(copy)));
    }

    @Override
    public AsyncPlan<Deletion> deleteUnseen(Collection<String> roots, Set<String> seen) {
        List<String> scope = List.copyOf(requireNonNull(roots, "roots"));
        Set<String> keep = Set.copyOf(requireNonNull(seen, "seen"));
        String what = "deleting the documents of " + scope + " not seen";
        return workers.plan(what, () -> writer == null ? Result.err(readOnly(what))
                : Result.ok(store.deleteUnseen(scope, keep)));
    }

    /**
     * How many of the index's documents were chunked with each chunking label
     * ({@code ChunkerOptions.label()}). Blocks: call it off event-loop threads.
     */
    public Map<String, Long> chunkings() {
        try {
            return store.chunkings();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the document records of the index at " + path + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Commits with no checkpoint (the user data keeps the runs' earlier ones); the result is Lucene's sequence number. */
    public AsyncPlan<Long> commit() {
        return commitWith(null);
    }

    /** Commits with {@code checkpoint} in the user data; the result is Lucene's sequence number of the commit. */
    @Override
    public AsyncPlan<Long> commit(Checkpoint checkpoint) {
        return commitWith(requireNonNull(checkpoint, "checkpoint"));
    }

    private AsyncPlan<Long> commitWith(Checkpoint checkpoint) {
        return workers.plan("committing", () -> {
            if (writer == null) {
                return Result.err(readOnly("committing"));
            }
            synchronized (userData) {
                if (checkpoint != null) {
                    userData.put(CheckpointJson.userDataKey(checkpoint.key()), CheckpointJson.write(checkpoint));
                    dropOldCheckpoints(userData);
                }
                userData.put(COMMIT_TIME, Instant.now().toString());
                writer.setLiveCommitData(Map.copyOf(userData).entrySet());
            }
            long sequence = writer.commit();
            searchers.maybeRefresh();
            return Result.ok(sequence);
        });
    }

    /** The checkpoint of run {@code key} as of the last commit (for a writable index, the last commit it made). */
    @Override
    public AsyncPlan<Optional<Checkpoint>> checkpoint(String key) {
        requireNonNull(key, "key");
        return workers.plan("reading a checkpoint", () -> {
            String text;
            synchronized (userData) {
                text = userData.get(CheckpointJson.userDataKey(key));
            }
            return Result.ok(text == null ? Optional.<Checkpoint>empty() : CheckpointJson.read(text));
        });
    }

    /** The last commit's user data ({@code segments_N}), empty for a new index. */
    private static Map<String, String> lastUserData(Directory directory) throws IOException {
        Map<String, String> data = new HashMap<>();
        if (DirectoryReader.indexExists(directory)) {
            data.putAll(SegmentInfos.readLatestCommit(directory).getUserData());
        }
        return data;
    }

    private static void dropOldCheckpoints(Map<String, String> data) {
        List<Map.Entry<String, String>> checkpoints = data.entrySet().stream()
                .filter(e -> e.getKey().startsWith(CheckpointJson.PREFIX)).toList();
        if (checkpoints.size() <= MAX_CHECKPOINTS) {
            return;
        }
        checkpoints.stream()
                .sorted(Comparator.comparing(e -> CheckpointJson.read(e.getValue()).map(Checkpoint::time).orElse(Instant.EPOCH)))
                .limit(checkpoints.size() - MAX_CHECKPOINTS)
                .map(Map.Entry::getKey).toList()
                .forEach(data::remove);
    }

    @Override
    public AsyncPlan<List<SearchHit>> search(float[] vector, int k) {
        return search(vector, k, List.of());
    }

    /**
     * The nearest chunks among those whose metadata meets every filter (the documents whose metadata
     * matches are found first, {@link MetadataSearch#chunkFilter}, and Lucene pre-filters the HNSW
     * search to their chunks, so {@code k} hits come back whenever that many match). Chunks indexed before
     * metadata was indexed (FuncPipe 0.1.0 snapshots) match no filter until they are ingested again.
     */
    @Override
    public AsyncPlan<List<SearchHit>> search(float[] vector, int k, List<MetadataFilter> filters) {
        requireNonNull(vector, "vector");
        List<MetadataFilter> where = List.copyOf(requireNonNull(filters, "filters"));
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        float[] query = vector.clone();
        String what = "searching the " + k + " nearest chunks" + (filters.isEmpty() ? "" : " where " + filters);
        return workers.plan(what, () -> {
            if (dimensions != 0 && query.length != dimensions) {
                return Result.err(workers.failure(what, "the query vector has " + query.length
                        + " dimensions, the index holds " + dimensions + ": embed the query with the index's embedder"));
            }
            return Result.ok(searching(searcher -> LuceneSearch.nearest(searcher, query, k, where)));
        });
    }

    /**
     * The chunks whose words best match {@code text} (BM25, {@link LuceneSearch#keyword}) among those
     * whose metadata meets every filter; scores are BM25 scores. Errs on an index written before its
     * chunks' words were indexed (ingest it again).
     */
    @Override
    public AsyncPlan<List<SearchHit>> keyword(String text, int k, List<MetadataFilter> filters) {
        requireNonNull(text, "text");
        List<MetadataFilter> where = List.copyOf(requireNonNull(filters, "filters"));
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        String what = "searching the " + k + " best chunks for words" + (filters.isEmpty() ? "" : " where " + filters);
        return workers.plan(what, () -> searching(searcher -> LuceneSearch.keyword(searcher, text, k, where,
                path.toString())));
    }

    /** A search on the latest reader (refreshed first), released after. */
    private <T> T searching(Searching<T> search) throws IOException {
        searchers.maybeRefreshBlocking();
        IndexSearcher searcher = searchers.acquire();
        try {
            return search.on(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    @FunctionalInterface
    private interface Searching<T> {
        T on(IndexSearcher searcher) throws IOException;
    }

    /**
     * The number of chunks, upserted ones included even before a commit (each id once). Blocks
     * briefly to refresh the reader: call it off event-loop threads.
     *
     * @throws IllegalStateException if the index is closed
     * @throws UncheckedIOException  if reading the index fails
     */
    @Override
    public long count() {
        if (closed.get()) {
            throw new IllegalStateException("the index at " + path + " is closed: open it again to count");
        }
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs() - DocumentStore.notChunks(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("counting the chunks in the index at " + path + " failed: " + e.getMessage(), e);
        }
    }

    /** Lets pending calls finish, commits what was upserted (writable index), and releases everything. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        workers.close();
        try {
            IOUtils.close(searchers, writer, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("closing the index at " + path + " failed: " + e.getMessage(), e);
        }
    }

    private ErrInfo readOnly(String what) {
        return workers.failure(what, "the index was opened read-only (for queries): open it with "
                + "LuceneVectorIndex.open(dir, dimensions) to write");
    }
}
