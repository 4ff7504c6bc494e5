package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.err;
import static io.funcpipe.service.bus.BusTesting.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.PolicyInterpreter;
import io.funcpipe.service.bus.protocol.BusCodecs;
import io.funcpipe.service.bus.protocol.CommitIndex;
import io.funcpipe.service.bus.protocol.IndexAck;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.vertx.core.Vertx;

@DisplayName("calls to stages: reply timeouts, retries, missing stages, stage failures")
class StageClientTest {

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx.eventBus());
    }

    @AfterEach
    void stop() {
        await(vertx.close());
    }

    /** A job whose embed guard retries like the supervisor's: the job's retry policy, applied once. */
    private static BusJob job(Duration replyTimeout, int attempts) {
        PolicyInterpreter policy = PolicyInterpreter.of(Policies.DEFAULT.withRetry(BusTesting.quickRetry(attempts)));
        return BusJob.of("job-c", List.of("x"), "idx").withReplyTimeout(replyTimeout)
                .withRetry(BusTesting.quickRetry(attempts)).withEmbedGuard(policy::retry);
    }

    private BusEmbedder embedder(BusJob job) {
        return new BusEmbedder(new StageClient(vertx, job), job, "hash", HashingEmbedder.DEFAULT_DIMENSIONS);
    }

    @Test
    @DisplayName("a request whose reply times out is retried and then succeeds, with the same answer")
    void timeoutIsRetried() {
        TestEmbedStage stage = new TestEmbedStage(vertx, 1, 1);
        await(stage.start());
        AtomicInteger guarded = new AtomicInteger();
        PolicyInterpreter policy = PolicyInterpreter.of(Policies.DEFAULT.withRetry(BusTesting.quickRetry(3)));
        BusJob job = job(Duration.ofMillis(300), 3).withEmbedGuard(plan -> policy.retry(AsyncPlan.<Integer>of(0)
                .flatMap(ignored -> {
                    guarded.incrementAndGet();
                    return plan;
                })));

        List<float[]> vectors = ok(await(embedder(job).embed(List.of("a b", "c d"))));

        assertThat(stage.received).hasValue(2);
        assertThat(guarded).as("the guard's retry wraps every attempt").hasValue(2);
        assertThat(vectors).hasSize(2);
        assertThat(vectors.get(1)).containsExactly(HashingEmbedder.of().vector("c d"));
    }

    @Test
    @DisplayName("a request that keeps timing out ends as TIMEOUT naming the address, the timeout and the attempts")
    void timeoutAfterEveryAttempt() {
        TestEmbedStage stage = new TestEmbedStage(vertx, 1, Integer.MAX_VALUE);
        await(stage.start());

        ErrInfo error = err(await(embedder(job(Duration.ofMillis(100), 2)).embed(List.of("a"))));

        assertThat(error.code()).isEqualTo(ErrCode.TIMEOUT);
        assertThat(error.message()).contains("no reply from funcpipe.stage.embed within PT0.1S");
        assertThat(error.details()).containsEntry("attempts", "2").containsEntry("address", StageAddress.EMBED);
        assertThat(stage.received).hasValue(2);
    }

    @Test
    @DisplayName("an embed call is sent once per attempt of the guard: a guard without retry sends it once")
    void embedRetriesOnlyInTheGuard() {
        TestEmbedStage stage = new TestEmbedStage(vertx, 1, Integer.MAX_VALUE);
        await(stage.start());
        BusJob job = BusJob.of("job-c", List.of("x"), "idx").withReplyTimeout(Duration.ofMillis(100))
                .withRetry(BusTesting.quickRetry(3));

        ErrInfo error = err(await(embedder(job).embed(List.of("a"))));

        assertThat(error.code()).isEqualTo(ErrCode.TIMEOUT);
        assertThat(stage.received).as("the job's retry policy is not applied a second time around the guard").hasValue(1);
    }

    @Test
    @DisplayName("a stage no node hosts is UNAVAILABLE, saying no node hosts it and how to fix that")
    void noHandlers() {
        ErrInfo error = err(await(embedder(job(Duration.ofSeconds(5), 1)).embed(List.of("a"))));

        assertThat(error.code()).isEqualTo(ErrCode.UNAVAILABLE);
        assertThat(error.message()).contains("no node hosts the stage at funcpipe.stage.embed", "StageHostOptions");
    }

    @Test
    @DisplayName("a source session that is gone is UNAVAILABLE, saying it expired or its node left")
    void sessionGone() {
        StageClient client = new StageClient(vertx, job(Duration.ofSeconds(5), 1));
        String session = StageAddress.newSession();

        ErrInfo error = err(await(client.once(session, new CommitIndex(new IndexTarget("x", "hash", 2)), IndexAck.class)));

        assertThat(error.code()).isEqualTo(ErrCode.UNAVAILABLE);
        assertThat(error.message()).contains("the source session " + session + " no longer exists", "idle timeout");
    }

    @Test
    @DisplayName("a stage's failure reply arrives as its own ErrInfo, every field kept, and is not retried unless retryable")
    void stageFailurePassesThrough() {
        ErrInfo sent = ErrInfo.of(ErrCode.INDEX_FAILED, "disk full").withStage("index").withKey("c1")
                .withLocation("a.txt:3").withDetail("exception", "java.io.IOException");
        AtomicInteger calls = new AtomicInteger();
        await(vertx.eventBus().consumer("test.failing", m -> {
            calls.incrementAndGet();
            m.reply(new StageFailure(sent));
        }).completion());
        StageClient client = new StageClient(vertx, job(Duration.ofSeconds(5), 3));

        ErrInfo error = err(await(client.call("test.failing", new CommitIndex(new IndexTarget("x", "hash", 2)),
                IndexAck.class)));

        assertThat(error).isEqualTo(sent.withDetail("attempts", "1"));
        assertThat(calls).hasValue(1);
    }

    @Test
    @DisplayName("a reply of the wrong type is an EXCEPTION naming both types, not a cast failure")
    void wrongReplyType() {
        await(vertx.eventBus().consumer("test.odd", m -> m.reply("hello")).completion());
        StageClient client = new StageClient(vertx, job(Duration.ofSeconds(5), 1));

        ErrInfo error = err(await(client.once("test.odd", new CommitIndex(new IndexTarget("x", "hash", 2)),
                IndexAck.class)));

        assertThat(error.code()).isEqualTo(ErrCode.EXCEPTION);
        assertThat(error.message()).contains("java.lang.String", "IndexAck");
    }
}
