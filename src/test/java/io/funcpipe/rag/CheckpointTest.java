package io.funcpipe.rag;

import static io.funcpipe.rag.InMemoryPorts.doc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;

@DisplayName("Checkpoints")
class CheckpointTest {

    private static List<Result<RawDoc>> corpus() {
        List<Result<RawDoc>> docs = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            if (d == 5) {
                docs.add(Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "bad line").withLocation("x.jsonl:6")));
            } else if (d == 7) {
                docs.add(Result.ok(doc("empty" + d, "   ")));
            } else {
                StringBuilder text = new StringBuilder();
                for (int s = 0; s <= d % 4; s++) {
                    text.append("Doc ").append(d).append(" sentence ").append(s).append(". ");
                }
                docs.add(Result.ok(doc("d" + d, text.toString())));
            }
        }
        return docs;
    }

    private static IngestOptions options() {
        return IngestOptions.defaults().withDocBatch(2).withEmbedBatch(3).withCommitEvery(3);
    }

    @Nested
    @DisplayName("the tracker")
    class Tracker {

        @Test
        @DisplayName("covers the longest prefix of done records and only their counts")
        void prefixOnly() {
            CheckpointTracker t = new CheckpointTracker(Checkpoint.start("k"), Clock.systemUTC());
            Chunk a = new Chunk("a#0", "a", "a", 0, "x", 1, null);
            t.expect(Result.ok(List.of(a, a)));
            t.expect(Result.err(ErrInfo.of(ErrCode.NOT_TEXT, "binary")));
            t.expect(Result.ok(List.of()));
            t.expect(Result.ok(List.of(a)));
            assertThat(t.current().docs()).isZero();
            t.settle(List.of(Result.ok(a)));
            assertThat(t.current().docs()).as("the first record has one chunk left").isZero();
            t.settle(List.of(Result.err(ErrInfo.of(ErrCode.EMBED_FAILED, "x")), Result.err(ErrInfo.of(ErrCode.NOT_TEXT, "binary"))));
            Checkpoint c = t.current();
            assertThat(c.docs()).as("records 1-3 done; the empty one needs no item").isEqualTo(3);
            assertThat(c.chunksIndexed()).isEqualTo(1);
            assertThat(c.chunksFailed()).isEqualTo(1);
            assertThat(c.documentsFailed()).isEqualTo(1);
        }

        @Test
        @DisplayName("keeps the sync counts of done records only, on top of its base, and adds a full sync's deletions")
        void syncCounts() {
            SyncCounts earlier = new SyncCounts(3, 0, 1, 0, 9, 0, 0);
            Checkpoint base = new Checkpoint("k", 4, 0, 9, 0, java.time.Instant.EPOCH, false, earlier);
            CheckpointTracker t = new CheckpointTracker(base, Clock.systemUTC());
            Chunk a = new Chunk("a#0", "a", "a", 0, "x", 1, null);
            Chunk b = new Chunk("b#0", "b", "b", 0, "y", 1, null);
            SyncCounts addedA = new SyncCounts(1, 0, 0, 0, 1, 1, 0);
            t.expect(Result.ok(List.of(a, a)));
            t.expect(Result.ok(List.of()), new SyncCounts(0, 0, 1, 0, 0, 0, 0));
            t.expect(Result.ok(List.of(b)));
            t.settle(List.of(Result.ok(a)), List.of(addedA));
            assertThat(t.current().sync()).as("record a has a chunk left: none of its counts yet").isEqualTo(earlier);
            t.settle(List.of(Result.ok(a)), List.of(SyncCounts.none()));
            assertThat(t.current().sync()).as("a and the unchanged record done").isEqualTo(new SyncCounts(4, 0, 2, 0, 10, 1, 0));
            t.settle(List.of(Result.ok(b)), List.of(new SyncCounts(0, 1, 0, 0, 1, 0, 2)));
            t.deleted(new Deletion(2, 7));
            assertThat(t.current().sync()).isEqualTo(new SyncCounts(4, 1, 2, 2, 11, 1, 9));
            assertThat(t.current().docs()).isEqualTo(7);
        }
    }

    @Nested
    @DisplayName("a resumed run")
    class Resume {

        @Test
        @DisplayName("the final checkpoint of a full run covers every record and chunk")
        void fullRun() {
            InMemoryPorts.MapIndex index = new InMemoryPorts.MapIndex();
            IngestCounters counters = new IngestCounters();
            IngestStages stages = new IngestStages(InMemoryPorts.source(corpus()), InMemoryPorts::clean,
                    InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), index);
            CheckpointTracker tracker = new CheckpointTracker(Checkpoint.start("job"), Clock.systemUTC());
            IngestPipeline.describe(stages, options(), counters, tracker).collectAll().await().atMost(Duration.ofSeconds(30));
            Checkpoint end = index.checkpoints.get("job");
            IngestReport report = IngestReport.of(counters, 1, new InMemoryPorts.LetterEmbedder());
            assertThat(end.docs()).isEqualTo(report.documentsRead()).isEqualTo(12);
            assertThat(end.chunksIndexed()).isEqualTo(report.chunksIndexed()).isEqualTo(index.chunks.size());
            assertThat(end.documentsFailed()).isEqualTo(report.documentsFailed()).isEqualTo(2);
        }

        @Test
        @DisplayName("from any checkpoint, skips the done records and ends with the fault-free chunks and counts")
        void fromEveryCheckpoint() {
            InMemoryPorts.MapIndex reference = new InMemoryPorts.MapIndex();
            IngestCounters refCounters = new IngestCounters();
            IngestPipeline.describe(new IngestStages(InMemoryPorts.source(corpus()), InMemoryPorts::clean,
                    InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), reference), options(), refCounters)
                    .collectAll().await().atMost(Duration.ofSeconds(30));
            IngestReport full = IngestReport.of(refCounters, 1, new InMemoryPorts.LetterEmbedder());
            for (long done = 0; done <= 12; done++) {
                // What a crash after a commit at record `done` leaves: the chunks of the first `done` records.
                InMemoryPorts.MapIndex index = new InMemoryPorts.MapIndex();
                Set<String> before = new TreeSet<>();
                List<Result<RawDoc>> docs = corpus();
                for (int d = 0; d < done; d++) {
                    if (docs.get(d) instanceof io.funcpipe.core.Ok<RawDoc>(RawDoc doc)) {
                        reference.chunks.values().stream().filter(c -> c.chunk().docId().equals(doc.id()))
                                .forEach(c -> { index.chunks.put(c.chunk().id(), c); before.add(c.chunk().id()); });
                    }
                }
                CheckpointTracker partial = new CheckpointTracker(Checkpoint.start("job"), Clock.systemUTC());
                for (int d = 0; d < done; d++) {
                    Result<List<Chunk>> prepared = docs.get(d).flatMap(InMemoryPorts::clean).flatMap(InMemoryPorts::sentences);
                    partial.expect(prepared);
                    List<Result<Chunk>> items = switch (prepared) {
                        case io.funcpipe.core.Ok<List<Chunk>>(List<Chunk> chunks) -> chunks.stream().map(Result::ok).toList();
                        case io.funcpipe.core.Err<List<Chunk>> err -> List.of(err.cast());
                    };
                    partial.settle(items);
                }
                Checkpoint base = partial.current();
                assertThat(base.docs()).isEqualTo(done);

                IngestCounters counters = new IngestCounters();
                IngestPipeline.describe(new IngestStages(InMemoryPorts.source(docs), InMemoryPorts::clean,
                                InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), index), options(), counters,
                        new CheckpointTracker(base, Clock.systemUTC()))
                        .collectAll().await().atMost(Duration.ofSeconds(30));
                IngestReport resumed = IngestReport.of(counters, 1, new InMemoryPorts.LetterEmbedder()).resumedFrom(base);
                assertThat(counters.stage(Stage.PARSE).in()).as("records read after %s", done).isEqualTo(12 - done);
                assertThat(index.chunks.keySet()).as("chunks after resuming at %s", done)
                        .isEqualTo(reference.chunks.keySet());
                assertThat(resumed.documentsRead()).isEqualTo(full.documentsRead());
                assertThat(resumed.documentsFailed()).isEqualTo(full.documentsFailed());
                assertThat(resumed.chunksIndexed()).isEqualTo(full.chunksIndexed());
                assertThat(index.checkpoints.get("job").docs()).isEqualTo(12);
            }
        }

        @Test
        @DisplayName("a write in flight when the run is cancelled still ends and is counted: the checkpoint holds every chunk written")
        void cancelDuringWrite() throws Exception {
            java.util.concurrent.CompletableFuture<Void> gate = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
            InMemoryPorts.MapIndex index = new InMemoryPorts.MapIndex() {
                @Override
                public AsyncPlan<Integer> write(List<DocumentWrite> docs, boolean replace) {
                    AsyncPlan<Integer> real = super.write(docs, replace);
                    return AsyncPlan.defer(() -> {
                        writing.countDown();
                        return io.smallrye.mutiny.Uni.createFrom().completionStage(gate)
                                .onItem().transformToUni(ignored -> real.open());
                    });
                }
            };
            CheckpointTracker tracker = new CheckpointTracker(Checkpoint.start("job"), Clock.systemUTC());
            io.smallrye.mutiny.subscription.Cancellable run = IngestPipeline.describe(new IngestStages(
                            InMemoryPorts.source(corpus()), InMemoryPorts::clean, InMemoryPorts::sentences,
                            new InMemoryPorts.LetterEmbedder(), index), options(),
                    new SyncOptions(SyncMode.INCREMENTAL, "test", List.of()), new IngestCounters(), tracker)
                    .open().subscribe().with(item -> { }, failure -> { });
            assertThat(writing.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("a write started").isTrue();
            run.cancel();
            gate.complete(null);
            tracker.quiescent().get(30, java.util.concurrent.TimeUnit.SECONDS);

            Checkpoint now = tracker.current();
            assertThat(index.chunks).as("the write in flight went through").isNotEmpty();
            assertThat(now.chunksIndexed()).as("every chunk written is counted").isEqualTo(index.chunks.size());
            assertThat(now.sync().documentsAdded()).isEqualTo(index.records.size());
        }

        @Test
        @DisplayName("a run resumed from any commit ends with the sync counts of a run never interrupted, in its report and its last checkpoint")
        void syncCountsAcrossAttempts() {
            SyncOptions sync = new SyncOptions(SyncMode.INCREMENTAL, "test", List.of());
            // the index holds d1 and d2 from an earlier run, d2 since changed: d1 is unchanged, d2 updated
            List<Result<RawDoc>> earlier = List.of(corpus().get(1), Result.ok(doc("d2", "An older text of d2. Gone now.")));
            InMemoryPorts.MapIndex seed = new InMemoryPorts.MapIndex();
            IngestPipeline.describe(new IngestStages(InMemoryPorts.source(earlier), InMemoryPorts::clean,
                    InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), seed), options(), sync, new IngestCounters(),
                    new CheckpointTracker(Checkpoint.start("seed"), Clock.systemUTC())).collectAll().await().atMost(Duration.ofSeconds(30));

            InMemoryPorts.MapIndex reference = seed.copy();
            IngestCounters refCounters = new IngestCounters();
            IngestPipeline.describe(new IngestStages(InMemoryPorts.source(corpus()), InMemoryPorts::clean,
                    InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), reference), options(), sync, refCounters,
                    new CheckpointTracker(Checkpoint.start("job"), Clock.systemUTC())).collectAll().await().atMost(Duration.ofSeconds(30));
            SyncCounts expected = refCounters.sync();
            assertThat(expected.documentsUnchanged()).isEqualTo(1);
            assertThat(expected.documentsUpdated()).isEqualTo(1);
            assertThat(reference.checkpoints.get("job").sync()).isEqualTo(expected);

            for (int done = 0; done <= 12; done++) {
                // the first attempt reads the first `done` records and stops at a commit
                InMemoryPorts.MapIndex index = seed.copy();
                IngestPipeline.describe(new IngestStages(InMemoryPorts.source(corpus().subList(0, done)), InMemoryPorts::clean,
                        InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), index), options(), sync, new IngestCounters(),
                        new CheckpointTracker(Checkpoint.start("job"), Clock.systemUTC())).collectAll().await().atMost(Duration.ofSeconds(30));
                Checkpoint at = index.checkpoints.get("job");
                Checkpoint base = new Checkpoint(at.key(), at.docs(), at.documentsFailed(), at.chunksIndexed(), at.chunksFailed(),
                        at.time(), false, at.sync());
                assertThat(base.docs()).isEqualTo(done);

                IngestCounters counters = new IngestCounters();
                IngestPipeline.describe(new IngestStages(InMemoryPorts.source(corpus()), InMemoryPorts::clean,
                                InMemoryPorts::sentences, new InMemoryPorts.LetterEmbedder(), index), options(), sync, counters,
                        new CheckpointTracker(base, Clock.systemUTC())).collectAll().await().atMost(Duration.ofSeconds(30));
                IngestReport resumed = IngestReport.of(counters, 1, new InMemoryPorts.LetterEmbedder()).resumedFrom(base);
                assertThat(resumed.sync()).as("the report after resuming at %s", done).isEqualTo(expected);
                assertThat(index.checkpoints.get("job").sync()).as("the last checkpoint after resuming at %s", done)
                        .isEqualTo(expected);
            }
        }
    }
}
