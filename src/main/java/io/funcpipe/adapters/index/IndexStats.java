package io.funcpipe.adapters.index;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;

/**
 * What an index holds, read without writing anything (safe while a writer has it open: it sees the
 * last commit): documents (distinct document ids among the live chunks), chunks, the embedder of its
 * manifest, when it was last committed and the checkpoint each job or ingest run that wrote to it
 * left in the commit's user data.
 *
 * <p>The writer stores {@value #COMMIT_TIME} (the ISO-8601 instant of the commit) and, per run,
 * {@value #CHECKPOINT_PREFIX}{@code <key>}: a JSON object {@code {"key", "docs", "documentsFailed",
 * "chunksIndexed", "chunksFailed", "time"}}. Unknown fields are ignored; a value that is not such an
 * object is reported in {@link #problems()}, never fatal. Without {@value #COMMIT_TIME} (an index
 * from a writer that does not store it) the commit time is the segments file's modification time.
 *
 * @param dir         the index folder
 * @param documents   distinct document ids among live chunks
 * @param chunks      live chunks
 * @param manifest    the embedder and dimensions of {@code funcpipe-index.json}, if present
 * @param lastCommit  when the last commit was made
 * @param commitTime  where {@code lastCommit} comes from
 * @param generation  the commit's generation (the N of {@code segments_N})
 * @param checkpoints one per run that wrote, by key
 * @param problems    what could not be read (a malformed checkpoint or time, an unreadable manifest)
 */
