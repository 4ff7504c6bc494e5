package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.service.client.BridgeJobApi;
import io.funcpipe.service.client.JobApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Faults against real service processes on 127.0.0.1 (hash embedder, a generated corpus): each
 * test runs a fault-free reference job first, then a job slowed by a rate limit on its embed calls,
 * kills or stops a node in the middle of it, and checks the job ends with exactly the reference's
 * chunks. Every wait is on a condition (a status, a log line) with a generous deadline.
 */
@DisplayName("faults: jobs survive the loss of a node")
class FaultToleranceTest {

    private static final Duration LIMIT = Duration.ofMinutes(3);
    private static final int FILES = 240;

    @TempDir
    Path dir;

    private ForkedNodes nodes;
    private Vertx vertx;
    private Path inputs;
    private Path indexes;

    @BeforeEach
    void setUp() throws Exception {
        nodes = new ForkedNodes(dir);
        vertx = Vertx.vertx();
        inputs = Files.createDirectories(dir.resolve("inputs"));
        indexes = dir.resolve("indexes");
        for (int f = 0; f < FILES; f++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 6; p++) {
                text.append("File ").append(f).append(" paragraph ").append(p).append(" talks about rivers, lakes and ")
                        .append("the mountains that feed them with snow in the spring of year ").append(1800 + f)
                        .append(". It has a second sentence with more words in it to fill the chunk.\n\n");
            }
            Files.writeString(inputs.resolve("doc-%03d.txt".formatted(f)), text);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        nodes.close();
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("kill -9 of the supervisor/index node mid-job, then a restart on the same folder: the job resumes to the fault-free chunk count, and a queued job runs")
    void supervisorKilled() throws Exception {
        Node node = new Node("node", "[parse, clean, embed, index]", false, 0);
        Process first = node.start();
        long expected = reference(node);
        String id = submit(node, slowSpec("faulted"));
        String queued = submit(node, new JsonObject().put("sources", new JsonArray().add(inputs.resolve("doc-000.txt")
                .toString())).put("index", "queued"));
        waitFor(node, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20);

        nodes.kill(first);
        node.start();

        JsonObject end = waitFor(node, id, "the end", FaultToleranceTest::ended);
        assertSucceededWith(end, expected);
        assertThat(end.getInteger("resumes")).isEqualTo(1);
        assertThat(count("faulted")).as("chunks in the index").isEqualTo(expected);
        assertThat(state(waitFor(node, queued, "the queued job's end", FaultToleranceTest::ended))).isEqualTo("SUCCEEDED");
    }

    @Test
    @DisplayName("SIGTERM mid-job with a short grace, then a restart: the job resumes; no chunk missing or duplicated")
    void supervisorTerminated() throws Exception {
        Node node = new Node("node", "[parse, clean, embed, index]", false, 0);
        Process first = node.start();
        long expected = reference(node);
        String id = submit(node, slowSpec("faulted"));
        waitFor(node, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20);

        assertThat(nodes.terminate(first, Duration.ofMinutes(1))).as("exit code after SIGTERM (143: the JVM's own, after its shutdown hook)")
                .isIn(0, 143);
        JsonObject entry = new JsonObject(Files.readString(indexes.resolve(".funcpipe-jobs").resolve(id + ".json")));
        assertThat(entry.getString("state")).as("left resumable").isEqualTo("RUNNING");
        assertThat(entry.getJsonObject("checkpoint").getLong("docs")).isGreaterThanOrEqualTo(20);
        node.start();

        JsonObject end = waitFor(node, id, "the end", FaultToleranceTest::ended);
        assertSucceededWith(end, expected);
        assertThat(end.getInteger("resumes")).isEqualTo(1);
        assertThat(count("faulted")).as("chunks in the index").isEqualTo(expected);
    }

    @Test
    @DisplayName("kill -9 of an embed-only node mid-job: the job ends SUCCEEDED with the fault-free chunk count")
    void embedNodeKilled() throws Exception {
        int clusterA = ForkedNodes.freePort();
        int clusterB = ForkedNodes.freePort();
        String members = "[\"127.0.0.1:" + clusterA + "\", \"127.0.0.1:" + clusterB + "\"]";
        Node a = new Node("node-a", "[parse, clean, embed, index]", true, clusterA).members(members);
        Node b = new Node("node-b", "[embed]", true, clusterB).members(members);
        a.start();
        Process embedOnly = b.start();
        long expected = reference(a);
        String id = submit(a, slowSpec("faulted"));
        waitFor(a, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20);

        nodes.kill(embedOnly);

        JsonObject end = waitFor(a, id, "the end", FaultToleranceTest::ended);
        assertSucceededWith(end, expected);
        assertThat(count("faulted")).isEqualTo(expected);
    }

    @Test
    @DisplayName("kill -9 of the node holding the job's source session: it is reopened on the other parse node; with no parse node left, the job FAILS with counts")
    void parseNodeKilled() throws Exception {
        int clusterA = ForkedNodes.freePort();
        int clusterP = ForkedNodes.freePort();
        int clusterQ = ForkedNodes.freePort();
        String members = "[\"127.0.0.1:" + clusterA + "\", \"127.0.0.1:" + clusterP + "\", \"127.0.0.1:" + clusterQ + "\"]";
        Node a = new Node("node-a", "[clean, embed, index]", true, clusterA).members(members);
        Node p = new Node("parse-p", "[parse]", true, clusterP).members(members);
        Node q = new Node("parse-q", "[parse]", true, clusterQ).members(members);
        a.start();
        Process pp = p.start();
        Process qp = q.start();
        long expected = reference(a);

        String id = submit(a, slowSpec("faulted"));
        waitFor(a, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20);
        boolean onP = sessionOf(id, "parse-p", "parse-q");
        nodes.kill(onP ? pp : qp);
        Node survivor = onP ? q : p;
        Process survivorProcess = onP ? qp : pp;

        JsonObject end = waitFor(a, id, "the end", FaultToleranceTest::ended);
        assertSucceededWith(end, expected);
        assertThat(count("faulted")).isEqualTo(expected);
        assertThat(nodes.errors(survivor.name)).as("the session reopened on the other parse node")
                .contains("for job " + id).contains("from record");

        String last = submit(a, slowSpec("orphaned"));
        waitFor(a, last, "a checkpoint past 20 records", s -> docsDone(s) >= 20);
        nodes.kill(survivorProcess);
        JsonObject failed = waitFor(a, last, "the end", FaultToleranceTest::ended);
        assertThat(state(failed)).as("no parse node left: %s", failed.encodePrettily()).isEqualTo("FAILED");
        assertThat(failed.getString("error")).contains("records");
        long read = failed.getJsonObject("report").getLong("documentsRead");
        assertThat(read).as("how far it got").isBetween(20L, (long) FILES - 1);
    }

    // ------------------------------------------------------------------ helpers

    /** A node: its config (written once) and how to start it again on the same ports and folders. */
    private final class Node {
        final String name;
        final int http;
        final String hosted;
        final boolean clustered;
        final int clusterPort;
        String members = "[]";

        Node(String name, String hosted, boolean clustered, int clusterPort) throws Exception {
            this.name = name;
            this.http = ForkedNodes.freePort();
            this.hosted = hosted;
            this.clustered = clustered;
            this.clusterPort = clusterPort;
        }

        Node members(String members) {
            this.members = members;
            return this;
        }

        Process start() throws Exception {
            Path conf = nodes.conf(name + ".yaml", """
                    http:
                      host: 127.0.0.1
                      port: %d
                    inputRoots: ["%s"]
                    index:
                      dir: "%s"
                      commitEvery: 40
                    stages:
                      hosted: %s
                    transport:
                      replyTimeout: 4s
                    embedder:
                      kind: hash
                    jobs:
                      maxRunning: 1
                      progressInterval: 200ms
                    shutdown:
                      grace: 5s
                    cluster:
                      enabled: %s
                      host: 127.0.0.1
                      port: %d
                      members: %s
                    """.formatted(http, inputs, clustered || hosted.contains("index") ? indexes : dir.resolve(name + "-idx"),
                    hosted, clustered, clustered ? clusterPort : 5701, clustered ? members : "[127.0.0.1]"));
            Process p = nodes.java(name, "serve", "--conf", conf.toString());
            nodes.awaitReady(http, p, name);
            return p;
        }

        String url() {
            return "http://127.0.0.1:" + http;
        }
    }

    /** A fault-free job over the corpus into index "reference": its chunk count. */
    private long reference(Node node) throws Exception {
        String id = submit(node, new JsonObject().put("sources", new JsonArray().add(inputs.toString())).put("index", "reference"));
        JsonObject end = waitFor(node, id, "the reference job's end", FaultToleranceTest::ended);
        assertThat(state(end)).as("reference: %s", end.encodePrettily()).isEqualTo("SUCCEEDED");
        assertThat(end.getJsonObject("report").getLong("documentsRead")).isEqualTo(FILES);
        assertThat(end.getJsonObject("report").getLong("chunksFailed")).isZero();
        return end.getJsonObject("report").getLong("chunksIndexed");
    }

    /** The corpus into {@code index}, slowed to 25 embed calls a second so that a fault lands mid-job. */
    private JsonObject slowSpec(String index) {
        return new JsonObject().put("sources", new JsonArray().add(inputs.toString())).put("index", index)
                .put("policies", new JsonObject()
                        .put("rateLimit", new JsonObject().put("permitsPerSecond", 25).put("burst", 1))
                        .put("retry", new JsonObject().put("maxAttempts", 8).put("initialBackoff", "200ms")
                                .put("maxBackoff", "2s")));
    }

    private String submit(Node node, JsonObject spec) throws Exception {
        JobApi api = BridgeJobApi.open(vertx, node.url()).await(30, TimeUnit.SECONDS);
        try {
            return api.submit(spec).await(30, TimeUnit.SECONDS);
        } finally {
            api.close();
        }
    }

    /** Polls the job's status over a fresh bridge connection until {@code condition} holds (reconnecting while the node restarts). */
    private JsonObject waitFor(Node node, String id, String what, Predicate<JsonObject> condition) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        JsonObject last = null;
        JobApi api = null;
        try {
            while (System.nanoTime() < deadline) {
                try {
                    if (api == null) {
                        api = BridgeJobApi.open(vertx, node.url()).await(10, TimeUnit.SECONDS);
                    }
                    last = api.status(id).await(10, TimeUnit.SECONDS);
                    if (condition.test(last)) {
                        return last;
                    }
                } catch (Exception notNow) {
                    if (api != null) {
                        api.close();
                        api = null;
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            if (api != null) {
                api.close();
            }
        }
        throw new AssertionError("job " + id + " never reached " + what + "; last status: "
                + (last == null ? "none" : last.encodePrettily()) + "\n" + node.name + " stderr:\n" + nodes.errors(node.name));
    }

    /** Whether the session of job {@code id} was opened on {@code first} (else on {@code second}), from their logs. */
    private boolean sessionOf(String id, String first, String second) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (nodes.errors(first).contains("for job " + id)) {
                return true;
            }
            if (nodes.errors(second).contains("for job " + id)) {
                return false;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("neither parse node logged a session for job " + id);
    }

    private long count(String index) {
        LuceneVectorIndex read = LuceneVectorIndex.openReadOnly(indexes.resolve(index)).fold(i -> i, e -> {
            throw new AssertionError(e.message());
        });
        try (read) {
            return read.count();
        }
    }

    private static void assertSucceededWith(JsonObject end, long expected) {
        assertThat(state(end)).as("final status: %s", end.encodePrettily()).isEqualTo("SUCCEEDED");
        JsonObject report = end.getJsonObject("report");
        assertThat(report.getLong("documentsRead")).isEqualTo(FILES);
        assertThat(report.getLong("chunksIndexed")).isEqualTo(expected);
        assertThat(report.getLong("chunksFailed")).isZero();
    }

    private static boolean ended(JsonObject status) {
        return switch (state(status)) {
            case "SUCCEEDED", "FAILED", "CANCELLED" -> true;
            default -> false;
        };
    }

    private static String state(JsonObject status) {
        return status.getString("state");
    }

    private static long docsDone(JsonObject status) {
        JsonObject checkpoint = status.getJsonObject("checkpoint");
        return checkpoint == null ? 0 : checkpoint.getLong("docs");
    }
}
