package io.funcpipe.service.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * Follows one job to its end through faults, for either client ({@link BridgeJobApi},
 * {@code JobClient}): it subscribes to the job's progress address, then asks for the status (a job
 * that ended before the subscription took effect is answered from it), and polls the status every
 * {@code pollEvery}. When it loses the service (the connection closes, a status request fails or
 * times out, no supervisor answers) it reconnects and subscribes again, with a backoff (200 ms
 * doubling to 10 s), and asks for the status once more, for up to {@code reconnectFor} in all;
 * then it gives up, saying so. The service keeps its jobs across restarts, so a job followed before
 * a restart is followed after it. Only a refusal (404: the service does not know the job) ends the
 * wait at once.
 */
public final class JobFollow {

    private static final Set<String> FINAL_STATES = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final int NOT_FOUND = 404;

    /** What following needs from a client. */
    public interface Link {
        /**
         * Subscribes {@code handler} to {@code address}, re-establishing the connection first when it
         * was lost; completes once a request sent after it sees the subscription. {@code onLost} is
         * called (with why) when the connection the subscription lives on is lost.
         */
        Future<Void> attach(String address, Consumer<JsonObject> handler, Consumer<String> onLost);

        /** The job's status (a request under the client's timeout). */
        Future<JsonObject> status(String id);

        /** Ends the subscription (best effort). */
        void detach(String address);

        /** Where the job API is, for messages: {@code the service at http://...}. */
        String where();
    }

    private final Vertx vertx;
    private final Link link;
    private final ClientOptions options;
    private final String id;
    private final String address;
    private final Consumer<JsonObject> onProgress;
    private final Promise<JsonObject> end = Promise.promise();
    private long poller;
    private boolean down;
    private long downSince;
    private int attempts;
    private boolean retryScheduled;
    private String lastProblem;

    private JobFollow(Vertx vertx, Link link, ClientOptions options, String id, String address, Consumer<JsonObject> onProgress) {
        this.vertx = vertx;
        this.link = link;
        this.options = options;
        this.id = id;
        this.address = address;
        this.onProgress = onProgress;
    }

    /** Follows job {@code id}, whose events are published on {@code address}; see the class comment. */
    public static Future<JsonObject> start(Vertx vertx, Link link, ClientOptions options, String id, String address,
                                    Consumer<JsonObject> onProgress) {
        JobFollow follow = new JobFollow(requireNonNull(vertx, "vertx"), requireNonNull(link, "link"),
                requireNonNull(options, "options"), requireNonNull(id, "id"), requireNonNull(address, "address"),
                requireNonNull(onProgress, "onProgress"));
        follow.poller = vertx.setPeriodic(options.pollEvery().toMillis(), ignored -> follow.poll());
        follow.connect();
        return follow.end.future().andThen(ignored -> {
            vertx.cancelTimer(follow.poller);
            link.detach(address);
        });
    }

    private void connect() {
        Future<Void> attached;
        try {
            attached = link.attach(address, this::onEvent, this::lost);
        } catch (RuntimeException e) {
            attached = Future.failedFuture(e);
        }
        attached.compose(ignored -> link.status(id)).onComplete(this::answered);
    }

    private synchronized void poll() {
        if (!down && !end.future().isComplete()) {
            link.status(id).onComplete(this::answered);
        }
    }

    private void onEvent(JsonObject event) {
        if (event.getBoolean("final", false)) {
            end.tryComplete(event);
        } else if (!end.future().isComplete()) {
            onProgress.accept(event);
        }
    }

    private void answered(AsyncResult<JsonObject> answer) {
        if (end.future().isComplete()) {
            return;
        }
        if (answer.succeeded()) {
            up();
            JsonObject status = answer.result();
            if (FINAL_STATES.contains(status.getString("state", ""))) {
                end.tryComplete(status.copy().put("final", true));
            }
            return;
        }
        Throwable failure = answer.cause();
        if (failure instanceof ReplyException reply && reply.failureCode() == NOT_FOUND) {
            end.tryFail(reply);
            return;
        }
        lost(String.valueOf(failure.getMessage()));
    }

    private synchronized void up() {
        if (down) {
            down = false;
            options.notices().accept("reconnected to " + link.where() + "; following job " + id + " again");
        }
        attempts = 0;
    }

    private synchronized void lost(String why) {
        if (end.future().isComplete()) {
            return;
        }
        lastProblem = why;
        if (retryScheduled) {
            return; // already waiting to reconnect
        }
        long now = System.nanoTime();
        if (!down) {
            down = true;
            downSince = now;
            attempts = 0;
            options.notices().accept("lost " + link.where() + " while following job " + id + " (" + why
                    + "); reconnecting for up to " + words(options.reconnectFor()));
        }
        Duration delay = options.backoff(attempts + 1);
        Duration elapsed = Duration.ofNanos(now - downSince);
        if (attempts > 0) {
            options.notices().accept("reconnect attempt " + attempts + " failed (" + why + "); next in "
                    + words(delay) + ", giving up in " + words(options.reconnectFor().minus(elapsed)));
        }
        if (elapsed.plus(delay).compareTo(options.reconnectFor()) > 0) {
            giveUp(elapsed);
            return;
        }
        attempts++;
        retryScheduled = true;
        vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> {
            synchronized (this) {
                retryScheduled = false;
            }
            connect();
        });
    }

    private void giveUp(Duration elapsed) {
        String message = "gave up following job " + id + " after " + attempts + " reconnect attempt(s) over "
                + words(elapsed) + ": " + link.where() + " did not come back (" + lastProblem + "); the job may still "
                + "be running: ask for its status once the service is back (funcpipe jobs " + id
                + "), or follow for longer (--reconnect-for)";
        end.tryFail(new IllegalStateException(message));
    }

    /** A duration for messages: {@code 850 ms}, {@code 30 s}, {@code 5 min}. */
    public static String words(Duration duration) {
        Duration d = duration.isNegative() ? Duration.ZERO : duration;
        long seconds = d.toSeconds();
        if (seconds < 1) {
            return d.toMillis() + " ms";
        }
        return seconds < 120 ? seconds + " s" : (seconds / 60) + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
}
