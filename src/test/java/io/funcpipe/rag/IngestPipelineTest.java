package io.funcpipe.rag;

import static io.funcpipe.rag.InMemoryPorts.doc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;

class IngestPipelineTest {

    private final InMemoryPorts.LetterEmbedder embedder = new InMemoryPorts.LetterEmbedder();
    private final InMemoryPorts.MapIndex index = new InMemoryPorts.MapIndex();
    private final IngestCounters counters = new IngestCounters();

    private List<Result<Chunk>> run(List<Result<RawDoc>> docs, IngestOptions options) {
        IngestStages stages = new IngestStages(InMemoryPorts.source(docs), InMemoryPorts::clean,
                InMemoryPorts::sentences, embedder, index);
        return IngestPipeline.describe(stages, options, counters).collectAll().await().indefinitely();
    }

    @Nested
    @DisplayName("accounting")
    class Accounting {

        @Test
        @DisplayName("every record is counted once per stage it reaches: ok + failed = in")
        void everyRecordIsAccountedFor() {
            List<Result<RawDoc>> docs = List.of(
                    Result.ok(doc("a", "Cats purr. Dogs bark.")),
                    Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, "bad row").withLocation("x.csv:3")),
                    Result.ok(doc("b", "   ")),
                    Result.ok(doc("c", "Birds sing. This is poison. Fish swim.")));
            List<Result<Chunk>> out = run(docs, IngestOptions.defaults().withEmbedBatch(2));

