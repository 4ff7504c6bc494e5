package io.funcpipe.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.service.client.BridgeJobApi;
import io.funcpipe.service.client.JobApi;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Faults against real service processes on 127.0.0.1 (hash embedder, a generated corpus of
 * {@code files} text files), shared by {@code FaultToleranceTest} (which asserts on the outcomes)
 * and {@code bench/chaos.sh} (which prints them). Each scenario runs a fault-free reference job
 * first, then the same input slowed by a rate limit on its embed calls, injects the fault once the
 * job has committed a checkpoint past 20 records, and follows the job to its end. Every wait is on
 * a condition (a status, a log line) bounded by a generous deadline.
 */
public final class FaultScenarios implements AutoCloseable {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    /**
     * What one fault did.
     *
     * @param fault           what was done
     * @param expected        chunks of the fault-free reference run
     * @param end             the job's final status
     * @param indexed         chunks in the job's index at the end (committed)
     * @param recoverySeconds from the fault until the job committed a checkpoint past the one it had
     *                        (or ended), the time the fault cost it
     * @param log             the stderr of the node that took over the job's work (for checks)
     */
    public record Outcome(String fault, long expected, JsonObject end, long indexed, double recoverySeconds, String log) {
        public String state() {
            return end.getString("state");
        }
    }

    private final ForkedNodes nodes;
    private final Vertx vertx;
    private final Path inputs;
    private final Path indexes;
    private final int files;

    public FaultScenarios(Path dir, int files) throws Exception {
        this.nodes = new ForkedNodes(dir);
        this.vertx = Vertx.vertx();
        this.files = files;
        this.inputs = Files.createDirectories(dir.resolve("inputs"));
        this.indexes = dir.resolve("indexes");
        for (int f = 0; f < files; f++) {
            StringBuilder text = new StringBuilder();
            for (int p = 0; p < 6; p++) {
                text.append("File ").append(f).append(" paragraph ").append(p).append(" talks about rivers, lakes and ")
                        .append("the mountains that feed them with snow in the spring of year ").append(1800 + f)
                        .append(". It has a second sentence with more words in it to fill the chunk.\n\n");
            }
            Files.writeString(inputs.resolve("doc-%04d.txt".formatted(f)), text);
        }
    }

    public int files() {
        return files;
    }

    public Path indexes() {
        return indexes;
    }

    /**
     * kill -9 of the single node (supervisor, index and every stage), then a restart on the same
     * folders; the job was submitted by a {@code funcpipe submit} process that follows it through
     * the restart, and a queued job waits behind it. Outcomes: the job, the queued job, the client.
     */
    public List<Outcome> supervisorKilled() throws Exception {
        Node node = new Node("node", "[parse, clean, embed, index]", false, 0);
        Process first = node.start();
        long expected = reference(node);
        long expectedQueued = reference(node, inputs.resolve("doc-0000.txt"), "queued-reference", 1);
        Path policies = nodes.conf("slow-policies.json", slowSpec("faulted").getJsonObject("policies").encode());
        Process client = nodes.java("submit", "submit", inputs.toString(), "--index", "faulted", "--url", node.url(),
                "--json", "--policies", policies.toString());
        String id = submittedId(client);
        String queued = submit(node, new JsonObject().put("sources", new JsonArray().add(inputs.resolve("doc-0000.txt")
                .toString())).put("index", "queued"));
        long at = read(waitFor(node, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20));
        long t0 = System.nanoTime();
        nodes.kill(first);
        node.start();
        double recovery = recovery(node, id, at, t0);
        JsonObject end = waitFor(node, id, "the end", FaultScenarios::ended);
        JsonObject queuedEnd = waitFor(node, queued, "the queued job's end", FaultScenarios::ended);
        if (!client.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the submit client did not end: " + nodes.errors("submit"));
        }
        String printed = nodes.output("submit").strip();
        JsonObject clientEnd = new JsonObject(printed.substring(printed.lastIndexOf("\n{") + 1));
        return List.of(new Outcome("kill -9 of the supervisor node, restart", expected, end, count("faulted"),
                        recovery, nodes.errors(node.name)),
                new Outcome("the job queued behind it", expectedQueued, queuedEnd, count("queued"), 0, ""),
                new Outcome("submit following it (exit " + client.exitValue() + ")", expected, clientEnd,
                        count("faulted"), 0, nodes.errors("submit")));
    }

    /** SIGTERM of the single node (grace 5 s), then a restart; also returns the ledger entry left behind. */
    public Outcome supervisorTerminated() throws Exception {
        Node node = new Node("node", "[parse, clean, embed, index]", false, 0);
        Process first = node.start();
        long expected = reference(node);
        String id = submit(node, slowSpec("faulted"));
        long at = read(waitFor(node, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20));
        long t0 = System.nanoTime();
        int exit = nodes.terminate(first, Duration.ofMinutes(1));
        String entry = Files.readString(indexes.resolve(".funcpipe-jobs").resolve(id + ".json"));
        node.start();
        double recovery = recovery(node, id, at, t0);
        JsonObject end = waitFor(node, id, "the end", FaultScenarios::ended);
        return new Outcome("SIGTERM (exit " + exit + ") of the supervisor node, restart", expected, end,
                count("faulted"), recovery, entry);
    }

