package io.funcpipe.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
        description = {"List the jobs of a running service (newest first), show one job's status, or cancel one.",
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
                out.println(json ? status.encodePrettily() : line(status));
            } else {
                List<JsonObject> jobs = connection.jobs().list().await();
                if (json) {
                    out.println(new JsonArray(jobs).encodePrettily());
                } else if (jobs.isEmpty()) {
                    out.println("no jobs");
                } else {
                    out.printf("%-36s  %-9s  %-16s %8s %10s %8s%n", "id", "state", "index", "docs", "chunks", "failed");
                    jobs.forEach(job -> out.println(line(job)));
                }
            }
            out.flush();
            return 0;
        } catch (ReplyException e) {
            spec.commandLine().getErr().println("funcpipe: " + e.getMessage());
            return Main.FAILED;
        }
    }

    private static String line(JsonObject job) {
        JsonObject stages = job.getJsonObject("stages", new JsonObject());
        long docs = stages.getJsonObject("parse", new JsonObject()).getLong("in", 0L);
        long chunks = stages.getJsonObject("index", new JsonObject()).getLong("ok", 0L);
        long failed = job.getJsonObject("errors", new JsonObject()).getLong("count", 0L);
        String index = job.getJsonObject("spec", new JsonObject()).getString("index", "?");
        String error = job.getString("error");
        return String.format(Locale.ROOT, "%-36s  %-9s  %-16s %8d %10d %8d%s", job.getString("id"), job.getString("state"),
                index, docs, chunks, failed, error == null ? "" : "  " + error);
    }
}