            for (Stage stage : Stage.values()) {
                StageCount c = counters.stage(stage);
                assertThat(c.ok() + c.failed()).as(stage.label()).isEqualTo(c.in());
            }
            IngestReport report = IngestReport.of(counters, 1.0, embedder);
            assertThat(report.documentsRead()).isEqualTo(4);
            assertThat(report.documentsFailed()).isEqualTo(2);
            assertThat(report.chunksIndexed() + report.chunksFailed()).isEqualTo(5);
            assertThat(report.chunksIndexed()).isEqualTo(index.count());
            assertThat(out.stream().filter(Result::isOk).count()).isEqualTo(report.chunksIndexed());
            assertThat(out.stream().filter(r -> !r.isOk()).count())
                    .isEqualTo(report.documentsFailed() + report.chunksFailed());
            // progress: every byte read is settled at the end, whether its chunks were indexed or failed
            assertThat(counters.bytesRead()).isPositive();
            assertThat(counters.bytesSettled()).isEqualTo(counters.bytesRead());
        }

        @Test
        @DisplayName("errors carry the stage, key and location where they happened")
        void errorsAreTagged() {
            List<Result<Chunk>> out = run(List.of(
                    Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, "bad row").withLocation("x.csv:3")),
                    Result.ok(doc("b", "  ")),
                    Result.ok(doc("p", "poison."))), IngestOptions.defaults().withEmbedBatch(1));
            List<ErrInfo> errors = out.stream().filter(r -> r instanceof Err<Chunk>)
                    .map(r -> ((Err<Chunk>) r).error()).toList();
            assertThat(errors).extracting(ErrInfo::stage).containsExactly("parse", "clean", "embed");
            assertThat(errors).extracting(ErrInfo::location).containsExactly("x.csv:3", "b:1", "p:1");
            assertThat(errors.get(2).key()).isEqualTo("p#0");
        }
    }

    @Nested
    @DisplayName("preparation (clean + chunk) as a port")
    class PreparationPort {

        private List<Result<Chunk>> runWith(Preparation preparation, List<Result<RawDoc>> docs, int docBatch) {
            IngestStages stages = new IngestStages(InMemoryPorts.source(docs), preparation, embedder, index);
            return IngestPipeline.describe(stages, IngestOptions.defaults().withDocBatch(docBatch), counters)
                    .collectAll().await().indefinitely();
        }

        @Test
        @DisplayName("a failed call fails each of its documents at clean, tagged with the document, and the rest go on")
        void failedCallFailsItsDocuments() {
            AtomicInteger calls = new AtomicInteger();
            Preparation local = Preparation.local(InMemoryPorts::clean, InMemoryPorts::sentences);
            Preparation flaky = docs -> calls.incrementAndGet() == 1
                    ? AsyncPlan.failed(ErrInfo.of(ErrCode.TIMEOUT, "no answer from funcpipe.stage.clean in 30 s"))
                    : local.prepare(docs);
            List<Result<Chunk>> out = runWith(flaky, List.of(
                    Result.ok(doc("a", "One. Two.")), Result.ok(doc("b", "Three.")),
                    Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, "bad line").withLocation("in.jsonl:3")),
                    Result.ok(doc("c", "Four. Five."))), 2);

            List<ErrInfo> errors = out.stream().filter(r -> r instanceof Err<Chunk>).map(r -> ((Err<Chunk>) r).error()).toList();
            assertThat(errors).extracting(ErrInfo::code).containsExactly(ErrCode.TIMEOUT, ErrCode.TIMEOUT, ErrCode.MALFORMED_RECORD);
            assertThat(errors).extracting(ErrInfo::stage).containsExactly("clean", "clean", "parse");
            assertThat(errors).extracting(ErrInfo::key).containsExactly("a", "b", "");
            assertThat(out.stream().filter(Result::isOk)).hasSize(2);
            assertThat(counters.stage(Stage.CLEAN)).isEqualTo(new StageCount(3, 1, 2));
            assertThat(counters.stage(Stage.CHUNK)).isEqualTo(new StageCount(1, 1, 0));
        }

        @Test
        @DisplayName("a reply with the wrong number of results fails the batch instead of misattributing chunks")
        void wrongReplySizeIsAnError() {
            Preparation shortReply = docs -> AsyncPlan.of(List.of());
            List<Result<Chunk>> out = runWith(shortReply, List.of(Result.ok(doc("a", "One."))), 4);
            assertThat(out).singleElement().satisfies(r -> assertThat(((Err<Chunk>) r).error().message())
                    .contains("answered 0 results for 1 documents"));
        }

        @Test
        @DisplayName("an error from chunking is counted at chunk, after the document passed clean")
        void chunkErrorsCountAtChunk() {
            Preparation local = Preparation.local(InMemoryPorts::clean,
                    d -> Result.err(ErrInfo.of(ErrCode.INVALID_INPUT, "cannot cut")));
            runWith(local, List.of(Result.ok(doc("a", "One."))), 1);
            assertThat(counters.stage(Stage.CLEAN)).isEqualTo(new StageCount(1, 1, 0));
            assertThat(counters.stage(Stage.CHUNK)).isEqualTo(new StageCount(1, 0, 1));
        }
    }

    @Nested
    @DisplayName("index")
    class Index {

        @Test
        @DisplayName("re-running the same input upserts the same ids: the count does not change")
        void reIngestDoesNotDuplicate() {
            List<Result<RawDoc>> docs = List.of(Result.ok(doc("a", "One. Two. Three.")));
            run(docs, IngestOptions.defaults());
            long first = index.count();
            run(docs, IngestOptions.defaults());
            assertThat(index.count()).isEqualTo(first).isEqualTo(3);
        }

        @Test
        @DisplayName("commits periodically and once at the end")
        void commitsPeriodicallyAndAtEnd() {
            run(List.of(Result.ok(doc("a", "One. Two.")), Result.ok(doc("b", "Three. Four.")),
                    Result.ok(doc("c", "Five. Six."))), IngestOptions.defaults().withEmbedBatch(2).withCommitEvery(2));
            assertThat(index.commits.get()).isEqualTo(3 + 1);
        }

        @Test
        @DisplayName("never commits inside a document: the periodic commit waits for its last chunk")
        void neverCommitsInsideADocument() {
            run(List.of(Result.ok(doc("a", "One. Two. Three. Four. Five. Six."))),
                    IngestOptions.defaults().withEmbedBatch(2).withCommitEvery(2));
            assertThat(index.commits.get()).isEqualTo(1 + 1);
            assertThat(index.chunks).hasSize(6);
        }

        @Test
        @DisplayName("a query finds the closest chunk")
        void queryFindsClosest() {
            run(List.of(Result.ok(doc("a", "zebra zoo. apple pie."))), IngestOptions.defaults());
            List<SearchHit> hits = QueryPlan.describe(embedder, index, "zoo zebra", 1).open().await().indefinitely()
                    .fold(h -> h, e -> List.of());
            assertThat(hits).extracting(SearchHit::text).containsExactly("zebra zoo");
        }
    }

    @Test
    @DisplayName("describing a run does nothing until it is opened")
    void describingRunsNothing() {
        IngestStages stages = new IngestStages(InMemoryPorts.source(List.of(Result.ok(doc("a", "x.")))),
                InMemoryPorts::clean, InMemoryPorts::sentences, embedder, index);
        var unused = IngestPipeline.describe(stages, IngestOptions.defaults(), counters);
        assertThat(unused).isNotNull();
        assertThat(embedder.calls.get()).isZero();
        assertThat(index.commits.get()).isZero();
        assertThat(counters.stage(Stage.PARSE).in()).isZero();
    }
}
