package io.funcpipe.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import io.funcpipe.service.client.JobApi;
import io.funcpipe.service.client.JobPage;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code funcpipe jobs}: the jobs a running service knows, one job's status, or a cancel. */
@Command(name = "jobs", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"List the jobs of a running service (newest first, read page by page), show one job's status "
                + "(with how often it resumed, its last checkpoint and what it waits for), or cancel one.",
                "Exit codes: 0 done, 1 the service could not be reached or does not know the job, 2 usage error."})
final class JobsCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "A job id: show its status instead of the list.")
    String id;

    @Option(names = "--cancel", description = "Cancel the job ID and print its status once it has ended.")
    boolean cancel;

    @Option(names = "--json", description = "Print JSON: the list as an array of statuses, or the one status.")
    boolean json;

    @Mixin
    ServiceOptions service;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (cancel && id == null) {
            throw new UsageException("--cancel needs the job's ID");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ServiceOptions.Connection connection = service.connect()) {
            if (id != null) {
                JsonObject status = (cancel ? connection.jobs().cancel(id) : connection.jobs().status(id)).await();
                out.println(json ? status.encodePrettily() : details(status));
            } else if (json) {
                out.println(new JsonArray(connection.jobs().list().await()).encodePrettily());
            } else {
                printTable(connection.jobs(), out);
            }
            out.flush();
            return 0;
        } catch (ReplyException e) {
            spec.commandLine().getErr().println("funcpipe: " + e.getMessage());
            return Main.FAILED;
        }
    }

    /** The table, a page at a time as the pages arrive; a job listed twice (the list moved meanwhile) is shown once. */
    private static void printTable(JobApi jobs, PrintWriter out) {
        Set<String> shown = new HashSet<>();
        int offset = 0;
        while (true) {
            JobPage page = jobs.list(offset, JobPage.DEFAULT_LIMIT).await();
            if (offset == 0 && page.jobs().isEmpty()) {
                out.println("no jobs");
                return;
            }
            if (offset == 0) {
                out.printf("%-36s  %-9s  %-16s %8s %10s %8s%n", "id", "state", "index", "docs", "chunks", "failed");
            }
            page.jobs().stream().filter(job -> shown.add(job.getString("id"))).forEach(job -> out.println(line(job)));
            out.flush();
            if (page.nextOffset().isEmpty() || page.jobs().isEmpty()) {
                return;
            }
            offset = page.nextOffset().getAsInt();
        }
    }

    /** One job in the table: id, state, index, documents read, chunks indexed, failed items, and why it waits or failed. */
    static String line(JsonObject job) {
        JsonObject stages = job.getJsonObject("stages", new JsonObject());
        long docs = stages.getJsonObject("parse", new JsonObject()).getLong("in", 0L);
        long chunks = stages.getJsonObject("index", new JsonObject()).getLong("ok", 0L);
        long failed = job.getJsonObject("errors", new JsonObject()).getLong("count", 0L);
        String index = job.getJsonObject("spec", new JsonObject()).getString("index", "?");
        String note = job.getString("error") != null ? job.getString("error") : job.getString("waiting");
        return String.format(Locale.ROOT, "%-36s  %-9s  %-16s %8d %10d %8d%s", job.getString("id"), job.getString("state"),
                index, docs, chunks, failed, note == null ? "" : "  " + note);
    }

    /** One job's status: its table line, then what it waits for, how often it resumed and its last checkpoint, when known. */
    static String details(JsonObject job) {
        StringBuilder text = new StringBuilder(line(job));
        String waiting = job.getString("waiting");
        if (waiting != null && job.getString("error") != null) {
            text.append(System.lineSeparator()).append("  ").append(waiting);
        }
        Integer resumes = job.getInteger("resumes");
        if (resumes != null) {
            text.append(System.lineSeparator()).append("  resumed: ").append(resumes == 0 ? "never"
                    : resumes + (resumes == 1 ? " time" : " times"));
        }
        JsonObject checkpoint = job.getJsonObject("checkpoint");
        text.append(System.lineSeparator()).append("  checkpoint: ").append(checkpoint == null ? "none yet"
                : String.format(Locale.ROOT, "%d documents done, %d chunks indexed, committed %s",
                        checkpoint.getLong("docs", 0L), checkpoint.getLong("chunksIndexed", 0L),
                        checkpoint.getString("time", "?")));
        return text.toString();
    }
}
