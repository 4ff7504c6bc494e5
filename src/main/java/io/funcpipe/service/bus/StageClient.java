package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.core.AsyncPlan;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.PolicyInterpreter;
import io.funcpipe.service.bus.protocol.BusMessage;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

/**
 * How the port adapters call stages: one request per call with the job's reply timeout, its reply
 * (or its failure) as a {@code Result}, retried under the job's {@code RetryPolicy} ({@link #call}; an
 * embed request is sent {@link #once} and retried by the job's embed guard alone). A reply
 * timeout becomes {@code TIMEOUT}, a missing stage {@code UNAVAILABLE} naming the address, a
 * {@link StageFailure} its own error; nothing throws.
 */
final class StageClient {

    private final Vertx vertx;
    private final Duration timeout;
    private final DeliveryOptions delivery;
    private final PolicyInterpreter policies;

    StageClient(Vertx vertx, BusJob job) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.timeout = job.replyTimeout();
        this.delivery = new DeliveryOptions().setSendTimeout(job.replyTimeout().toMillis())
                .addHeader(BusJob.JOB_HEADER, job.jobId());
        this.policies = PolicyInterpreter.of(Policies.DEFAULT.withRetry(job.retry()));
    }

    /** One request, retried under the job's retry policy. */
    <R extends BusMessage> AsyncPlan<R> call(String address, BusMessage request, Class<R> replyType) {
        return policies.retry(once(address, request, replyType));
    }

    /** One request, not retried: each opening of the plan sends it once. */
    <R extends BusMessage> AsyncPlan<R> once(String address, BusMessage request, Class<R> replyType) {
        requireNonNull(address, "address");
        requireNonNull(request, "request");
        requireNonNull(replyType, "replyType");
        return AsyncPlan.defer(() -> {
            Timer.Sample sample = Timer.start();
            IN_FLIGHT.incrementAndGet();
            return Uni.createFrom()
                    .completionStage(() -> vertx.eventBus().<Object>request(address, request, delivery).toCompletionStage())
                    .onItem().transform(reply -> read(address, reply, replyType))
                    .onFailure().recoverWithItem(e -> Result.err(failure(address, timeout, e)))
                    .onTermination().invoke(() -> {
                        IN_FLIGHT.decrementAndGet();
                        sample.stop(Metrics.timer("funcpipe.stage.request", "address", StageAddress.metricLabel(address)));
                    });
        });
    }

    /**
     * Stage requests awaiting their reply in this JVM; with the request latencies, reported through
     * Micrometer's global registry, which a running {@code Service} joins to its /metrics.
     */
    private static final AtomicInteger IN_FLIGHT = Metrics.gauge("funcpipe.stage.requests.in.flight", new AtomicInteger());

    private static <R> Result<R> read(String address, Message<Object> reply, Class<R> replyType) {
        Object body;
        try {
            body = reply.body();
        } catch (RuntimeException e) {
            return Result.err(ErrInfo.fromException(ErrCode.EXCEPTION, e).withMessage("the reply from " + address
                    + " could not be decoded: " + e.getMessage()).withDetail("address", address));
        }
        if (body instanceof StageFailure(ErrInfo error)) {
            return Result.err(error);
        }
        if (replyType.isInstance(body)) {
            return Result.ok(replyType.cast(body));
        }
        return Result.err(ErrInfo.of(ErrCode.EXCEPTION, address + " answered " + (body == null ? "nothing" : body.getClass().getName())
                + " where " + replyType.getSimpleName() + " was expected: the nodes run different FuncPipe versions")
                .withDetail("address", address));
    }

    /** The error for a request that got no reply. */
    static ErrInfo failure(String address, Duration timeout, Throwable e) {
        ErrInfo error = switch (e) {
            case ReplyException reply -> switch (reply.failureType()) {
                case TIMEOUT -> ErrInfo.of(ErrCode.TIMEOUT, "no reply from " + address + " within " + timeout
                        + ": the stage is overloaded or its node does not respond (such a request is retried under "
                        + "the job's retry policy; raise the reply timeout if the stage is merely slow)");
                case NO_HANDLERS -> StageAddress.isSession(address)
                        ? ErrInfo.of(ErrCode.UNAVAILABLE, "the source session " + address + " no longer exists: it "
                                + "was closed after its idle timeout, or the node that held it left or undeployed the "
                                + "parse stage; run the job again")
                        : ErrInfo.of(ErrCode.UNAVAILABLE, "no node hosts the stage at " + address + ": deploy that "
                                + "stage (StageHostOptions) on a node of this cluster, and check that the node has "
                                + "joined the cluster");
                case RECIPIENT_FAILURE -> ErrInfo.of(ErrCode.EXCEPTION, "the stage at " + address + " failed: "
                        + reply.getMessage() + " (failure code " + reply.failureCode() + ")");
                case ERROR -> ErrInfo.of(ErrCode.UNAVAILABLE, "sending to " + address + " failed: " + reply.getMessage()
                        + "; check the cluster's network");
            };
            default -> ErrInfo.fromException(ErrCode.EXCEPTION, e).withMessage("calling " + address + " failed: " + e);
        };
        return error.withDetail("address", address);
    }
}
