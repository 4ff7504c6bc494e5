package io.funcpipe.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

/**
 * Three JVMs on 127.0.0.1: node A hosts every stage and the supervisor, node B hosts only the embed
 * stage, and a client process joins the cluster, submits the sample speeches and prints the final
 * event. The event bus spreads embed batches over both nodes; each node's /metrics counts what its
 * embed stage served.
 */
@DisplayName("a cluster of two service nodes and a client, each in its own JVM on 127.0.0.1")
class ClusteredServiceTest {

    private static final Duration START_LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: the node's shutdown hook stops it
        }
        for (Process p : processes) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    @DisplayName("a submitted job is embedded on both nodes and every document is accounted for")
    void jobSpreadsOverTheCluster() throws Exception {
        int clusterA = freePort();
        int clusterB = freePort();
        int clusterClient = freePort();
        int httpA = freePort();
        int httpB = freePort();
        String members = "[\"127.0.0.1:" + clusterA + "\", \"127.0.0.1:" + clusterB + "\", \"127.0.0.1:" + clusterClient + "\"]";
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        Path indexes = dir.resolve("indexes");

        Process a = java("node-a", "serve", "--conf", conf("a.yaml", httpA, clusterA, members,
                "[parse, clean, embed, index]", samples, indexes).toString());
        Process b = java("node-b", "serve", "--conf", conf("b.yaml", httpB, clusterB, members, "[embed]", samples,
                dir.resolve("unused-indexes")).toString());
        awaitReady(httpA, a, "node-a");
        awaitReady(httpB, b, "node-b");

        Process client = java("client", "submit", samples.toString(), "--index", "sotu", "--cluster", "--json",
                "--conf", conf("client.yaml", freePort(), clusterClient, members, "[]", samples, indexes).toString());
        assertThat(client.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the client ended").isTrue();
        String output = Files.readString(dir.resolve("client.out")).strip();
        assertThat(client.exitValue()).as("client exit code; stderr: %s", Files.readString(dir.resolve("client.err")))
                .isZero();

        JsonObject end = new JsonObject(output.substring(output.lastIndexOf("\n{") + 1));
        assertThat(end.getString("state")).isEqualTo("SUCCEEDED");
        JsonObject report = end.getJsonObject("report");
        assertThat(report.getLong("documentsRead")).isEqualTo(4);
        assertThat(report.getLong("documentsFailed")).isZero();
        assertThat(report.getLong("chunksFailed")).isZero();
        long chunks = report.getLong("chunksIndexed");
        assertThat(chunks).isPositive();
        JsonObject stages = report.getJsonObject("stages");
        assertThat(stages.getJsonObject("parse").getLong("in")).isEqualTo(4);
        assertThat(stages.getJsonObject("embed").getLong("ok")).isEqualTo(chunks);

        long servedByA = embedded(httpA);
        long servedByB = embedded(httpB);
        System.out.printf("ClusteredServiceTest: %d documents, %d chunks indexed; chunks embedded on node A: %d, on node B: %d%n",
                report.getLong("documentsRead"), chunks, servedByA, servedByB);
        assertThat(servedByA).as("chunks embedded on node A").isPositive();
        assertThat(servedByB).as("chunks embedded on node B").isPositive();
        assertThat(servedByA + servedByB).isEqualTo(chunks);
    }

    /** The chunks node's embed stage embedded, from its Prometheus metrics. */
    private long embedded(int port) throws IOException, InterruptedException {
        String metrics = get(port, "/metrics").body();
        Matcher m = Pattern.compile("(?m)^funcpipe_stage_items_total\\{[^}]*stage=\"embed\"[^}]*} ([0-9.Ee+]+)$").matcher(metrics);
        assertThat(m.find()).as("funcpipe_stage_items_total{stage=\"embed\"} in /metrics of port %d", port).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private Path conf(String name, int httpPort, int clusterPort, String members, String hosted, Path root, Path indexes)
            throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, """
                http:
                  host: 127.0.0.1
                  port: %d
                inputRoots: ["%s"]
                index:
                  dir: "%s"
                stages:
                  hosted: %s
                embedder:
                  kind: hash
                jobs:
                  progressInterval: 200ms
                shutdown:
                  grace: 5s
                cluster:
                  enabled: true
                  host: 127.0.0.1
                  port: %d
                  members: %s
                """.formatted(httpPort, root, indexes, hosted, clusterPort, members));
        return file;
    }

    private Process java(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.funcpipe.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        processes.add(p);
        return p;
    }

    /** Polls /health/ready until 200; fails with the node's stderr if it dies or does not get ready in time. */
    private void awaitReady(int port, Process node, String name) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new AssertionError(name + " exited with " + node.exitValue() + ": "
                        + Files.readString(dir.resolve(name + ".err")));
            }
            try {
                if (get(port, "/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(name + " was not ready within " + START_LIMIT + ": " + Files.readString(dir.resolve(name + ".err")));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
