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

    private ForkedNodes nodes;

    @org.junit.jupiter.api.BeforeEach
    void nodes() {
        nodes = new ForkedNodes(dir);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        nodes.close();
    }

    @Test
    @DisplayName("a submitted job is embedded on both nodes and every document is accounted for")
    void jobSpreadsOverTheCluster() throws Exception {
        int clusterA = ForkedNodes.freePort();
        int clusterB = ForkedNodes.freePort();
        int clusterClient = ForkedNodes.freePort();
        int httpA = ForkedNodes.freePort();
        int httpB = ForkedNodes.freePort();
        String members = "[\"127.0.0.1:" + clusterA + "\", \"127.0.0.1:" + clusterB + "\", \"127.0.0.1:" + clusterClient + "\"]";
        Path samples = Path.of("samples/sotu").toAbsolutePath();
        Path indexes = dir.resolve("indexes");

        Process a = nodes.java("node-a", "serve", "--conf", conf("a.yaml", httpA, clusterA, members,
                "[parse, clean, embed, index]", samples, indexes).toString());
        Process b = nodes.java("node-b", "serve", "--conf", conf("b.yaml", httpB, clusterB, members, "[embed]", samples,
                dir.resolve("unused-indexes")).toString());
        nodes.awaitReady(httpA, a, "node-a");
        nodes.awaitReady(httpB, b, "node-b");

        Process client = nodes.java("client", "submit", samples.toString(), "--index", "sotu", "--cluster", "--json",
                "--conf", conf("client.yaml", ForkedNodes.freePort(), clusterClient, members, "[]", samples, indexes).toString());
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
        String metrics = nodes.get(port, "/metrics").body();
        Matcher m = Pattern.compile("(?m)^funcpipe_stage_items_total\\{[^}]*stage=\"embed\"[^}]*} ([0-9.Ee+]+)$").matcher(metrics);
        assertThat(m.find()).as("funcpipe_stage_items_total{stage=\"embed\"} in /metrics of port %d", port).isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private Path conf(String name, int httpPort, int clusterPort, String members, String hosted, Path root, Path indexes)
            throws IOException {
        return nodes.conf(name, """
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
    }
}
