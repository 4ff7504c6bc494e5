package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.funcpipe.adapters.index.LuceneVectorIndex;

/**
 * Ctrl-C during {@code funcpipe ingest}, in a forked JVM: the test serves a JSONL body that sends
 * its first records and then holds the connection open, so the run can never finish before the
 * signal; once the child's progress shows chunks indexed, the test sends SIGINT or SIGTERM to the child's
 * PID and checks the exit code, the message and that the index holds the chunks it names. Then it
 * runs the same command again (the source now ends): it continues after the records committed
 * whole, embeds none of their chunks again and ends with every record indexed once.
 */
class IngestInterruptTest {

    private static final Pattern PROGRESS = Pattern.compile(", (\\d+) chunks, ");
    private static final Pattern COMMITTED = Pattern.compile("interrupted: ([\\d,]+) chunks of ([\\d,]+) documents committed");
    private static final int RECORDS = 300;

    @TempDir
    Path tmp;

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeEach
    void serveATrickle() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/speeches.jsonl", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            boolean first = requests.incrementAndGet() == 1;
            try (OutputStream body = exchange.getResponseBody()) {
                for (int i = 0; i < (first ? RECORDS : 2 * RECORDS); i++) {
                    body.write(("{\"id\": \"s" + i + "\", \"text\": \"Speech " + i + " on the state of the union, "
                            + "its credit, its army and its people.\"}\n").getBytes(StandardCharsets.UTF_8));
                }
                body.flush();
                if (first) {
                    release.await(2, TimeUnit.MINUTES); // the first run waits here until it is interrupted
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client went away: what an interrupted ingest does
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @ParameterizedTest(name = "SIG{0}: exit {1}, what was indexed is committed and the message says how much")
    @CsvSource({"INT, 130", "TERM, 143"})
    void signalCommits(String signal, int exitCode) throws Exception {
        Path index = tmp.resolve("index");
        Path err = tmp.resolve("stderr.txt");
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/speeches.jsonl";
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>();
        if (ENV_RESETS_SIGNALS) {
            // a JVM started with SIGINT ignored (a background job of a script) never sees it:
            // env gives the child the default disposition, as an interactive shell does
            command.addAll(List.of("env", "--default-signal=INT,TERM"));
        }
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Dfuncpipe.tty=false",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "ingest", url, "--index", index.toString(), "--embedder", "hash"));
        Process child = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            long shown = 0;
            while (shown == 0 && child.isAlive() && System.nanoTime() < deadline) {
                shown = lastProgressChunks(err);
                if (shown == 0) {
                    Thread.sleep(50);
                }
            }
            assertThat(shown).as("progress with chunks before the deadline; stderr:\n" + read(err)).isPositive();
            assertThat(child.isAlive()).as("the run waits on its source").isTrue();
            int kill = new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).start().waitFor();
            assertThat(kill).isZero();
            assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the child stops after SIG" + signal + "; stderr:\n"
                    + read(err)).isTrue();
        } finally {
            if (child.isAlive()) {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
        }
        String stderr = read(err);
        assertThat(child.exitValue()).as(stderr).isEqualTo(exitCode);
        Matcher m = COMMITTED.matcher(stderr);
        assertThat(m.find()).as(stderr).isTrue();
        long committed = Long.parseLong(m.group(1).replace(",", ""));
        long documents = Long.parseLong(m.group(2).replace(",", ""));
        assertThat(committed).isPositive().isLessThanOrEqualTo(RECORDS);
        assertThat(documents).isPositive().isLessThanOrEqualTo(committed);
        LuceneVectorIndex reader = LuceneVectorIndex.openReadOnly(index)
                .fold(i -> i, e -> { throw new AssertionError(e.message()); });
        try (reader) {
            assertThat(reader.count()).as("the chunks the message names are in the index").isEqualTo(committed);
        }
        assertThat(stderr).contains("run the same command again to continue");

        release.countDown(); // the first request's handler may return now (the server has one thread)
        // The same command again (the source now ends after twice as many records): it continues
        // after the records the interrupted run committed whole, embedding none of their chunks again.
        Cli.Run again = Cli.funcpipe("ingest", url, "--index", index.toString(), "--embedder", "hash", "--json");
        assertThat(again.exit()).as(again.err()).isZero();
        Matcher c = CONTINUING.matcher(again.err());
        assertThat(c.find()).as(again.err()).isTrue();
        long doneBefore = Long.parseLong(c.group(1).replace(",", ""));
        long chunksBefore = Long.parseLong(c.group(2).replace(",", ""));
        assertThat(doneBefore).isPositive().isLessThanOrEqualTo(committed);
        var report = again.json();
        assertThat(report.get("documentsRead").asLong()).as("every record, the first run's included").isEqualTo(2 * RECORDS);
        assertThat(report.get("chunksIndexed").asLong()).isEqualTo(2 * RECORDS);
        assertThat(report.get("stages").get("embed").get("in").asLong())
                .as("chunks embedded by the continued run: none of the records done before").isEqualTo(2 * RECORDS - chunksBefore);
        LuceneVectorIndex after = LuceneVectorIndex.openReadOnly(index).fold(i -> i, e -> { throw new AssertionError(e.message()); });
        try (after) {
            assertThat(after.count()).as("no chunk missing or duplicated").isEqualTo(2 * RECORDS);
        }
        Cli.Run fresh = Cli.funcpipe("ingest", url, "--index", index.toString(), "--embedder", "hash", "--json");
        assertThat(fresh.err()).as("a completed run is not continued").doesNotContain("continuing");
    }

    private static final Pattern CONTINUING = Pattern.compile("its first ([\\d,]+) documents \\(([\\d,]+) chunks\\) are committed");

    /** Whether {@code env --default-signal} (GNU coreutils 8.31+) is there to undo an inherited SIG_IGN. */
    private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long lastProgressChunks(Path err) throws IOException {
        long last = 0;
        for (String line : read(err).lines().toList()) {
            Matcher m = PROGRESS.matcher(line);
            if (line.startsWith("ingest: ") && m.find()) {
                last = Long.parseLong(m.group(1));
            }
        }
        return last;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
