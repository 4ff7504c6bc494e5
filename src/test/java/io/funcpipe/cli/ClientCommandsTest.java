package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.service.shell.HttpShell;
import io.funcpipe.service.shell.JobBridge;
import io.funcpipe.service.shell.Readiness;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code submit} and {@code jobs} against a scripted job API behind the real HTTP shell and its
 * SockJS bridge on 127.0.0.1: faults (the service stops and starts again on the same port, a
 * request gets no reply), replies larger than a WebSocket frame, paging, and the status fields of
 * durable jobs.
 */
@DisplayName("submit and jobs through faults, big replies and pages")
class ClientCommandsTest {

    private static final Duration LIMIT = Duration.ofSeconds(90);

    private Vertx vertx;
    private int port;
    private String deployment;
    /** What funcpipe.jobs.status answers; null: no reply at all. */
    private final AtomicReference<JsonObject> status = new AtomicReference<>();
    private final AtomicInteger statusAsked = new AtomicInteger();
    /** Every job funcpipe.jobs.list pages over, newest first. */
    private volatile List<JsonObject> jobs = List.of();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        vertx.eventBus().<JsonObject>consumer(JobBridge.SUBMIT, m -> m.reply(new JsonObject().put("id", "job-1")));
        vertx.eventBus().<JsonObject>consumer(JobBridge.STATUS, m -> {
            statusAsked.incrementAndGet();
            JsonObject now = status.get();
            if (now != null) {
                m.reply(now);
            }
        });
        vertx.eventBus().<JsonObject>consumer(JobBridge.LIST, m -> {
            int offset = m.body().getInteger("offset", 0);
            int limit = m.body().getInteger("limit", 100);
            List<JsonObject> all = jobs;
            int to = Math.min(all.size(), offset + limit);
            m.reply(new JsonObject().put("jobs", new JsonArray(all.subList(Math.min(offset, to), to))).put("offset", offset)
                    .put("total", all.size()).put("nextOffset", to < all.size() ? to : null));
        }).completion().await(LIMIT.toSeconds(), TimeUnit.SECONDS);
        port = portOutsideEphemeralRange();
        startShell();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * A free port below the kernel's ephemeral range: the client's reconnect attempts to it while no
     * server listens cannot self-connect (a socket whose local port the kernel picked equal to the
     * port it connects to), and no other process's port-0 bind takes it, so the shell can listen on
     * it again after a stop.
     */
    private static int portOutsideEphemeralRange() throws IOException {
        int low = 32768;
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        if (Files.isReadable(range)) {
            low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
        }
        int from = Math.max(1024, Math.min(20_000, low - 1000));
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = from + ThreadLocalRandom.current().nextInt(Math.max(1, low - from));
            try (ServerSocket probe = new ServerSocket(candidate, 0, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between " + from + " and " + low);
    }

    private void startShell() throws Exception {
        deployment = vertx.deployVerticle(new HttpShell(new ServiceConfig.Http("127.0.0.1", port), Readiness.create(vertx),
                ServiceMetrics.create())).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private void stopShell() throws Exception {
        vertx.undeploy(deployment).await(LIMIT.toSeconds(), TimeUnit.SECONDS);
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private static JsonObject job(String id, String state) {
        return new JsonObject().put("id", id).put("state", state).put("spec", new JsonObject().put("index", "docs"))
                .put("stages", new JsonObject().put("parse", new JsonObject().put("in", 4))
                        .put("index", new JsonObject().put("ok", 224)))
                .put("errors", new JsonObject().put("count", 0));
    }

    private static JsonObject succeeded() {
        JsonObject report = new JsonObject().put("documentsRead", 4).put("documentsFailed", 0).put("chunksIndexed", 224)
                .put("chunksFailed", 0).put("elapsedSeconds", 1.5).put("index", "/srv/indexes/docs")
                .put("stages", new JsonObject().put("parse", new JsonObject().put("in", 4).put("ok", 4).put("failed", 0)));
        return job("job-1", "SUCCEEDED").put("report", report);
    }

    // ------------------------------------------------------------------ running the CLI

    /** A command run in a thread of its own, its stdout and stderr readable while it runs. */
    private static final class Running {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> exit = new CompletableFuture<>();

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        int await() throws Exception {
            return exit.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static final Object STDIO = new Object();

    /** Runs {@code funcpipe args...} with System.out/err captured (they are swapped for the run). */
    private static Running funcpipe(String... args) {
        Running run = new Running();
        Thread thread = new Thread(() -> {
            synchronized (STDIO) {
                PrintStream oldOut = System.out;
                PrintStream oldErr = System.err;
                System.setOut(new PrintStream(run.out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(run.err, true, StandardCharsets.UTF_8));
                try {
                    run.exit.complete(Main.run(args));
                } catch (Throwable t) {
                    run.exit.completeExceptionally(t);
                } finally {
                    System.setOut(oldOut);
                    System.setErr(oldErr);
                }
            }
        }, "funcpipe-cli-test");
        thread.setDaemon(true);
        thread.start();
        return run;
    }

    private static void until(String what, BooleanSupplier condition, Running run) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || run.exit.isDone()) {
                throw new AssertionError("never happened: " + what + "\nstdout: " + run.out() + "\nstderr: " + run.err()
                        + (run.exit.isDone() ? "\n(the command ended: " + run.exit.getNow(null) + ")" : ""));
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------ submit

    @Test
    @DisplayName("submit follows its job while the service stops and starts again on the same port, then prints the final report")
    void submitFollowsThroughARestart() throws Exception {
        status.set(job("job-1", "RUNNING"));
        Running run = funcpipe("submit", "docs", "--index", "docs", "--url", url());
        until("the client asked for the job's status", () -> statusAsked.get() > 0, run);

        stopShell();
        until("the client says it lost the service", () -> run.err().contains("lost the service at " + url()), run);
        until("a reconnect attempt failed while the service was down", () -> run.err().contains("reconnect attempt 1 failed"), run);
        status.set(succeeded());
        startShell();

        assertThat(run.await()).as("stderr: %s", run.err()).isZero();
        assertThat(run.err()).contains("reconnecting for up to 5 min", "reconnected to the service at " + url(),
                "following job job-1 again");
        assertThat(run.out()).contains("Job job-1 SUCCEEDED", "4 documents (0 failed), 224 chunks indexed (0 failed)");
    }

    @Test
    @DisplayName("submit gives up after --reconnect-for when the service does not come back, saying what to do")
    void submitGivesUp() throws Exception {
        status.set(job("job-1", "RUNNING"));
        Running run = funcpipe("submit", "docs", "--index", "docs", "--url", url(), "--reconnect-for", "1s");
        until("the client asked for the job's status", () -> statusAsked.get() > 0, run);

        stopShell();

        assertThat(run.await()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("lost the service at " + url(), "gave up following job job-1",
                "funcpipe jobs job-1", "--reconnect-for");
        assertThat(run.out()).isEmpty();
    }

    // ------------------------------------------------------------------ jobs

    @Test
    @DisplayName("jobs ID shows how often the job resumed, its checkpoint and the stage it waits for; --json carries them")
    void durableStatusFields() throws Exception {
        status.set(job("job-1", "RUNNING").put("resumes", 2).put("waiting", "waiting for stage embed")
                .put("checkpoint", new JsonObject().put("docs", 1200L).put("chunksIndexed", 35000L)
                        .put("time", "2026-12-01T20:15:00Z")));

        Running text = funcpipe("jobs", "job-1", "--url", url());
        assertThat(text.await()).isZero();
        assertThat(text.out()).contains("job-1", "RUNNING", "waiting for stage embed", "resumed: 2 times",
                "checkpoint: 1200 documents done, 35000 chunks indexed, committed 2026-12-01T20:15:00Z");

        Running json = funcpipe("jobs", "job-1", "--url", url(), "--json");
        assertThat(json.await()).isZero();
        JsonObject shown = new JsonObject(json.out());
        assertThat(shown.getInteger("resumes")).isEqualTo(2);
        assertThat(shown.getJsonObject("checkpoint").getLong("chunksIndexed")).isEqualTo(35000L);
        assertThat(shown.getString("waiting")).isEqualTo("waiting for stage embed");
    }

    @Test
    @DisplayName("jobs ID of a job without a checkpoint says so")
    void noCheckpointYet() throws Exception {
        status.set(job("job-1", "QUEUED").put("resumes", 0));

        Running run = funcpipe("jobs", "job-1", "--url", url());

        assertThat(run.await()).isZero();
        assertThat(run.out()).contains("resumed: never", "checkpoint: none yet");
    }

    @Test
    @DisplayName("a list far larger than a WebSocket frame (one job with 2,000 sources) arrives whole")
    void bigReply() throws Exception {
        JsonArray sources = new JsonArray();
        IntStream.range(0, 2_000).forEach(i -> sources.add("/data/exports/a-rather-long-folder-name/for-the-size/of-the-status/and-some-more-words/"
                + "of-a-real-path/part-" + i + "-of-the-feed-exported-on-2026-12-01.jsonl"));
        JsonObject big = job("job-big", "SUCCEEDED");
        big.getJsonObject("spec").put("sources", sources);
        jobs = List.of(big);
        assertThat(big.encode().length()).as("bigger than Vert.x's default message limit").isGreaterThan(256 * 1024);

        Running text = funcpipe("jobs", "--url", url(), "--timeout", "20s");
        assertThat(text.await()).as("stderr: %s", text.err()).isZero();
        assertThat(text.out()).contains("job-big", "SUCCEEDED");

        Running json = funcpipe("jobs", "--url", url(), "--json");
        assertThat(json.await()).isZero();
        assertThat(new JsonArray(json.out()).getJsonObject(0).getJsonObject("spec").getJsonArray("sources")).hasSize(2_000);
    }

    @Test
    @DisplayName("jobs reads every page: 250 jobs, each shown exactly once, newest first")
    void pages() throws Exception {
        jobs = IntStream.range(0, 250).mapToObj(i -> job("job-" + (249 - i), "SUCCEEDED")).toList();

        Running json = funcpipe("jobs", "--url", url(), "--json");
        assertThat(json.await()).isZero();
        JsonArray listed = new JsonArray(json.out());
        assertThat(listed).hasSize(250);
        assertThat(listed.getJsonObject(0).getString("id")).isEqualTo("job-249");

        Running text = funcpipe("jobs", "--url", url());
        assertThat(text.await()).isZero();
        Set<String> lines = new HashSet<>(text.out().lines().filter(line -> line.startsWith("job-")).toList());
        assertThat(lines).hasSize(250);
    }

    @Test
    @DisplayName("a request without a reply ends after --timeout with a message naming the address and the URL")
    void requestTimeout() throws Exception {
        status.set(null);

        Running run = funcpipe("jobs", "job-1", "--url", url(), "--timeout", "500ms");

        assertThat(run.await()).isEqualTo(Main.FAILED);
        assertThat(run.err()).contains("no reply from the service at " + url() + " to funcpipe.jobs.status within 500 ms",
                "/health/ready", "--timeout");
    }
}
