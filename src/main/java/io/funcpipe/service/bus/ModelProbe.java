package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.funcpipe.core.Err;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Embedder;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Whether a node's embedding model is loaded and answers: the model is up while it is open and
 * its last probe (one short text embedded, one vector of the model's dimensions back) succeeded.
 * What the "model" readiness check of a node hosting the clean or embed stage reports.
 *
 * <p>A probe runs when the host starts, and again, at most every {@code reprobeAfter}, when
 * {@link #problem()} is asked while the model is down (an OpenAI-compatible server that comes up
 * late makes the node ready at a later readiness probe). At most one probe runs at a time.
 */
public final class ModelProbe {

    /** The text a probe embeds (an embedding server sees it as one request with one input). */
    public static final String PROBE_TEXT = "funcpipe readiness probe";

    private final Embedder embedder;
    private final BooleanSupplier open;
    private final Duration reprobeAfter;
    private volatile String problem = "the model has not been probed yet";
    /** The probe under way, or null. */
    private Future<Void> probing;
    /** When the last probe ended (System.nanoTime()), or null before the first one has. */
    private volatile Long lastProbeNanos;

    ModelProbe(Embedder embedder, BooleanSupplier open, Duration reprobeAfter) {
        this.embedder = requireNonNull(embedder, "embedder");
        this.open = requireNonNull(open, "open");
        this.reprobeAfter = requireNonNull(reprobeAfter, "reprobeAfter");
    }

    /**
     * Why the model is not up (closed, or its last probe failed, saying how), or empty when it is.
     * Cheap and non-blocking; starts a new probe in the background when the model is down and the
     * last probe is older than {@code reprobeAfter}.
     */
    public Optional<String> problem() {
        if (!open.getAsBoolean()) {
            return Optional.of("the model " + embedder.name() + " is closed");
        }
        String now = problem;
        Long last = lastProbeNanos;
        if (now != null && last != null && System.nanoTime() - last >= reprobeAfter.toNanos()) {
            probe();
        }
        return Optional.ofNullable(now);
    }

    /**
     * Embeds {@link #PROBE_TEXT}; completes (never fails) once the probe has ended, with the model's
     * state updated. While a probe is under way, its future.
     */
    synchronized Future<Void> probe() {
        if (probing != null) {
            return probing;
        }
        Promise<Void> done = Promise.promise();
        probing = done.future();
        Consumer<String> end = outcome -> {
            problem = outcome;
            lastProbeNanos = System.nanoTime();
            synchronized (this) {
                probing = null;
            }
            done.tryComplete();
        };
        try {
            embedder.embed(List.of(PROBE_TEXT)).open().subscribe().with(result -> end.accept(checked(result)),
                    failure -> end.accept("probing the model " + embedder.name() + " failed: " + failure));
        } catch (RuntimeException e) {
            end.accept("probing the model " + embedder.name() + " failed: " + e);
        }
        return done.future();
    }

    private String checked(Result<List<float[]>> result) {
        return switch (result) {
            case Ok<List<float[]>>(List<float[]> vectors) -> vectors.size() == 1 && vectors.get(0).length == embedder.dimensions()
                    ? null
                    : "the model " + embedder.name() + " answered a probe with " + vectors.size()
                            + " vector(s) of the wrong shape (expected one of " + embedder.dimensions() + " dimensions)";
            case Err<List<float[]>>(var error) -> "the model " + embedder.name() + " did not answer a probe: "
                    + error.code() + " " + error.message();
        };
    }
}
