package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.awaitFailure;
import static io.funcpipe.service.bus.BusTesting.fixture;
import static io.funcpipe.service.bus.BusTesting.request;
import static io.funcpipe.service.bus.BusTesting.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.CloseSource;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.funcpipe.service.bus.protocol.OpenSource;
import io.funcpipe.service.bus.protocol.SourceOpened;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

@DisplayName("parse stage (source sessions over a local event bus)")
class ParseStageTest {

    private Vertx vertx;
    private StageHost host;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE), 2, null, null)));
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).as("resources after close: " + host.resources()).isTrue();
        await(vertx.close());
    }

    private SourceOpened open(String... inputs) {
        return (SourceOpened) request(vertx, StageAddress.PARSE,
                new OpenSource("job-1", List.of(inputs), SourceOptions.defaults()));
    }

    private DocBatch next(SourceOpened session, long seq, int max) {
        return (DocBatch) request(vertx, session.session(), new NextDocs(seq, max));
    }

    /** Pulls batches of {@code max} until the end. */
    private List<DocBatch> drain(SourceOpened session, int max) {
        List<DocBatch> batches = new ArrayList<>();
        DocBatch batch;
        long seq = 0;
        do {
            batch = next(session, ++seq, max);
            batches.add(batch);
        } while (!batch.end());
        return batches;
    }

    private static List<Result<RawDoc>> docs(List<DocBatch> batches) {
        return batches.stream().flatMap(b -> b.docs().stream()).toList();
    }

    @Nested
    @DisplayName("a session")
    class Session {

        @Test
        @DisplayName("answers at its own address and pulls the records in order, a bad line as an Err naming file:line")
        void pullsInOrderWithErrItems() {
            SourceOpened session = open(fixture("mixed.jsonl"));
            assertThat(session.session()).startsWith(StageAddress.SESSION_PREFIX);
            assertThat(session.totalBytes()).isEqualTo(fixtureSize("mixed.jsonl"));

            List<DocBatch> batches = drain(session, 2);
            List<Result<RawDoc>> docs = docs(batches);

            assertThat(batches).allSatisfy(b -> assertThat(b.docs().size()).isLessThanOrEqualTo(2));
            assertThat(batches.subList(0, batches.size() - 1)).allSatisfy(b -> assertThat(b.docs()).hasSize(2));
            assertThat(batches.getLast().end()).isTrue();
            assertThat(batches.getLast().bytesRead()).isEqualTo(session.totalBytes());
            assertThat(docs.getFirst()).isInstanceOfSatisfying(Ok.class,
                    ok -> assertThat(((RawDoc) ok.value()).id()).isEqualTo("j1"));
            ErrInfo broken = docs.stream().filter(r -> r instanceof Err<RawDoc>).map(r -> ((Err<RawDoc>) r).error())
                    .findFirst().orElseThrow();
            assertThat(broken.code()).isEqualTo(ErrCode.MALFORMED_RECORD);
            assertThat(broken.location()).endsWith("mixed.jsonl:2");
            assertThat(broken.stage()).isEqualTo("parse");
            assertThat(docs).hasSameSizeAs(inProcess("mixed.jsonl"));
        }

        @Test
        @DisplayName("streams an HTTP body, whose records arrive on an event loop, and closes the connection at the end")
        void readsUrls() {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                body.append("{\"id\":\"h").append(i).append("\",\"text\":\"line ").append(i).append("\"}\n");
            }
            HttpServer server = await(vertx.createHttpServer()
                    .requestHandler(request -> request.response().putHeader("Content-Type", "application/x-ndjson")
                            .end(body.toString()))
                    .listen(0, "127.0.0.1"));
            try {
                SourceOpened session = open("http://127.0.0.1:" + server.actualPort() + "/feed.jsonl");
                List<Result<RawDoc>> docs = docs(drain(session, 64));

                assertThat(docs).hasSize(500).allMatch(Result::isOk);
                assertThat(((Ok<RawDoc>) docs.get(499)).value().id()).isEqualTo("h499");
                until(() -> host.resources().sourceHandles() == 0, "the connection is closed at the end");
            } finally {
                await(server.close());
            }
        }

        @Test
        @DisplayName("reads the same records as the source read in process")
        void sameAsInProcess() {
            List<Result<RawDoc>> docs = docs(drain(open(fixture("good.csv"), fixture("notes.md")), 3));
            List<Result<RawDoc>> local = new ArrayList<>(inProcess("good.csv"));
            local.addAll(inProcess("notes.md"));
            assertThat(docs).isEqualTo(local);
        }

        @Test
        @DisplayName("releases its file at the end, before the client closes it")
        void releasesAtEnd() {
            SourceOpened session = open(fixture("good.csv"));
            next(session, 1, 1);
            assertThat(host.resources().sourceHandles()).isEqualTo(1);

            long seq = 1;
            DocBatch rest;
            do {
                rest = next(session, ++seq, 1000);
            } while (!rest.end());

            assertThat(host.resources().sourceHandles()).isZero();
            assertThat(host.resources().sourceSessions()).isEqualTo(1);
        }

        @Test
        @DisplayName("answers a repeated request (a retry after a lost reply) with the same batch, and refuses a skipped one")
        void repeatedRequestGetsTheSameBatch() {
            SourceOpened session = open(fixture("mixed.jsonl"));
            DocBatch first = next(session, 1, 3);
            DocBatch again = next(session, 1, 3);
            DocBatch second = next(session, 2, 3);

            assertThat(again).isSameAs(first);
            assertThat(second.docs()).doesNotContainAnyElementsOf(first.docs());
            Object skipped = request(vertx, session.session(), new NextDocs(4, 3));
            assertThat(skipped).isInstanceOfSatisfying(StageFailure.class, f -> {
                assertThat(f.error().code()).isEqualTo(ErrCode.INVALID_INPUT);
                assertThat(f.error().message()).contains("batch 4", "answered up to batch 2");
            });
        }

        @Test
        @DisplayName("on close releases its file, stops answering, and is no longer counted")
        void closeReleases() throws Exception {
            Path big = BusTesting.bigJsonl(dir, 2000);
            SourceOpened session = open(big.toString());
            DocBatch first = next(session, 1, 10);
            assertThat(first.docs()).hasSize(10);
            assertThat(host.resources().sourceSessions()).isEqualTo(1);
            assertThat(host.resources().sourceHandles()).isEqualTo(1);

            DocBatch closed = (DocBatch) request(vertx, session.session(), new CloseSource("test"));

            assertThat(closed.end()).isTrue();
            assertThat(closed.docs()).isEmpty();
            assertThat(host.resources().sourceSessions()).isZero();
            assertThat(host.resources().sourceHandles()).isZero();
            assertThat(noHandlers(session)).isTrue();
        }

        @Test
        @DisplayName("closes itself and its file after its idle timeout")
        void idleTimeout() throws Exception {
            await(host.close());
            host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE), 1, null, null)
                    .withSessionIdleTimeout(Duration.ofMillis(200))));
            SourceOpened session = open(BusTesting.bigJsonl(dir, 2000).toString());
            next(session, 1, 5);
            assertThat(host.resources().sourceHandles()).isEqualTo(1);

            until(() -> host.resources().sourceSessions() == 0, "the idle session is closed");

            assertThat(host.resources().sourceHandles()).isZero();
            assertThat(noHandlers(session)).isTrue();
        }

        @Test
        @DisplayName("is closed with its file when the stage host closes")
        void closedOnUndeploy() throws Exception {
            SourceOpened session = open(BusTesting.bigJsonl(dir, 2000).toString());
            next(session, 1, 5);
            assertThat(host.resources().sourceHandles()).isEqualTo(1);

            await(host.close());

            assertThat(host.resources()).isEqualTo(new ResourceCounts(0, 0, 0, 0, 0));
            assertThat(noHandlers(session)).isTrue();
        }
    }

    @Nested
    @DisplayName("the stage")
    class Stage {

        @Test
        @DisplayName("refuses inputs it cannot open with INVALID_INPUT saying why")
        void badInputs() {
            Object reply = request(vertx, StageAddress.PARSE,
                    new OpenSource("job-1", List.of("http://"), SourceOptions.defaults()));
            assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
                assertThat(f.error().code()).isEqualTo(ErrCode.INVALID_INPUT);
                assertThat(f.error().message()).contains("malformed URL", "job-1");
            });
        }

        @Test
        @DisplayName("a missing file is an Err item naming it, not a failed session")
        void missingFile() {
            List<Result<RawDoc>> docs = docs(drain(open(dir.resolve("nope.txt").toString()), 4));
            assertThat(docs).singleElement().isInstanceOfSatisfying(Err.class, e -> {
                assertThat(((Err<?>) e).error().code()).isEqualTo(ErrCode.IO_ERROR);
                assertThat(((Err<?>) e).error().message()).contains("nope.txt");
            });
        }

        @Test
        @DisplayName("answers a message of another stage with INVALID_INPUT naming what it takes")
        void wrongMessage() {
            Object reply = request(vertx, StageAddress.PARSE, new EmbedTexts(List.of("x")));
            assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f ->
                    assertThat(f.error().message()).contains(StageAddress.PARSE, "takes OpenSource"));
        }
    }

    private boolean noHandlers(SourceOpened session) {
        Throwable failure = awaitFailure(vertx.eventBus().request(session.session(), new NextDocs(1, 1)));
        return failure instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS;
    }

    private static List<Result<RawDoc>> inProcess(String name) {
        return BusTesting.all(Sources.open(List.of(fixture(name)), SourceOptions.defaults(),
                null).docs());
    }

    private static long fixtureSize(String name) {
        try {
            return Files.size(BusTesting.FIXTURES.resolve(name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
