package io.funcpipe.service.bus;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.RetryPolicy;
import io.funcpipe.service.bus.protocol.BusMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Blocking waits and fixtures for the bus tests. Every wait is bounded so that a hang fails the
 * test instead of the build; the bounds are generous and never measure speed.
 */
final class BusTesting {

    static final Duration LIMIT = Duration.ofSeconds(60);
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures");
    static final Path SOTU = Path.of("samples", "sotu");

    private BusTesting() {
    }

    static EmbedderSpec hashModel() {
        return new EmbedderSpec(EmbedderSpec.Kind.HASH, 0, null, Policies.DEFAULT);
    }

    static String fixture(String name) {
        return FIXTURES.resolve(name).toString();
    }

    /** A fast retry policy for tests: {@code attempts} attempts, 10 ms apart. */
    static RetryPolicy quickRetry(int attempts) {
        return RetryPolicy.DEFAULT.atMost(attempts).withBackOff(Duration.ofMillis(10), Duration.ofMillis(10));
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("waiting for a future failed: " + e, e);
        }
    }

    /** The failure of a future that must fail. */
    static Throwable awaitFailure(Future<?> future) {
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("waiting for a future failed: " + e, e);
        }
    }

    static <T> Result<T> await(AsyncPlan<T> plan) {
        return plan.open().await().atMost(LIMIT);
    }

    static <T> List<Result<T>> all(AsyncGen<T> gen) {
        return gen.collectAll().await().atMost(LIMIT);
    }

    static <T> T ok(Result<T> result) {
        return switch (result) {
            case Ok<T>(T value) -> value;
            case Err<T>(ErrInfo error) -> throw new AssertionError("expected Ok, got " + error);
        };
    }

    static ErrInfo err(Result<?> result) {
        return switch (result) {
            case Ok<?>(Object value) -> throw new AssertionError("expected Err, got Ok " + value);
            case Err<?>(ErrInfo error) -> error;
        };
    }

    /** Sends {@code request} to {@code address} and returns the reply's body. */
    static Object request(Vertx vertx, String address, BusMessage request) {
        return await(vertx.eventBus().request(address, request)).body();
    }

    /** Waits until {@code condition} holds; fails naming {@code what} if it does not within {@link #LIMIT}. */
    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }

    /** A JSONL file of {@code lines} documents of about 1 KB each. */
    static Path bigJsonl(Path dir, int lines) throws IOException {
        Path file = dir.resolve("big.jsonl");
        String text = "word ".repeat(200);
        try (Writer out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < lines; i++) {
                out.write("{\"id\":\"d" + i + "\",\"text\":\"" + i + " " + text + "\"}\n");
            }
        }
        return file;
    }
}
