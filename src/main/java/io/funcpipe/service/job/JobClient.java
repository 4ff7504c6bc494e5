package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import io.funcpipe.service.client.ClientOptions;
import io.funcpipe.service.client.JobApi;
import io.funcpipe.service.client.JobFollow;
import io.funcpipe.service.client.JobPage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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
 * the node that published it does not leave the caller waiting forever; while no supervisor
 * answers (its node restarts) it asks again with a backoff for up to {@code reconnectFor}
 * ({@link ClientOptions}), then gives up saying so. Each request waits at most
 * {@code requestTimeout} for its reply.
 *
 * <p>This is the {@link JobApi} of a client on the cluster's event bus (or in the service's own
 * process); {@code BridgeJobApi} is the same API over a service's SockJS bridge.
 */
public final class JobClient implements JobApi {

    private final Vertx vertx;
    private final EventBus bus;
    private final DeliveryOptions delivery;
    private final ClientOptions options;
    private final Map<String, MessageConsumer<JsonObject>> following = new HashMap<>();

    /** A client with {@link ClientOptions#defaults()}. */
    public JobClient(Vertx vertx) {
        this(vertx, ClientOptions.defaults());
    }

    /** A client whose requests, polls and reconnects follow {@code options}. */
    public JobClient(Vertx vertx, ClientOptions options) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.bus = vertx.eventBus();
        this.options = requireNonNull(options, "options");
        this.delivery = new DeliveryOptions().setSendTimeout(options.requestTimeout().toMillis());
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

    /** One page of the jobs the supervisor knows, newest first. */
    @Override
    public Future<JobPage> list(int offset, int limit) {
        return request(JobAddresses.LIST, JobPage.request(offset, limit)).map(JobPage::of);
    }

    /**
     * Follows a job to its end: {@code onProgress} gets each progress event (on the event loop that
     * delivers it), and the result is the final event ({@code "final": true}, the state, and the
     * ingest report under {@code "report"} when the job ran). Fails with a 404
     * {@link ReplyException} for an unknown id, and, once no supervisor has answered for
     * {@code reconnectFor}, with a message saying it gave up.
     */
    @Override
    public Future<JsonObject> follow(String id, Consumer<JsonObject> onProgress) {
        requireNonNull(id, "id");
        return JobFollow.start(vertx, new Link(), options, id, JobAddresses.progress(id), onProgress);
    }

    /** Submits the spec and follows the job to its end (see {@link #follow}). */
    public Future<JsonObject> submitAndFollow(JsonObject spec, Consumer<JsonObject> onProgress) {
        requireNonNull(onProgress, "onProgress");
        return submit(spec).compose(id -> follow(id, onProgress));
    }

    /** How following reaches the supervisor on the bus: the consumer stays registered through a supervisor's restart. */
    private final class Link implements JobFollow.Link {
        @Override
        public Future<Void> attach(String address, Consumer<JsonObject> handler, Consumer<String> onLost) {
            synchronized (following) {
                MessageConsumer<JsonObject> consumer = following.get(address);
                if (consumer == null) {
                    consumer = bus.consumer(address, message -> handler.accept(message.body()));
                    following.put(address, consumer);
                }
                return consumer.completion();
            }
        }

        @Override
        public Future<JsonObject> status(String id) {
            return JobClient.this.status(id);
        }

        @Override
        public void detach(String address) {
            MessageConsumer<JsonObject> consumer;
            synchronized (following) {
                consumer = following.remove(address);
            }
            if (consumer != null) {
                consumer.unregister();
            }
        }

        @Override
        public String where() {
            return "the cluster's supervisor";
        }
    }

    /** Nothing to close: the client does not own the Vert.x instance or its event bus. */
    @Override
    public void close() {
    }

    private Future<JsonObject> request(String address, JsonObject body) {
        return bus.<JsonObject>request(address, body, delivery).map(reply -> reply.body()).recover(e -> Future.failedFuture(explained(address, e)));
    }

    /** A timeout or a missing supervisor, said with what to check; refusals pass unchanged. */
    private Throwable explained(String address, Throwable e) {
        if (!(e instanceof ReplyException reply)) {
            return e;
        }
        return switch (reply.failureType()) {
            case TIMEOUT -> new ReplyException(ReplyFailure.TIMEOUT, "no reply to " + address + " from the cluster's "
                    + "supervisor within " + JobFollow.words(options.requestTimeout()) + "; check that the node hosting the "
                    + "index stage runs and is ready (GET /health/ready), or wait longer (--timeout)");
            case NO_HANDLERS -> new ReplyException(ReplyFailure.NO_HANDLERS, "no supervisor answers " + address
                    + " in this cluster: start the node that hosts the index stage, and check that this client "
                    + "joined the right cluster (cluster.members)");
            default -> reply;
        };
    }

    private static JsonObject idBody(String id) {
        return new JsonObject().put("id", requireNonNull(id, "id"));
    }
}
