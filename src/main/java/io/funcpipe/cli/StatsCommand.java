package io.funcpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.funcpipe.adapters.index.IndexStats;
import io.funcpipe.core.Err;
import io.funcpipe.core.Ok;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code funcpipe stats}: what an index holds, read without writing to it. */
@Command(name = "stats", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Show what an index holds: documents, chunks, embedder and dimensions, the last commit's time "
                + "and the checkpoint of each job or ingest run that wrote to it. Reads only (safe while a writer runs).",
                "Exit codes: 0 done, 1 no index at DIR or it cannot be read, 2 usage error."})
final class StatsCommand implements Callable<Integer> {

    @Option(names = "--index", paramLabel = "DIR", defaultValue = "funcpipe-index",
            description = "The index folder (default: ${DEFAULT-VALUE}).")
    Path index;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return switch (IndexStats.read(index)) {
            case Ok<IndexStats>(IndexStats stats) -> {
                out.println(json ? toJson(stats).encodePrettily() : table(stats));
                out.flush();
                yield 0;
            }
            case Err<IndexStats>(var error) -> {
                spec.commandLine().getErr().println("funcpipe: " + error.message());
                yield Main.FAILED;
            }
        };
    }

    static JsonObject toJson(IndexStats stats) {
        JsonArray checkpoints = new JsonArray();
        for (IndexStats.Checkpoint c : stats.checkpoints()) {
            checkpoints.add(new JsonObject().put("key", c.key()).put("docs", c.docs()).put("documentsFailed", c.documentsFailed())
                    .put("chunksIndexed", c.chunksIndexed()).put("chunksFailed", c.chunksFailed())
                    .put("time", c.time().map(Object::toString).orElse(null))
                    .put("sync", new JsonObject(io.funcpipe.adapters.index.CheckpointJson.sync(c.sync()).toString())));
        }
        return new JsonObject().put("index", stats.dir().toAbsolutePath().toString())
                .put("documents", stats.documents()).put("chunks", stats.chunks())
                .put("embedder", stats.manifest().map(m -> m.embedder()).orElse(null))
                .put("dimensions", stats.manifest().map(m -> m.dimensions()).orElse(null))
                .put("lastCommit", new JsonObject().put("time", stats.lastCommit().toString())
                        .put("from", stats.commitTime() == IndexStats.CommitTime.USER_DATA ? "userData" : "segmentsFile")
                        .put("generation", stats.generation()))
                .put("checkpoints", checkpoints)
                .put("problems", new JsonArray(new ArrayList<>(stats.problems())));
    }

    static String table(IndexStats stats) {
        StringBuilder text = new StringBuilder();
        row(text, "index", stats.dir().toAbsolutePath().toString());
        row(text, "documents", Long.toString(stats.documents()));
        row(text, "chunks", Long.toString(stats.chunks()));
        row(text, "embedder", stats.manifest().map(m -> m.embedder() + " (" + m.dimensions() + " dimensions)")
                .orElse("unknown (no " + io.funcpipe.adapters.index.IndexManifest.FILE_NAME + ")"));
        row(text, "last commit", stats.lastCommit() + " (" + stats.commitTime().label() + ", generation "
                + stats.generation() + ")");
        if (stats.checkpoints().isEmpty()) {
            row(text, "checkpoints", "none");
        } else {
            text.append("checkpoints:").append(System.lineSeparator());
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"key", "docs", "docs failed", "chunks", "chunks failed", "added", "updated",
                "unchanged", "deleted", "embedded", "reused", "chunks deleted", "time"});
            for (IndexStats.Checkpoint c : stats.checkpoints()) {
                io.funcpipe.rag.SyncCounts y = c.sync();
                rows.add(new String[] {c.key(), Long.toString(c.docs()), Long.toString(c.documentsFailed()),
                        Long.toString(c.chunksIndexed()), Long.toString(c.chunksFailed()),
                        Long.toString(y.documentsAdded()), Long.toString(y.documentsUpdated()),
                        Long.toString(y.documentsUnchanged()), Long.toString(y.documentsDeleted()),
                        Long.toString(y.chunksEmbedded()), Long.toString(y.chunksReused()), Long.toString(y.chunksDeleted()),
                        c.time().map(Object::toString).orElse("-")});
            }
            int[] widths = new int[rows.get(0).length];
            rows.forEach(r -> {
                for (int i = 0; i < r.length; i++) {
                    widths[i] = Math.max(widths[i], r[i].length());
                }
            });
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    // the key and the time left-aligned, the counts right-aligned
                    String cell = i == 0 || i == r.length - 1 ? String.format(Locale.ROOT, "%-" + widths[i] + "s", r[i])
                            : String.format(Locale.ROOT, "%" + widths[i] + "s", r[i]);
                    line.append("  ").append(cell);
                }
                text.append(line.toString().stripTrailing()).append(System.lineSeparator());
            }
        }
        for (String problem : stats.problems()) {
            row(text, "problem", problem);
        }
        return text.toString().stripTrailing();
    }

    private static void row(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-12s %s", label, value)).append(System.lineSeparator());
    }
}
