package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.smallrye.common.annotation.CheckReturnValue;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The ingestion job as one pure description: parse -> sync check -> clean -> chunk -> embed -> index.
 *
 * <p>The described stream has one item per chunk that reached the index ({@code Ok}) and one
 * {@code Err} per item that failed at any stage, tagged with that stage, its key and its source
 * location. Every input record is accounted for in {@link IngestCounters}: per stage,
 * {@code ok + failed == in}. Chunks are embedded in batches of {@link IngestOptions#embedBatch()},
 * {@link Embedder#parallelism()} batches at a time, and written in order, one whole document at a time.
 *
 * <p>Sync ({@link SyncOptions}): before a document is cleaned, its {@link DocumentRecord} in the
 * index is looked up; an unchanged document (same content hash, chunking and embedder) is skipped
 * and counted. A chunk whose text the index already holds keeps that vector instead of being
 * embedded again. Each document is written whole with its record ({@link VectorIndex#write}),
 * replacing its earlier chunks in the same atomic step (except with {@link SyncMode#NONE}); a
 * document one of whose chunks failed is not written (the index keeps its earlier version). The
 * index is committed every {@link IngestOptions#commitEvery()} chunks, between documents, and once
 * at the end; with {@link SyncMode#FULL} the end also deletes the documents of the run's roots
 * that it did not see, in that same final commit, and only when the stream completed and the run
 * started at the beginning of its inputs (a continued run does not know what its first attempt saw).
 */
public final class IngestPipeline {

    private IngestPipeline() {
    }

    /** Describes one run from the start, checkpointed as run {@code "ingest"}, without sync; see {@link #describe(IngestStages, IngestOptions, SyncOptions, IngestCounters, CheckpointTracker)}. */
    @CheckReturnValue
    public static AsyncGen<Chunk> describe(IngestStages stages, IngestOptions options, IngestCounters counters) {
        return describe(stages, options, SyncOptions.none(), counters,
                new CheckpointTracker(Checkpoint.start("ingest"), Clock.systemUTC()));
    }

    /** Describes one run without sync (every document written as it comes); see {@link #describe(IngestStages, IngestOptions, SyncOptions, IngestCounters, CheckpointTracker)}. */
    @CheckReturnValue
    public static AsyncGen<Chunk> describe(IngestStages stages, IngestOptions options, IngestCounters counters,
                                           CheckpointTracker progress) {
        return describe(stages, options, SyncOptions.none(), counters, progress);
    }

    /**
     * Describes one run that starts at {@code progress}'s base checkpoint: the first
     * {@code base.docs()} records of the source are skipped (they were done by an earlier attempt),
     * and every commit carries the checkpoint {@code progress} holds then. Nothing happens until the
     * returned stream is opened and subscribed. {@code counters} count this attempt only.
     */
    @CheckReturnValue
    public static AsyncGen<Chunk> describe(IngestStages stages, IngestOptions options, SyncOptions sync,
                                           IngestCounters counters, CheckpointTracker progress) {
        requireNonNull(stages, "stages");
        requireNonNull(options, "options");
        requireNonNull(sync, "sync");
        requireNonNull(counters, "counters");
        requireNonNull(progress, "progress");
        SyncRun run = new SyncRun(stages, options, sync, counters, progress, Clock.systemUTC());
        AsyncGen<Chunk> indexed = stages.source().docsFrom(progress.base().docs())
                .mapErr(e -> tag(e, Stage.PARSE, "", ""))
                .peek(counters::parsed)
                .peek(run::saw)
                .batch(options.docBatch(), options.maxBatchWait())
                .mapAsync(stages.preparation().parallelism(), run::prepare)
                .flatMap(AsyncGen::fromResults)
                .peek(run::expect)
                .flatMap(doc -> AsyncGen.fromIterable(doc.chunks()).onOk(counters::chunked))
                .batch(options.embedBatch(), options.maxBatchWait())
                .mapAsync(stages.embedder().parallelism(), run::embed)
                .mapAsync(1, run::index)
                .flatMap(AsyncGen::fromResults);
        AsyncGen<Chunk> finalCommit = AsyncGen.defer(() -> run.cleanup()
                .flatMap(deleted -> stages.index().commit(progress.current().completed())).open()
                .onItem().transformToMulti(r -> switch (r) {
                    case Ok<Long> ok -> Multi.createFrom().<Result<Chunk>>empty();
                    case Err<Long>(ErrInfo e) -> Multi.createFrom().item(
                            Result.<Chunk>err(tag(e, Stage.INDEX, "", "final commit")));
                }));
        return AsyncGen.concat(indexed, finalCommit);
    }

    /** The state of one described run: the documents seen, the documents being assembled, the commit count. */
    private static final class SyncRun {
        private final IngestStages stages;
        private final IngestOptions options;
        private final SyncOptions sync;
        private final IngestCounters counters;
        private final CheckpointTracker progress;
        private final Clock clock;
        private final DocumentAssembly assembly = new DocumentAssembly();
        private final AtomicLong sinceCommit = new AtomicLong();
        /** Document ids this run read (ok or not), for duplicates and a full sync's deletions. */
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        /** Ids of the chunks in flight whose vector was taken from the index, until their document is written. */
        private final Set<String> reused = ConcurrentHashMap.newKeySet();

        SyncRun(IngestStages stages, IngestOptions options, SyncOptions sync, IngestCounters counters,
                CheckpointTracker progress, Clock clock) {
            this.stages = stages;
            this.options = options;
            this.sync = sync;
            this.counters = counters;
            this.progress = progress;
            this.clock = clock;
        }

        /** A record that failed to parse still names a document the source holds: a full sync keeps it. */
        void saw(Result<RawDoc> parsed) {
            if (parsed instanceof Err<RawDoc>(ErrInfo e) && !e.key().isEmpty()) {
                seen.add(e.key());
            }
        }

        void expect(Result<Prepared> doc) {
            boolean unchanged = doc instanceof Ok<Prepared>(Prepared p) && p.unchanged();
            progress.expect(doc.map(Prepared::chunks), unchanged ? new SyncCounts(0, 0, 1, 0, 0, 0, 0) : SyncCounts.none());
            assembly.expect(doc);
        }

        /**
         * Checks the batch's documents against their records in the index, then cleans and chunks
         * those that changed; an unchanged document comes back with no chunk, counted as such.
         */
        Uni<Result<List<Result<Prepared>>>> prepare(List<Result<RawDoc>> batch) {
            List<Candidate> candidates = new ArrayList<>(batch.size());
            List<String> ids = new ArrayList<>();
            for (Result<RawDoc> r : batch) {
                Candidate c = Candidate.of(r, seen);
                candidates.add(c);
                if (c.doc() != null && c.refusal() == null) {
                    ids.add(c.doc().id());
                }
            }
            AsyncPlan<Map<String, DocumentRecord>> records = ids.isEmpty()
                    ? AsyncPlan.of(Map.of()) : stages.index().documents(ids);
            return records.open().onItem().transformToUni(found -> {
                List<RawDoc> changed = new ArrayList<>();
                for (int i = 0; i < candidates.size(); i++) {
                    candidates.set(i, decide(candidates.get(i), found));
                    Candidate c = candidates.get(i);
                    if (c.doc() != null && c.refusal() == null && !c.unchanged()) {
                        changed.add(c.doc());
                    }
                }
                Uni<Result<List<Result<List<Chunk>>>>> prepared = changed.isEmpty()
                        ? Uni.createFrom().item(Result.ok(List.of()))
                        : stages.preparation().prepare(changed).open().onItem().transform(reply -> reply.flatMap(
                                out -> out.size() == changed.size() ? Result.ok(out)
                                        : Result.err(ErrInfo.of(ErrCode.EXCEPTION, "the preparation stage answered "
                                                + out.size() + " results for " + changed.size() + " documents"))));
                return prepared.onItem().transform(outcome -> Result.ok(settleDocs(candidates, outcome)));
            });
        }

        /** The candidate with its record looked up: unchanged, changed, or refused (another root holds its id). */
        private Candidate decide(Candidate c, Result<Map<String, DocumentRecord>> found) {
            if (c.doc() == null || c.refusal() != null) {
                return c;
            }
            return switch (found) {
                case Err<Map<String, DocumentRecord>>(ErrInfo e) -> c.refused(e.withStage(Stage.INDEX.label())
                        .withMessage("looking up document '" + c.doc().id() + "' in the index failed: " + e.message()));
                case Ok<Map<String, DocumentRecord>>(Map<String, DocumentRecord> records) -> {
                    DocumentRecord previous = records.get(c.doc().id());
                    if (previous != null && !previous.root().equals(c.root())) {
                        yield c.refused(ErrInfo.of(ErrCode.INVALID_INPUT, c.doc().location() + ": document id '"
                                + c.doc().id() + "' is already in the index, read from " + previous.root()
                                + ", not from " + c.root() + ": give both folders under one common root, or delete "
                                + "the other first (funcpipe delete --index DIR '" + c.doc().id() + "')"));
                    }
                    boolean unchanged = sync.mode() != SyncMode.NONE && previous != null
                            && previous.same(c.hash(), stages.embedder().name(), sync.chunking());
                    yield c.looked(Optional.ofNullable(previous), unchanged);
                }
            };
        }

        /** The batch in order: refusals and failures as errors, unchanged documents with no chunk, the rest prepared. */
        private List<Result<Prepared>> settleDocs(List<Candidate> candidates, Result<List<Result<List<Chunk>>>> outcome) {
            List<Result<Prepared>> out = new ArrayList<>(candidates.size());
            int next = 0;
            for (Candidate c : candidates) {
                if (c.doc() == null) {
                    out.add(((Err<RawDoc>) c.input()).cast());
                    continue;
                }
                RawDoc doc = c.doc();
                DocumentRecord record = new DocumentRecord(doc.id(), c.root(), doc.location(), c.hash(), List.of(),
                        stages.embedder().name(), sync.chunking(), clock.instant());
                if (c.refusal() != null) {
                    out.add(account(counters, doc, Result.<List<Chunk>>err(c.refusal())).map(chunks -> null));
                } else if (c.unchanged()) {
                    counters.unchanged(doc.bytes());
                    out.add(Result.ok(new Prepared(record, c.previous(), List.of(), true)));
                } else {
                    Result<List<Chunk>> chunks = switch (outcome) {
                        case Ok<List<Result<List<Chunk>>>>(List<Result<List<Chunk>>> prepared) -> prepared.get(next++);
                        case Err<List<Result<List<Chunk>>>>(ErrInfo e) -> Result.<List<Chunk>>err(e);
                    };
                    out.add(account(counters, doc, chunks).map(list -> new Prepared(record, c.previous(), list, false)));
                }
            }
            return out;
        }

        /** Embeds the batch's chunks whose text the index does not hold yet; the others keep their stored vector. */
        Uni<Result<List<Result<EmbeddedChunk>>>> embed(List<Result<Chunk>> batch) {
            List<Chunk> chunks = oks(batch, Stage.EMBED, counters);
            if (chunks.isEmpty()) {
                return Uni.createFrom().item(Result.ok(settle(batch, Result.ok(List.of()), Stage.EMBED, c -> c, counters)));
            }
            List<String> hashes = chunks.stream().map(c -> ContentHash.ofText(c.text())).toList();
            return stages.index().vectors(hashes).open().onItem().transformToUni(stored -> {
                // A failed look-up only costs the reuse: every chunk is embedded.
                Map<String, float[]> known = stored.fold(m -> m, e -> Map.of());
                List<Chunk> missing = new ArrayList<>();
                for (int i = 0; i < chunks.size(); i++) {
                    if (!known.containsKey(hashes.get(i))) {
                        missing.add(chunks.get(i));
                    }
                }
                Uni<Result<List<float[]>>> vectors = missing.isEmpty() ? Uni.createFrom().item(Result.ok(List.of()))
                        : stages.embedder().embed(missing.stream().map(Chunk::text).toList()).open();
                return vectors.onItem().transform(v -> {
                    Result<List<EmbeddedChunk>> embedded = v.flatMap(fresh -> fresh.size() == missing.size()
                            ? Result.ok(merge(chunks, hashes, known, fresh))
                            : Result.err(ErrInfo.of(ErrCode.EMBED_FAILED, "the embedder returned " + fresh.size()
                                    + " vectors for " + missing.size() + " texts")));
                    embedded.onOk(e -> {
                        counters.embedded(missing.size(), chunks.size() - missing.size());
                        for (int i = 0; i < chunks.size(); i++) {
                            if (known.containsKey(hashes.get(i))) {
                                reused.add(chunks.get(i).id());
                            }
                        }
                    });
                    return Result.ok(settle(batch, embedded, Stage.EMBED, c -> c, counters));
                });
            });
        }

        /**
         * Writes the documents the batch completes, each whole with its record, settles their items in
         * the checkpoint tracker and, every {@code commitEvery} chunks, commits (always between
         * documents). A document with a failed chunk is not written: its other chunks fail at index.
         */
        Uni<Result<List<Result<Chunk>>>> index(List<Result<EmbeddedChunk>> batch) {
            List<DocumentAssembly.Whole> whole = assembly.add(batch);
            List<DocumentWrite> writes = new ArrayList<>();
            List<Result<EmbeddedChunk>> toWrite = new ArrayList<>();
            for (DocumentAssembly.Whole w : whole) {
                if (w.doc() instanceof Ok<Prepared>(Prepared p) && w.items().stream().allMatch(Result::isOk)) {
                    List<EmbeddedChunk> chunks = w.items().stream()
                            .map(r -> ((Ok<EmbeddedChunk>) r).value()).toList();
                    writes.add(new DocumentWrite(p.record().withChunkIds(chunks.stream().map(e -> e.chunk().id()).toList()),
                            chunks));
                    toWrite.addAll(w.items());
                }
            }
            List<EmbeddedChunk> embedded = oks(toWrite, Stage.INDEX, counters);
            boolean commit = !embedded.isEmpty() && sinceCommit.addAndGet(embedded.size()) >= options.commitEvery();
            if (commit) {
                sinceCommit.set(0);
            }
            AsyncPlan<Integer> write = writes.isEmpty() ? AsyncPlan.of(0)
                    : stages.index().write(writes, sync.mode() != SyncMode.NONE);
            // The write and the settling of its items run to their end even if the run is cancelled
            // meanwhile (the tracker counts it in flight): what is written is always counted.
            progress.writeStarted();
            CompletableFuture<Written> settling = write.open().subscribeAsCompletionStage().thenApply(outcome -> {
                List<SyncCounts> counts = new ArrayList<>();
                List<Result<Chunk>> settled = settleWhole(whole, outcome, counts);
                progress.settle(settled, counts);
                return new Written(settled, outcome.isOk());
            }).whenComplete((done, failure) -> progress.writeEnded());
            return Uni.createFrom().completionStage(settling.copy()).onItem().transformToUni(done -> {
                List<Result<Chunk>> settled = done.items();
                if (!commit || !done.ok()) {
                    return Uni.createFrom().item(Result.ok(settled));
                }
                return stages.index().commit(progress.current()).open().onItem().transform(committed -> Result.ok(
                        committed.isOk() ? settled : settled.stream().map(r -> r.flatMap(c -> Result.<Chunk>err(tag(
                                ((Err<Long>) committed).error(), Stage.INDEX, c.id(), c.location())))).toList()));
            });
        }

        /** The items of an index write, settled, and whether the write succeeded. */
        private record Written(List<Result<Chunk>> items, boolean ok) {
        }

        /** Counts a document written, and returns what it did: added or updated, its chunks embedded, reused and gone. */
        private SyncCounts countWritten(Prepared p) {
            Set<String> now = new java.util.HashSet<>();
            p.chunks().forEach(c -> now.add(c.id()));
            long gone = sync.mode() == SyncMode.NONE ? 0
                    : p.previous().map(old -> old.chunkIds().stream().filter(id -> !now.contains(id)).count()).orElse(0L);
            counters.written(p.previous().isPresent(), gone);
            long fromIndex = p.chunks().stream().filter(c -> reused.remove(c.id())).count();
            boolean update = p.previous().isPresent();
            return new SyncCounts(update ? 0 : 1, update ? 1 : 0, 0, 0, p.chunks().size() - fromIndex, fromIndex, gone);
        }

        /**
         * Every item of the whole documents, in order, counted out of the index stage: written chunks
         * as {@code Ok} (or the write's error), failed items as they were, and the other chunks of a
         * document with a failed chunk as errors naming it. {@code counts} gets each item's sync
         * counts: a written document's on its first item, none on the others.
         */
        private List<Result<Chunk>> settleWhole(List<DocumentAssembly.Whole> whole, Result<Integer> outcome,
                                                List<SyncCounts> counts) {
            List<Result<Chunk>> out = new ArrayList<>();
            for (DocumentAssembly.Whole w : whole) {
                boolean writable = w.doc().isOk() && w.items().stream().allMatch(Result::isOk);
                SyncCounts did = writable && outcome.isOk() && w.doc() instanceof Ok<Prepared>(Prepared p)
                        ? countWritten(p) : SyncCounts.none();
                if (!writable || !outcome.isOk()) {
                    w.items().forEach(item -> item.onOk(e -> reused.remove(e.chunk().id())));
                }
                ErrInfo firstFailure = w.items().stream().filter(r -> !r.isOk()).findFirst()
                        .map(r -> ((Err<EmbeddedChunk>) r).error()).orElse(null);
                for (Result<EmbeddedChunk> item : w.items()) {
                    switch (item) {
                        case Err<EmbeddedChunk> err -> out.add(err.cast());
                        case Ok<EmbeddedChunk>(EmbeddedChunk e) -> {
                            Chunk chunk = e.chunk();
                            Result<Chunk> settled;
                            if (writable) {
                                settled = outcome.map(n -> chunk).mapErr(x -> tag(x, Stage.INDEX, chunk.id(), chunk.location()));
                            } else {
                                counters.in(Stage.INDEX);
                                settled = Result.err(ErrInfo.of(firstFailure.code(), "chunk " + chunk.id()
                                        + " was not written: another chunk of document '" + chunk.docId() + "' failed ("
                                        + firstFailure.message() + "); the index keeps the document as it was")
                                        .withStage(Stage.INDEX.label()).withKey(chunk.id()).withLocation(chunk.location()));
                            }
                            counters.out(Stage.INDEX, settled);
                            counters.settled(chunk);
                            out.add(settled);
                        }
                    }
                    counts.add(did);
                    did = SyncCounts.none();
                }
            }
            return out;
        }

        /** With a full sync over a run that read its inputs from the start: the documents of its roots it did not see. */
        AsyncPlan<Deletion> cleanup() {
            if (sync.mode() != SyncMode.FULL || !progress.base().atStart() || sync.roots().isEmpty()) {
                return AsyncPlan.of(Deletion.none());
            }
            return stages.index().deleteUnseen(sync.roots(), Set.copyOf(seen)).map(deleted -> {
                counters.deleted(deleted);
                progress.deleted(deleted);
                return deleted;
            });
        }
    }

    /**
     * A document from the source with its root taken off its metadata and its content hash; or an
     * item that failed before, or a refusal (its id seen before in this run, another root's).
     */
    private record Candidate(Result<RawDoc> input, RawDoc doc, String root, String hash, ErrInfo refusal,
                             Optional<DocumentRecord> previous, boolean unchanged) {

        static Candidate of(Result<RawDoc> input, Set<String> seen) {
            if (!(input instanceof Ok<RawDoc>(RawDoc raw))) {
                return new Candidate(input, null, "", "", null, Optional.empty(), false);
            }
            Map<String, String> metadata = new java.util.LinkedHashMap<>(raw.metadata());
            String root = metadata.remove(SyncOptions.ROOT_METADATA);
            RawDoc doc = new RawDoc(raw.id(), raw.location(), raw.text(), metadata, raw.bytes(), raw.replacedChars());
            ErrInfo refusal = seen.add(doc.id()) ? null : ErrInfo.of(ErrCode.INVALID_INPUT, doc.location()
                    + ": document id '" + doc.id() + "' was read before in this run: give each document its own id "
                    + "(docs/formats.md, document identity)");
            return new Candidate(input, doc, root == null ? "" : root, ContentHash.of(doc), refusal, Optional.empty(), false);
        }

        Candidate refused(ErrInfo why) {
            return new Candidate(input, doc, root, hash, why, previous, false);
        }

        Candidate looked(Optional<DocumentRecord> previous, boolean unchanged) {
            return new Candidate(input, doc, root, hash, refusal, previous, unchanged);
        }
    }

    /** Counts one document through clean and (unless cleaning refused it) chunk, and tags its error. */
    private static Result<List<Chunk>> account(IngestCounters counters, RawDoc doc, Result<List<Chunk>> prepared) {
        Result<List<Chunk>> tagged = prepared.mapErr(e -> tag(e, Stage.CLEAN, doc.id(), doc.location()));
        counters.in(Stage.CLEAN);
        boolean refusedAtClean = tagged instanceof Err<List<Chunk>>(ErrInfo e) && !e.stage().equals(Stage.CHUNK.label());
        if (refusedAtClean) {
            counters.out(Stage.CLEAN, tagged);
            counters.settledBytes(doc.bytes());
            return tagged;
        }
        counters.out(Stage.CLEAN, Result.ok(doc));
        counters.passed(Stage.CHUNK, tagged);
        switch (tagged) {
            case Ok<List<Chunk>>(List<Chunk> chunks) -> counters.expect(chunks, doc.bytes());
            case Err<List<Chunk>> err -> counters.settledBytes(doc.bytes());
        }
        return tagged;
    }

    /** The chunks in order, each with its stored vector or the next fresh one. */
    private static List<EmbeddedChunk> merge(List<Chunk> chunks, List<String> hashes, Map<String, float[]> known,
                                             List<float[]> fresh) {
        List<EmbeddedChunk> out = new ArrayList<>(chunks.size());
        int next = 0;
        for (int i = 0; i < chunks.size(); i++) {
            float[] stored = known.get(hashes.get(i));
            out.add(new EmbeddedChunk(chunks.get(i), stored != null ? stored : fresh.get(next++)));
        }
        return out;
    }

    // ----------------------------------------------------------------- batch plumbing

    /** The batch's {@code Ok} values, each counted into {@code stage}. */
    private static <T> List<T> oks(List<Result<T>> batch, Stage stage, IngestCounters counters) {
        List<T> oks = new ArrayList<>(batch.size());
        for (Result<T> r : batch) {
            if (r instanceof Ok<T>(T value)) {
                counters.in(stage);
                oks.add(value);
            }
        }
        return oks;
    }

    /**
     * The batch's results in their original order after {@code stage}: each {@code Ok} input becomes
     * the next value of a successful {@code outcome}, or, when the call failed, the call's error
     * tagged with that item's chunk id and location; each is counted out of {@code stage}.
     * {@code Err} inputs failed at an earlier stage and pass through as they were.
     */
    private static <I, O> List<Result<O>> settle(List<Result<I>> batch, Result<List<O>> outcome, Stage stage,
                                                 Function<I, Chunk> chunkOf, IngestCounters counters) {
        List<Result<O>> out = new ArrayList<>(batch.size());
        int next = 0;
        for (Result<I> r : batch) {
            switch (r) {
                case Err<I> err -> out.add(err.cast());
                case Ok<I>(I value) -> {
                    Chunk chunk = chunkOf.apply(value);
                    Result<O> settled = switch (outcome) {
                        case Ok<List<O>>(List<O> done) -> Result.ok(done.get(next++));
                        case Err<List<O>>(ErrInfo e) -> Result.err(tag(e, stage, chunk.id(), chunk.location()));
                    };
                    counters.out(stage, settled);
                    if (stage == Stage.INDEX || !settled.isOk()) {
                        counters.settled(chunk);
                    }
                    out.add(settled);
                }
            }
        }
        return out;
    }

    private static ErrInfo tag(ErrInfo e, Stage stage, String key, String location) {
        ErrInfo tagged = e.stage().isEmpty() ? e.withStage(stage.label()) : e;
        tagged = tagged.key().isEmpty() && !key.isEmpty() ? tagged.withKey(key) : tagged;
        return tagged.location().isEmpty() && !location.isEmpty() ? tagged.withLocation(location) : tagged;
    }
}
