package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;

@DisplayName("flow control over the bus: the window, slow consumers, cancellation")
class FlowControlTest {

    @TempDir
    Path tmp;

    private Vertx vertx;
    private StageHost host;
    /** The embed stage: counts batches in flight, answers each after 3 ms. */
    private TestEmbedStage stage;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE, BusStage.CLEAN, BusStage.INDEX),
                2, BusTesting.hashModel(), tmp.resolve("indexes"))));
        stage = new TestEmbedStage(vertx, 3, 0);
        await(stage.start());
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).as(host.resources().toString()).isTrue();
        await(vertx.close());
    }

    @Test
    @DisplayName("a consumer that requests slowly never has more than W embed batches in flight, and gets every chunk")
    void windowBoundsBatchesInFlight() {
        int window = 2;
        BusJob job = BusJob.of("job-w", List.of(BusTesting.SOTU.toString()), "w").withWindow(window);
        BoundStages bound = await(BusStages.bind(vertx, job));
        IngestOptions options = IngestOptions.defaults().withEmbedBatch(2);
        IngestCounters counters = new IngestCounters();

        List<Result<Chunk>> items = IngestPipeline.describe(bound.stages(), options, counters).open()
                .onItem().call(item -> Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(1)))
                .collect().asList().await().atMost(BusTesting.LIMIT);

        assertThat(items).isNotEmpty().allMatch(Result::isOk);
        assertThat(stage.received.get()).isEqualTo((items.size() + 1) / 2);
        assertThat(stage.maxInFlight.get()).isBetween(1, window);
        assertThat(bound.stages().embedder().parallelism()).isEqualTo(window);
        assertThat(bound.stages().preparation().parallelism()).isEqualTo(window);
    }

    @Test
    @DisplayName("cancelling mid-stream closes the source session and its file")
    void cancellationClosesTheSession() throws Exception {
        Path big = BusTesting.bigJsonl(tmp, 5000);
        BoundStages bound = await(BusStages.bind(vertx, BusJob.of("job-c", List.of(big.toString()), "c")));

        List<Result<Chunk>> first = BusTesting.all(IngestPipeline.describe(bound.stages(), IngestOptions.defaults(),
                new IngestCounters()).take(5));

        assertThat(first).hasSize(5);
        until(() -> host.resources().sourceSessions() == 0, "the cancelled run's session is closed");
        assertThat(host.resources().sourceHandles()).isZero();
        assertThat(((BusDocSource) bound.stages().source()).openSessions()).isZero();
        assertThat(bound.bytesRead().getAsLong()).as("read only a little of the file").isLessThan(big.toFile().length() / 2);
    }

    @Test
    @DisplayName("a source run pulls one batch at a time, as its consumer asks: an unread stream reads nothing")
    void pullsOnDemand() throws Exception {
        Path big = BusTesting.bigJsonl(tmp, 5000);
        BoundStages bound = await(BusStages.bind(vertx, BusJob.of("job-p", List.of(big.toString()), "p")
                .withDocBatch(10)));
        AtomicInteger pulls = new AtomicInteger();
        vertx.eventBus().addOutboundInterceptor(delivery -> {
            if (delivery.message().body() instanceof NextDocs) {
                pulls.incrementAndGet();
            }
            delivery.next();
        });

        List<Result<RawDoc>> docs = BusTesting.all(bound.stages().source().docs().take(25));

        assertThat(docs).hasSize(25);
        assertThat(pulls.get()).as("batches of 10 pulled for 25 documents").isBetween(3, 4);
        assertThat(bound.bytesRead().getAsLong()).as("files are read in 64 KiB blocks; the file has 5 MB")
                .isLessThanOrEqualTo(2 * 65536L);
        until(() -> host.resources().sourceSessions() == 0, "the session is closed");
    }

    @Test
    @DisplayName("releasing the binding closes the session of a run that was abandoned without cancelling")
    void releaseClosesAbandonedRuns() throws Exception {
        Path big = BusTesting.bigJsonl(tmp, 5000);
        BoundStages bound = await(BusStages.bind(vertx, BusJob.of("job-r", List.of(big.toString()), "r")));
        AssertSubscriber<Result<RawDoc>> subscriber = bound.stages().source().docs().open().subscribe()
                .withSubscriber(AssertSubscriber.create(3));
        subscriber.awaitItems(3, BusTesting.LIMIT);
        assertThat(host.resources().sourceSessions()).isEqualTo(1);

        bound.close();

        until(() -> host.resources().sourceSessions() == 0, "the abandoned session is closed");
        assertThat(host.resources().sourceHandles()).isZero();
    }

    @Test
    @DisplayName("a pull whose reply is lost times out, is retried, and neither skips nor repeats a document")
    void lostPullReplyIsRetried() {
        String input = BusTesting.fixture("mixed.jsonl");
        BoundStages bound = await(BusStages.bind(vertx, BusJob.of("job-l", List.of(input), "l").withDocBatch(2)
                .withReplyTimeout(Duration.ofMillis(300)).withRetry(BusTesting.quickRetry(3))));
        AtomicInteger dropped = new AtomicInteger();
        vertx.eventBus().addInboundInterceptor(delivery -> {
            if (delivery.message().body() instanceof DocBatch batch && batch.seq() == 2 && dropped.getAndIncrement() == 0) {
                return; // the reply to the second pull is lost on its way
            }
            delivery.next();
        });

        List<Result<RawDoc>> docs = BusTesting.all(bound.stages().source().docs());

        assertThat(dropped.get()).isGreaterThanOrEqualTo(1);
        assertThat(docs).isEqualTo(BusTesting.all(Sources.open(List.of(input), SourceOptions.defaults(), null).docs()));
    }
}
