package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.util.function.BooleanSupplier;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * What {@code /health/ready} reports: the node is ready when at least one check is registered and
 * every registered check is up. The supervisor registers what it needs ("stages" deployed, "model"
 * loaded, "index" open, "cluster" joined); until the first registration the node is not ready,
 * so Kubernetes sends it nothing while it is still starting.
 *
 * <p>Registering a name again replaces its check. Checks run on an event loop on each probe:
 * a {@link BooleanSupplier} must be cheap and must not block (read a flag the owner sets); a check
 * that blocks belongs in a procedure that uses {@code executeBlocking}
 * ({@link #register(String, Handler)}, as {@link ClusterSetup#clusterCheck} does).
 */
public final class Readiness {

    private final HealthChecks checks;

    private Readiness(HealthChecks checks) {
        this.checks = checks;
    }

    public static Readiness create(Vertx vertx) {
        return new Readiness(HealthChecks.create(requireNonNull(vertx, "vertx")));
    }

    /**
     * Registers (or replaces) a check that is up while {@code up} returns true; a supplier that
     * throws counts as down, with the exception's message in the report.
     */
    public Readiness register(String name, BooleanSupplier up) {
        requireNonNull(up, "up");
        return register(name, promise -> {
            try {
                promise.complete(up.getAsBoolean() ? Status.OK() : Status.KO());
            } catch (RuntimeException e) {
                promise.complete(Status.KO(new JsonObject().put("error", String.valueOf(e.getMessage()))));
            }
        });
    }

    /** Registers (or replaces) a vertx-health-check procedure; it must complete within one second. */
    public Readiness register(String name, Handler<Promise<Status>> procedure) {
        checkName(name);
        requireNonNull(procedure, "procedure");
        checks.register(name, procedure);
        return this;
    }

    /** Removes a check; removing the last one makes the node not ready. */
    public Readiness unregister(String name) {
        checkName(name);
        checks.unregister(name);
        return this;
    }

    /** Whether the node is ready now, as {@code /health/ready} would answer. */
    public Future<Boolean> ready() {
        return checks.checkStatus().map(Readiness::ready);
    }

    /** The {@code /health/ready} handler: 200 when ready, 503 when not (500 when a check failed to run). */
    HealthCheckHandler handler() {
        return HealthCheckHandler.createWithHealthChecks(checks).resultMapper(result -> Future.succeededFuture(
                isEmpty(result)
                        ? new CheckResult().setStatus(Status.KO(new JsonObject().put("reason", "no readiness check registered yet")))
                        : result));
    }

    private static boolean ready(CheckResult result) {
        return !isEmpty(result) && result.getUp();
    }

    private static boolean isEmpty(CheckResult result) {
        return result.getChecks() == null || result.getChecks().isEmpty();
    }

    private static void checkName(String name) {
        requireNonNull(name, "name");
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("a readiness check name must be non-blank and contain no '/', got '" + name + "'");
        }
    }
}
