package io.funcpipe.service;

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

/**
 * Service nodes and clients, each in a JVM of its own on 127.0.0.1, started from this test JVM's
 * class path; each one's stdout and stderr go to {@code <dir>/<name>.out|.err}. {@link #close()}
 * stops every process this instance started (SIGTERM, then SIGKILL after a minute), by its own
 * handle: nothing else on the machine is touched.
 */
public final class ForkedNodes implements AutoCloseable {

    public static final Duration START_LIMIT = Duration.ofMinutes(3);

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ForkedNodes(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Starts {@code io.funcpipe.cli.Main args...} as {@code name}. */
    public Process java(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx256m", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "io.funcpipe.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".err").toFile()))
                .start();
        processes.add(p);
        return p;
    }

    /** A node's config file: YAML {@code body} (its http, index, stages, cluster sections...). */
    public Path conf(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, body);
        return file;
    }

    public String output(String name) throws IOException {
        Path out = dir.resolve(name + ".out");
        return Files.exists(out) ? Files.readString(out) : "";
    }

    public String errors(String name) throws IOException {
        Path err = dir.resolve(name + ".err");
        return Files.exists(err) ? Files.readString(err) : "";
    }

    /** Polls /health/ready until 200; fails with the node's stderr if it dies or does not get ready in time. */
    public void awaitReady(int port, Process node, String name) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new AssertionError(name + " exited with " + node.exitValue() + ": " + errors(name));
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
        throw new AssertionError(name + " was not ready within " + START_LIMIT + ": " + errors(name));
    }

    public HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** kill -9 of one of this instance's processes; returns once it is gone. */
    public void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("process " + p.pid() + " did not die of SIGKILL within 60 s");
        }
    }

    /** SIGTERM to one of this instance's processes; returns once it has exited (or fails after the limit). */
    public int terminate(Process p, Duration limit) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("process " + p.pid() + " did not exit within " + limit + " of SIGTERM");
        }
        return p.exitValue();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: a node's shutdown hook stops it
        }
        for (Process p : processes) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
