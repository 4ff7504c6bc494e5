package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import io.funcpipe.service.client.JobApi;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The job API for JVM clients (the CLI's {@code submit} and {@code jobs} commands): requests on the
 * event bus, answers as futures. A refused request fails with a {@link ReplyException} whose
 * {@code failureCode()} is the API's code ({@value JobAddresses#BAD_REQUEST} with every problem of
 * a spec, {@value JobAddresses#NOT_FOUND}, {@value JobAddresses#UNAVAILABLE} while the supervisor
 * shuts down) and whose message says why.
 *
 * <p>{@link #follow} does not miss the end of a job that finishes before it subscribed (a small
 * job can end between {@code submit}'s reply and the subscription): it registers its progress
 * consumer first, waits until the registration is effective, then asks for the status; a job that
 * has already ended is answered from its status, which carries the same fields as the final event.
 * While it follows, it also polls the status every {@code pollEvery}, so a final event lost with
 * the node that published it does not leave the caller waiting forever.
 *
 * <p>This is the {@link JobApi} of a client on the cluster's event bus (or in the service's own
 * process); {@code BridgeJobApi} is the same API over a service's SockJS bridge.
 */
public final class JobClient implements JobApi {

    /** The default time between two status polls while following a job. */
    public static final Duration DEFAULT_POLL_EVERY = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final EventBus bus;
    private final DeliveryOptions delivery;
    private final Duration pollEvery;

    /** A client with the event bus's default request timeout (30 s) and {@link #DEFAULT_POLL_EVERY}. */
    public JobClient(Vertx vertx) {
        this(vertx, new DeliveryOptions(), DEFAULT_POLL_EVERY);
    }

    /**
     * @param delivery  options of every request (its timeout bounds how long a cancel may wait for the job to end)
     * @param pollEvery the time between two status polls while following a job (> 0)
     */
    public JobClient(Vertx vertx, DeliveryOptions delivery, Duration pollEvery) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.bus = vertx.eventBus();
        this.delivery = new DeliveryOptions(requireNonNull(delivery, "delivery"));
        this.pollEvery = requireNonNull(pollEvery, "pollEvery");
        if (pollEvery.toMillis() < 1) {
            throw new IllegalArgumentException("pollEvery must be at least 1 ms, got " + pollEvery);
        }
    }

    /** Submits a job spec (JSON, as in docs/job-api.md); the job's id. */
    @Override
    public Future<String> submit(JsonObject spec) {
        requireNonNull(spec, "spec");
        return request(JobAddresses.SUBMIT, spec).map(reply -> reply.getString("id"));
    }

    /** Submits a job spec built in code. */
    public Future<String> submit(JobSpec spec) {
        return submit(JobSpecJson.write(requireNonNull(spec, "spec")));
    }

    /** The job's status. */
    @Override
    public Future<JsonObject> status(String id) {
        return request(JobAddresses.STATUS, idBody(id));
    }

    /** Cancels the job; its status once it has ended (CANCELLED, or how it ended if it ended first). */
    @Override
    public Future<JsonObject> cancel(String id) {
        return request(JobAddresses.CANCEL, idBody(id));
    }

    /** The status of every job the supervisor knows, newest first. */
    @Override
    public Future<List<JsonObject>> list() {
        return request(JobAddresses.LIST, new JsonObject()).map(reply -> {
            JsonArray jobs = reply.getJsonArray("jobs");
            return jobs.stream().map(JsonObject.class::cast).toList();
        });
    }

    /**
     * Follows a job to its end: {@code onProgress} gets each progress event (on the event loop that
     * delivers it), and the result is the final event ({@code "final": true}, the state, and the
     * ingest report under {@code "report"} when the job ran). Fails with a 404
     * {@link ReplyException} for an unknown id, and with a {@code NO_HANDLERS} one when no
     * supervisor answers any more.
     */
    @Override
    public Future<JsonObject> follow(String id, Consumer<JsonObject> onProgress) {
        requireNonNull(id, "id");
        requireNonNull(onProgress, "onProgress");
        Promise<JsonObject> end = Promise.promise();
        MessageConsumer<JsonObject> consumer = bus.consumer(JobAddresses.progress(id));
        consumer.handler(message -> {
            JsonObject event = message.body();
            if (event.getBoolean("final", false)) {
                end.tryComplete(event);
            } else if (!end.future().isComplete()) {
                onProgress.accept(event);
            }
        });
        long poller = vertx.setPeriodic(pollEvery.toMillis(), ignored -> checkStatus(id, end));
        consumer.completion().onComplete(registered -> {
            if (registered.failed()) {
                end.tryFail(registered.cause());
            } else {
                checkStatus(id, end);
            }
        });
        return end.future().andThen(ignored -> {
            vertx.cancelTimer(poller);
            consumer.unregister();
        });
    }

    /** Submits the spec and follows the job to its end (see {@link #follow}). */
    public Future<JsonObject> submitAndFollow(JsonObject spec, Consumer<JsonObject> onProgress) {
        requireNonNull(onProgress, "onProgress");
        return submit(spec).compose(id -> follow(id, onProgress));
    }

    /** Ends {@code end} from the status if the job has ended (or is unknown). */
    private void checkStatus(String id, Promise<JsonObject> end) {
        if (end.future().isComplete()) {
            return;
        }
        status(id).onComplete(status -> {
            if (status.failed()) {
                if (status.cause() instanceof ReplyException reply && (reply.failureCode() == JobAddresses.NOT_FOUND
                        || reply.failureType() == ReplyFailure.NO_HANDLERS)) {
                    end.tryFail(reply);
                }
                return; // a timeout: the next poll tries again
            }
            if (JobState.valueOf(status.result().getString("state")).isFinal()) {
                end.tryComplete(status.result().copy().put("final", true));
            }
        });
    }

    /** Nothing to close: the client does not own the Vert.x instance or its event bus. */
    @Override
    public void close() {
    }

    private Future<JsonObject> request(String address, JsonObject body) {
        return bus.<JsonObject>request(address, body, delivery).map(reply -> reply.body());
    }

    private static JsonObject idBody(String id) {
        return new JsonObject().put("id", requireNonNull(id, "id"));
    }
}
