package io.funcpipe.service.shell;

import java.time.Duration;
import java.util.Set;

import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.JobAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/jobs/{id}/events}: a job's progress as Server-Sent Events, each event {@code data: <status
 * JSON>}, the last one with {@code "final": true}, after which the stream ends.
 *
 * <p>Like {@code JobApi.follow}: subscribe to the job's progress address first, then ask the status (404 if
 * no job has the id; the caller must be allowed to see it), so a job that ends in between is not missed: the
 * first event is the status now, and a job that has already ended gets its final status as the one event.
 * While the stream is open the status is also asked every {@link #POLL_EVERY}, so a final event lost with a
 * node still ends the stream (the poll's status is sent only then). The consumer and the timer go as soon as
 * the client goes away or the stream ends.
 */
final class JobEvents {

    /** How often an open stream asks the status, in case the final event was lost. Also a keep-alive. */
    static final Duration POLL_EVERY = Duration.ofSeconds(2);
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final Vertx vertx;

    JobEvents(Vertx vertx) {
        this.vertx = vertx;
    }

    void stream(RoutingContext rc) {
        String id = rc.pathParam("id");
        MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(JobBridge.progressAddress(id));
        Stream stream = new Stream(rc, consumer);
        consumer.handler(message -> stream.send(message.body()));
        consumer.completion()
                .onFailure(e -> {
                    stream.close();
                    ApiError.of(500, "cannot subscribe to the progress of job " + id + ": " + e.getMessage(), null).send(rc);
                })
                .onSuccess(subscribed -> JobRoutes.request(vertx, rc, JobAddresses.STATUS, new JsonObject().put("id", id),
                                JobRoutes.REQUEST_TIMEOUT)
                        .onSuccess(stream::open));
        rc.response().closeHandler(gone -> stream.close());
        rc.addEndHandler(ended -> stream.close());
    }

    private static boolean ended(JsonObject status) {
        String state = status.getString("state");
        return state != null && ENDED.contains(state);
    }

    /** One client's stream: the consumer and the poll timer live exactly as long as it. */
    private final class Stream {

        private final RoutingContext rc;
        private final MessageConsumer<JsonObject> consumer;
        private long timer = -1;
        private boolean opened;
        private boolean closed;

        Stream(RoutingContext rc, MessageConsumer<JsonObject> consumer) {
            this.rc = rc;
            this.consumer = consumer;
        }

        /** The status answered after subscribing: the stream's first event (its only one if the job has ended). */
        void open(JsonObject status) {
            if (closed) {
                return;
            }
            opened = true;
            rc.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                    .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
            send(status);
            if (!closed) {
                timer = vertx.setPeriodic(POLL_EVERY.toMillis(), tick -> poll());
            }
        }

        void send(JsonObject status) {
            if (closed || !opened) {
                return;
            }
            boolean last = Boolean.TRUE.equals(status.getValue("final")) || ended(status);
            JsonObject event = last ? status.copy().put("final", true) : status;
            HttpServerResponse response = rc.response();
            response.write("data: " + event.encode() + "\n\n");
            if (last) {
                close();
                response.end();
            }
        }

        private void poll() {
            vertx.eventBus().<JsonObject>request(JobAddresses.STATUS, new JsonObject().put("id", rc.pathParam("id")),
                            rc.<Caller>get(Caller.CONTEXT_KEY).writeTo(new DeliveryOptions()
                                    .setSendTimeout(JobRoutes.REQUEST_TIMEOUT.toMillis())))
                    .onSuccess(reply -> {
                        if (ended(reply.body())) {
                            send(reply.body());
                        } else if (!closed) {
                            rc.response().write(": waiting\n\n");
                        }
                    })
                    .onFailure(e -> {
                        if (e instanceof ReplyException reply && reply.failureCode() == JobAddresses.NOT_FOUND && !closed) {
                            close();
                            rc.response().end(); // the job was forgotten: nothing more will come
                        }
                    });
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            consumer.unregister();
        }
    }
}