public record IndexStats(Path dir, long documents, long chunks, Optional<IndexManifest> manifest, Instant lastCommit,
                         CommitTime commitTime, long generation, List<Checkpoint> checkpoints, List<String> problems) {

    /** The commit user data key of the commit's time. */
    public static final String COMMIT_TIME = "funcpipe.commit.time";
    /** The prefix of the commit user data keys of checkpoints. */
    public static final String CHECKPOINT_PREFIX = "funcpipe.checkpoint.";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the last commit's time was read from. */
    public enum CommitTime {
        /** {@value IndexStats#COMMIT_TIME} in the commit's user data. */
        USER_DATA("commit user data"),
        /** The {@code segments_N} file's modification time (no time in the user data). */
        SEGMENTS_FILE("segments file time");

        private final String label;

        CommitTime(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What one job or ingest run had done at its last commit.
     *
     * @param key             the job id or ingest key
     * @param docs            documents fully done, in source order
     * @param documentsFailed documents that failed
     * @param chunksIndexed   chunks indexed
     * @param chunksFailed    chunks that failed
     * @param time            when the checkpoint was taken, if it says
     * @param sync            documents added, updated, unchanged, deleted and chunks embedded, reused,
     *                        deleted by those documents (all zeros for a checkpoint from before sync)
     */
    public record Checkpoint(String key, long docs, long documentsFailed, long chunksIndexed, long chunksFailed,
                             Optional<Instant> time, io.funcpipe.rag.SyncCounts sync) {
        public Checkpoint {
            requireNonNull(key, "key");
            requireNonNull(time, "time");
            requireNonNull(sync, "sync");
        }
    }

    public IndexStats {
        requireNonNull(dir, "dir");
        requireNonNull(manifest, "manifest");
        requireNonNull(lastCommit, "lastCommit");
        requireNonNull(commitTime, "commitTime");
        checkpoints = List.copyOf(checkpoints);
        problems = List.copyOf(problems);
    }

    /** Reads the stats of the index in {@code dir}; an {@code INDEX_FAILED} Err when there is none or it cannot be read. */
    public static Result<IndexStats> read(Path dir) {
        requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "there is no index at " + dir
                    + " (no such directory): check the path, or ingest documents into it first"));
        }
        try (Directory directory = FSDirectory.open(dir)) {
            if (!DirectoryReader.indexExists(directory)) {
                return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "there is no index at " + dir
                        + " (no Lucene commit in it): check the path, or ingest documents into it first"));
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                return Result.ok(of(dir, reader));
            }
        } catch (IOException | RuntimeException e) {
            return Result.err(ErrInfo.of(ErrCode.INDEX_FAILED, "reading the index at " + dir + " failed: " + e));
        }
    }

    private static IndexStats of(Path dir, DirectoryReader reader) throws IOException {
        List<String> problems = new ArrayList<>();
        Optional<IndexManifest> manifest;
        try {
            manifest = IndexManifest.read(dir);
        } catch (IOException e) {
            manifest = Optional.empty();
            problems.add(e.getMessage());
        }
        IndexCommit commit = reader.getIndexCommit();
        Map<String, String> userData = new TreeMap<>(commit.getUserData());
        Instant lastCommit = null;
        CommitTime source = CommitTime.USER_DATA;
        String stored = userData.get(COMMIT_TIME);
        if (stored != null) {
            try {
                lastCommit = Instant.parse(stored);
            } catch (DateTimeParseException e) {
                problems.add(COMMIT_TIME + " is not an ISO-8601 instant: \"" + stored + "\"");
            }
        }
        if (lastCommit == null) {
            source = CommitTime.SEGMENTS_FILE;
            lastCommit = Files.getLastModifiedTime(dir.resolve(commit.getSegmentsFileName())).toInstant();
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        userData.forEach((key, value) -> {
            if (key.startsWith(CHECKPOINT_PREFIX)) {
                checkpoint(key, value, problems).ifPresent(checkpoints::add);
            }
        });
        return new IndexStats(dir, documents(reader), reader.numDocs() - DocumentStore.notChunks(new org.apache.lucene.search.IndexSearcher(reader)), manifest, lastCommit, source,
                commit.getGeneration(), checkpoints, problems);
    }

    /** Distinct document ids that still have a live chunk, without holding them in memory. */
    private static long documents(DirectoryReader reader) throws IOException {
        Terms terms = MultiTerms.getTerms(reader, LuceneFields.DOC_ID);
        if (terms == null) {
            return 0;
        }
        Bits live = MultiBits.getLiveDocs(reader);
        TermsEnum ids = terms.iterator();
        PostingsEnum postings = null;
        long count = 0;
        while (ids.next() != null) {
            postings = ids.postings(postings, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live == null || live.get(doc)) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    private static Optional<Checkpoint> checkpoint(String entry, String value, List<String> problems) {
        String fallbackKey = entry.substring(CHECKPOINT_PREFIX.length());
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            problems.add(entry + " is not JSON: " + abbreviated(value));
            return Optional.empty();
        }
        if (json == null || !json.isObject()) {
            problems.add(entry + " is not a JSON object: " + abbreviated(value));
            return Optional.empty();
        }
        List<String> bad = new ArrayList<>();
        long docs = count(json, "docs", true, bad);
        long documentsFailed = count(json, "documentsFailed", false, bad);
        long chunksIndexed = count(json, "chunksIndexed", true, bad);
        long chunksFailed = count(json, "chunksFailed", false, bad);
        Optional<Instant> time = Optional.empty();
        JsonNode timeNode = json.get("time");
        if (timeNode != null && !timeNode.isNull()) {
            try {
                time = Optional.of(Instant.parse(timeNode.asText()));
            } catch (DateTimeParseException e) {
                bad.add("time is not an ISO-8601 instant: " + timeNode);
            }
        }
        Optional<io.funcpipe.rag.SyncCounts> sync = CheckpointJson.sync(json.get("sync"));
        if (sync.isEmpty()) {
            bad.add("sync must be an object of whole numbers >= 0, got " + abbreviated(json.get("sync").toString()));
        }
        if (!bad.isEmpty()) {
            problems.add(entry + ": " + String.join("; ", bad));
            return Optional.empty();
        }
        JsonNode key = json.get("key");
        return Optional.of(new Checkpoint(key != null && key.isTextual() ? key.asText() : fallbackKey, docs,
                documentsFailed, chunksIndexed, chunksFailed, time, sync.get()));
    }

    /** A whole number >= 0; missing is 0 unless required. */
    private static long count(JsonNode json, String field, boolean required, List<String> bad) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                bad.add(field + " is missing");
            }
            return 0;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToLong() || node.asLong() < 0) {
            bad.add(field + " must be a whole number >= 0, got " + node);
            return 0;
        }
        return node.asLong();
    }

    private static String abbreviated(String value) {
        return value.length() > 120 ? value.substring(0, 120) + "..." : value;
    }
}