    /** kill -9 of a node that hosts only embed, beside a node with every stage. */
    public Outcome embedNodeKilled() throws Exception {
        int clusterA = ForkedNodes.freePort();
        int clusterB = ForkedNodes.freePort();
        String members = "[\"127.0.0.1:" + clusterA + "\", \"127.0.0.1:" + clusterB + "\"]";
        Node a = new Node("node-a", "[parse, clean, embed, index]", true, clusterA).members(members);
        Node b = new Node("node-b", "[embed]", true, clusterB).members(members);
        a.start();
        Process embedOnly = b.start();
        long expected = reference(a);
        String id = submit(a, slowSpec("faulted"));
        long at = read(waitFor(a, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20));
        long t0 = System.nanoTime();
        nodes.kill(embedOnly);
        double recovery = recovery(a, id, at, t0);
        JsonObject end = waitFor(a, id, "the end", FaultScenarios::ended);
        return new Outcome("kill -9 of an embed-only node", expected, end, count("faulted"), recovery, nodes.errors(a.name));
    }

    /**
     * Two parse-only nodes beside a node with the other stages: kill -9 of the one holding the job's
     * source session (reopened on the other), then, in a second job, kill -9 of the last parse node.
     */
    public List<Outcome> parseNodeKilled() throws Exception {
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
        long at = read(waitFor(a, id, "a checkpoint past 20 records", s -> docsDone(s) >= 20));
        boolean onP = sessionOf(id, p.name, q.name);
        long t0 = System.nanoTime();
        nodes.kill(onP ? pp : qp);
        Node survivor = onP ? q : p;
        double recovery = recovery(a, id, at, t0);
        JsonObject end = waitFor(a, id, "the end", FaultScenarios::ended);
        Outcome reopened = new Outcome("kill -9 of the parse node holding the session", expected, end,
                count("faulted"), recovery, nodes.errors(survivor.name));

        String last = submit(a, slowSpec("orphaned"));
        waitFor(a, last, "a checkpoint past 20 records", s -> docsDone(s) >= 20);
        long t1 = System.nanoTime();
        nodes.kill(onP ? qp : pp);
        JsonObject failed = waitFor(a, last, "the end", FaultScenarios::ended);
        Outcome orphaned = new Outcome("kill -9 of the last parse node", expected, failed, count("orphaned"),
                (System.nanoTime() - t1) / 1e9, "");
        return List.of(reopened, orphaned);
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
                    """.formatted(http, inputs, clustered || hosted.contains("index") ? indexes : nodes.dir().resolve(name + "-idx"),
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
        return reference(node, inputs, "reference", files);
    }

    /** A fault-free job over {@code source} ({@code records} records) into {@code index}: its chunk count. */
    private long reference(Node node, Path source, String index, long records) throws Exception {
        String id = submit(node, new JsonObject().put("sources", new JsonArray().add(source.toString())).put("index", index));
        JsonObject end = waitFor(node, id, "the reference job's end", FaultScenarios::ended);
        JsonObject report = end.getJsonObject("report");
        if (!"SUCCEEDED".equals(state(end)) || report.getLong("documentsRead") != records || report.getLong("chunksFailed") != 0) {
            throw new AssertionError("the fault-free reference job did not read and index everything: " + end.encodePrettily());
        }
        return report.getLong("chunksIndexed");
    }

    /** The corpus into {@code index}, slowed to 8 embed calls a second so that a fault lands mid-job. */
    private JsonObject slowSpec(String index) {
        return new JsonObject().put("sources", new JsonArray().add(inputs.toString())).put("index", index)
                .put("policies", new JsonObject()
                        .put("rateLimit", new JsonObject().put("permitsPerSecond", 8).put("burst", 1))
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

    static boolean ended(JsonObject status) {
        return switch (state(status)) {
            case "SUCCEEDED", "FAILED", "CANCELLED" -> true;
            default -> false;
        };
    }

    static String state(JsonObject status) {
        return status.getString("state");
    }

    static long docsDone(JsonObject status) {
        JsonObject checkpoint = status.getJsonObject("checkpoint");
        return checkpoint == null ? 0 : checkpoint.getLong("docs");
    }

    /** The id a {@code funcpipe submit} process says it submitted ("submitted job ID" on stderr). */
    private String submittedId(Process client) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        java.util.regex.Pattern submitted = java.util.regex.Pattern.compile("submitted job ([A-Za-z0-9-]+)");
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher m = submitted.matcher(nodes.errors("submit"));
            if (m.find()) {
                return m.group(1);
            }
            if (!client.isAlive()) {
                throw new AssertionError("submit exited with " + client.exitValue() + ": " + nodes.errors("submit"));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("submit printed no job id: " + nodes.errors("submit"));
    }

    /**
     * Seconds from {@code t0} (the fault) until the job committed a checkpoint past {@code read}, the
     * records it had read before the fault (so past work redone or read anew after it), or ended.
     */
    private double recovery(Node node, String id, long read, long t0) throws Exception {
        waitFor(node, id, "a checkpoint past " + read + " records", s -> docsDone(s) > read || ended(s));
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Records the job's current attempt has read (its first attempt: all it has read). */
    private static long read(JsonObject status) {
        return status.getJsonObject("stages").getJsonObject("parse").getLong("in");
    }

    @Override
    public void close() throws Exception {
        nodes.close();
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}
