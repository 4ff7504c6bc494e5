package io.funcpipe.rag;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * The ingestion job as one pure description: parse -> clean -> chunk -> embed -> index.
 *
 * <p>The described stream has one item per chunk that reached the index ({@code Ok}) and one
 * {@code Err} per item that failed at any stage, tagged with that stage, its key and its source
 * location. Every input record is accounted for in {@link IngestCounters}: per stage,
 * {@code ok + failed == in}. Chunks are embedded in batches of {@link IngestOptions#embedBatch()},
 * {@link Embedder#parallelism()} batches at a time, and upserted in order; the index is committed
 * every {@link IngestOptions#commitEvery()} chunks and once at the end.
 */
public final class IngestPipeline {

    private IngestPipeline() {
    }

    /** Describes one run from the start, checkpointed as run {@code "ingest"}; see {@link #describe(IngestStages, IngestOptions, IngestCounters, CheckpointTracker)}. */
    @CheckReturnValue
    public static AsyncGen<Chunk> describe(IngestStages stages, IngestOptions options, IngestCounters counters) {
        return describe(stages, options, counters, new CheckpointTracker(Checkpoint.start("ingest"), Clock.systemUTC()));
    }

    /**
     * Describes one run that starts at {@code progress}'s base checkpoint: the first
     * {@code base.docs()} records of the source are skipped (they were done by an earlier attempt),
     * and every commit carries the checkpoint {@code progress} holds then. Nothing happens until the
     * returned stream is opened and subscribed. {@code counters} count this attempt only.
     */
    @CheckReturnValue
    public static AsyncGen<Chunk> describe(IngestStages stages, IngestOptions options, IngestCounters counters,
                                           CheckpointTracker progress) {
        requireNonNull(stages, "stages");
        requireNonNull(options, "options");
        requireNonNull(counters, "counters");
        requireNonNull(progress, "progress");
        AtomicLong sinceCommit = new AtomicLong();
        AsyncGen<Chunk> indexed = stages.source().docsFrom(progress.base().docs())
                .mapErr(e -> tag(e, Stage.PARSE, "", ""))
                .peek(counters::parsed)
                .batch(options.docBatch(), options.maxBatchWait())
                .mapAsync(stages.preparation().parallelism(), batch -> prepare(stages.preparation(), batch, counters))
                .flatMap(AsyncGen::fromResults)
                .peek(progress::expect)
                .flatMap(chunks -> AsyncGen.fromIterable(chunks).onOk(counters::chunked))
                .batch(options.embedBatch(), options.maxBatchWait())
                .mapAsync(stages.embedder().parallelism(), batch -> embed(stages.embedder(), batch, counters))
                .mapAsync(1, batch -> index(stages.index(), batch, counters, options.commitEvery(), sinceCommit, progress))
                .flatMap(AsyncGen::fromResults);
        AsyncGen<Chunk> finalCommit = AsyncGen.defer(() -> stages.index().commit(progress.current().completed()).open()
                .onItem().transformToMulti(r -> switch (r) {
                    case Ok<Long> ok -> Multi.createFrom().<Result<Chunk>>empty();
                    case Err<Long>(ErrInfo e) -> Multi.createFrom().item(
                            Result.<Chunk>err(tag(e, Stage.INDEX, "", "final commit")));
                }));
        return AsyncGen.concat(indexed, finalCommit);
    }

    /**
     * Cleans and chunks the batch's documents: each {@code Ok} document is counted into clean, and,
     * if it got through cleaning, into chunk; a failed call fails each document at clean.
     */
    private static Uni<Result<List<Result<List<Chunk>>>>> prepare(Preparation preparation, List<Result<RawDoc>> batch,
                                                                  IngestCounters counters) {
        List<RawDoc> docs = new ArrayList<>(batch.size());
        for (Result<RawDoc> r : batch) {
            if (r instanceof Ok<RawDoc>(RawDoc doc)) {
                docs.add(doc);
            }
        }
        if (docs.isEmpty()) {
            return Uni.createFrom().item(Result.ok(settleDocs(batch, Result.ok(List.of()), counters)));
        }
        return preparation.prepare(docs).open().onItem().transform(reply -> Result.ok(settleDocs(batch,
                reply.flatMap(prepared -> prepared.size() == docs.size()
                        ? Result.ok(prepared)
                        : Result.err(ErrInfo.of(ErrCode.EXCEPTION, "the preparation stage answered "
                                + prepared.size() + " results for " + docs.size() + " documents"))),
                counters)));
    }

    /** The batch in order: each {@code Ok} document's prepared result (or the call's error), {@code Err}s as they were. */
    private static List<Result<List<Chunk>>> settleDocs(List<Result<RawDoc>> batch,
                                                        Result<List<Result<List<Chunk>>>> outcome,
                                                        IngestCounters counters) {
        List<Result<List<Chunk>>> out = new ArrayList<>(batch.size());
        int next = 0;
        for (Result<RawDoc> r : batch) {
            switch (r) {
                case Err<RawDoc> err -> out.add(err.cast());
                case Ok<RawDoc>(RawDoc doc) -> out.add(account(counters, doc, switch (outcome) {
                    case Ok<List<Result<List<Chunk>>>>(List<Result<List<Chunk>>> prepared) -> prepared.get(next++);
                    case Err<List<Result<List<Chunk>>>>(ErrInfo e) -> Result.<List<Chunk>>err(e);
                }));
            }
        }
        return out;
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

    private static Uni<Result<List<Result<EmbeddedChunk>>>> embed(Embedder embedder, List<Result<Chunk>> batch,
                                                                 IngestCounters counters) {
        List<Chunk> chunks = oks(batch, Stage.EMBED, counters);
        if (chunks.isEmpty()) {
            return Uni.createFrom().item(Result.ok(settle(batch, Result.ok(List.of()), Stage.EMBED, c -> c, counters)));
        }
        List<String> texts = chunks.stream().map(Chunk::text).toList();
        return embedder.embed(texts).open().onItem().transform(vectors -> {
            Result<List<EmbeddedChunk>> embedded = vectors.flatMap(v -> v.size() == chunks.size()
                    ? Result.ok(zip(chunks, v))
                    : Result.err(ErrInfo.of(ErrCode.EMBED_FAILED, "the embedder returned " + v.size()
                            + " vectors for " + chunks.size() + " texts")));
            return Result.ok(settle(batch, embedded, Stage.EMBED, c -> c, counters));
        });
    }

    /**
     * Upserts the batch's chunks, settles the batch (every item, {@code Ok} or not) in the
     * checkpoint tracker, and every {@code commitEvery} chunks commits with the checkpoint as it
     * then stands; a failed commit fails the batch's chunks.
     */
    private static Uni<Result<List<Result<Chunk>>>> index(VectorIndex index, List<Result<EmbeddedChunk>> batch,
                                                          IngestCounters counters, long commitEvery,
                                                          AtomicLong sinceCommit, CheckpointTracker progress) {
        List<EmbeddedChunk> embedded = oks(batch, Stage.INDEX, counters);
        if (embedded.isEmpty()) {
            List<Result<Chunk>> settled = settle(batch, Result.ok(List.of()), Stage.INDEX, EmbeddedChunk::chunk, counters);
            progress.settle(settled);
            return Uni.createFrom().item(Result.ok(settled));
        }
        boolean commit = sinceCommit.addAndGet(embedded.size()) >= commitEvery;
        if (commit) {
            sinceCommit.set(0);
        }
        List<Chunk> chunks = embedded.stream().map(EmbeddedChunk::chunk).toList();
        return index.upsert(embedded).open().onItem().transformToUni(written -> {
            if (!commit || !written.isOk()) {
                List<Result<Chunk>> settled = settle(batch, written.map(n -> chunks), Stage.INDEX, EmbeddedChunk::chunk,
                        counters);
                progress.settle(settled);
                return Uni.createFrom().item(Result.ok(settled));
            }
            progress.settle(batch);
            return index.commit(progress.current()).open().onItem().transform(committed -> Result.ok(settle(batch,
                    committed.map(n -> chunks), Stage.INDEX, EmbeddedChunk::chunk, counters)));
        });
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

    private static List<EmbeddedChunk> zip(List<Chunk> chunks, List<float[]> vectors) {
        List<EmbeddedChunk> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            out.add(new EmbeddedChunk(chunks.get(i), vectors.get(i)));
        }
        return out;
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
