package io.funcpipe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.funcpipe.adapters.json.PolicyJson;
import io.funcpipe.core.policy.Policies;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code funcpipe submit}: submits an ingestion job to a running service and follows it to its end. */
@Command(name = "submit", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Submit an ingestion job to a running service (funcpipe serve) and follow it.",
                "Progress goes to stderr; at the end the job's report is printed (with --json, the final event).",
                "When the connection drops or the service restarts, it reconnects and follows the job on "
                        + "(for --reconnect-for), saying so on stderr.",
                "Exit codes: 0 the job succeeded (item errors are reported, not fatal), 1 it failed or was "
                        + "cancelled, 2 usage error or invalid spec, 3 --strict and an item failed."})
final class SubmitCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH_OR_URL",
            description = "Files, folders or http(s) URLs. Paths must lie under the service's input roots; "
                    + "existing local paths are sent as absolute paths.")
    List<String> sources;

    @Option(names = "--index", required = true, paramLabel = "NAME",
            description = "The index's name on the service (a folder under its index.dir).")
    String index;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto|csv|jsonl|text (default: ${DEFAULT-VALUE}: by extension).")
    String format;

    @Option(names = "--chunk-tokens", paramLabel = "N", defaultValue = "0",
            description = "Largest chunk in model tokens; 0 = the model's window (default).")
    int chunkTokens;

    @Option(names = "--overlap", paramLabel = "N", defaultValue = "0",
            description = "Tokens repeated at the start of the next chunk (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--weight", paramLabel = "W", defaultValue = "1",
            description = "The job's share of the embed capacity against other running jobs, 1..1000 (default: ${DEFAULT-VALUE}).")
    int weight;

    @Option(names = "--policies", paramLabel = "FILE",
            description = "A JSON or YAML file of policies (retry, timeout, rateLimit) for the job's embed calls.")
    Path policies;

    @Option(names = "--json", description = "Print the job's final event (state and report) as one JSON object on stdout.")
    boolean json;

    @Option(names = "--detach", description = "Print the job id and exit without following the job.")
    boolean detach;

    @Option(names = "--strict", description = "Exit 3 when any item failed.")
    boolean strict;

    @Mixin
    ServiceOptions service;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        JsonObject jobSpec = jobSpec();
        try (ServiceOptions.Connection connection = service.connect(notice -> {
            err.println("funcpipe: " + notice);
            err.flush();
        })) {
            String id;
            try {
                id = connection.jobs().submit(jobSpec).await();
            } catch (ReplyException e) {
                if (e.failureCode() == 400) {
                    throw new UsageException(e.getMessage());
                }
                throw e;
            }
            if (detach) {
                out.println(json ? new JsonObject().put("id", id).encode() : id);
                return 0;
            }
            err.println("submitted job " + id);
            err.flush();
            JsonObject end;
            try (JobProgress progress = JobProgress.start(id, err)) {
                end = connection.jobs().follow(id, progress::update).await();
                progress.update(end);
            }
            if (json) {
                out.println(end.encode());
            } else {
                printEnd(out, end);
            }
            out.flush();
            String state = end.getString("state", "");
            if (!"SUCCEEDED".equals(state)) {
                return Main.FAILED;
            }
            JsonObject report = end.getJsonObject("report", new JsonObject());
            boolean itemsFailed = report.getLong("documentsFailed", 0L) + report.getLong("chunksFailed", 0L) > 0;
            return strict && itemsFailed ? Main.ITEMS_FAILED : 0;
        }
    }

    private JsonObject jobSpec() throws IOException {
        JsonArray paths = new JsonArray();
        for (String source : sources) {
            boolean url = source.startsWith("http://") || source.startsWith("https://");
            paths.add(!url && Files.exists(Path.of(source)) ? Path.of(source).toRealPath().toString() : source);
        }
        JsonObject job = new JsonObject().put("sources", paths).put("format", format).put("index", index)
                .put("chunking", new JsonObject().put("maxTokens", chunkTokens).put("overlap", overlap))
                .put("weight", weight);
        if (policies != null) {
            if (!Files.isRegularFile(policies)) {
                throw new UsageException("--policies " + policies + ": no such file");
            }
            String text = Files.readString(policies);
            boolean yaml = !policies.toString().endsWith(".json");
            PolicyJson reader = PolicyJson.create();
            try {
                // checked here for a message that names the file; the service checks the spec again
                Policies checked = yaml ? reader.readYaml(text, Policies.class) : reader.read(text, Policies.class);
                Object tree = yaml ? new Yaml(new SafeConstructor(new LoaderOptions())).load(text)
                        : reader.mapper().readValue(text, Object.class);
                if (checked != null && tree instanceof Map<?, ?> map) {
                    job.put("policies", new JsonObject(reader.mapper().convertValue(map, Map.class)));
                }
            } catch (RuntimeException e) {
                throw new UsageException("--policies " + policies + ": " + e.getMessage());
            }
        }
        return job;
    }

    private static void printEnd(PrintWriter out, JsonObject end) {
        String state = end.getString("state", "?");
        JsonObject report = end.getJsonObject("report");
        out.printf("Job %s %s", end.getString("id"), state);
        if (end.getString("error") != null) {
            out.printf(": %s", end.getString("error"));
        }
        out.println();
        if (report == null) {
            return;
        }
        out.printf(Locale.ROOT, "  %d documents (%d failed), %d chunks indexed (%d failed) into %s in %.1f s%n",
                report.getLong("documentsRead", 0L), report.getLong("documentsFailed", 0L),
                report.getLong("chunksIndexed", 0L), report.getLong("chunksFailed", 0L),
                report.getString("index", "?"), report.getDouble("elapsedSeconds", 0.0));
        out.printf("  %-8s %10s %10s %10s%n", "stage", "in", "ok", "failed");
        JsonObject stages = report.getJsonObject("stages", new JsonObject());
        for (String stage : stages.fieldNames()) {
            JsonObject c = stages.getJsonObject(stage);
            out.printf("  %-8s %10d %10d %10d%n", stage, c.getLong("in", 0L), c.getLong("ok", 0L), c.getLong("failed", 0L));
        }
        out.printf("  truncated by the embedder: %d; errors: %s%n", report.getLong("truncations", 0L),
                report.getLong("documentsFailed", 0L) + report.getLong("chunksFailed", 0L) == 0
                        ? "none" : "see " + report.getString("errorsLog", "the errors log"));
    }

    /** The job's progress on stderr: a bar on a terminal, a line per ~2 s otherwise. */
    private static final class JobProgress implements AutoCloseable {
        private final String id;
        private final PrintWriter err;
        private final ProgressBar bar;
        private long lastLine;

        private JobProgress(String id, PrintWriter err, boolean terminal) {
            this.id = id;
            this.err = err;
            this.bar = terminal ? new ProgressBarBuilder().setTaskName("job").setInitialMax(-1).setUnit("MB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed().build() : null;
        }

        static JobProgress start(String id, PrintWriter err) {
            return new JobProgress(id, err, ProgressDisplay.stderrIsTerminal());
        }

        synchronized void update(JsonObject status) {
            JsonObject stages = status.getJsonObject("stages", new JsonObject());
            long docs = stages.getJsonObject("parse", new JsonObject()).getLong("in", 0L);
            long chunks = stages.getJsonObject("index", new JsonObject()).getLong("ok", 0L);
            JsonObject bytes = status.getJsonObject("bytes", new JsonObject());
            String summary = String.format(Locale.ROOT, "%s, %d docs, %d chunks, %.1f chunks/s",
                    status.getString("state", "?"), docs, chunks, status.getDouble("chunksPerSecond", 0.0));
            if (bar != null) {
                long total = bytes.getLong("total", -1L);
                if (total > 0 && bar.getMax() != total) {
                    bar.maxHint(total);
                }
                bar.stepTo(Math.max(0, bytes.getLong("settled", 0L)));
                bar.setExtraMessage(summary);
            } else if (System.nanoTime() - lastLine > 2_000_000_000L || status.getBoolean("final", false)) {
                lastLine = System.nanoTime();
                err.println("job " + id + ": " + summary);
                err.flush();
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
