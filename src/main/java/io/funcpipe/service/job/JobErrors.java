package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;

import io.funcpipe.adapters.report.ErrorLog;
import io.funcpipe.core.ErrInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A job's failed items: each is written to the errors log on the supervisor's node, counted, and
 * the latest {@value #RECENT} are kept for the job's status, so a client on another node sees them
 * without reading the file. An error that cannot be written (the disk is full, or it arrived after
 * the log was closed by a cancellation) is counted as {@code unlogged}, never lost silently.
 * Thread-safe: items arrive on worker threads while the status is read on the supervisor's.
 */
final class JobErrors {

    /** How many of the latest errors a status shows. */
    static final int RECENT = 20;

    private static final System.Logger LOG = System.getLogger(JobErrors.class.getName());

    private final String jobId;
    private final ErrorLog log;
    private final ArrayDeque<ErrInfo> recent = new ArrayDeque<>(RECENT);
    private long count;
    private long unlogged;
    private String logFailure;
    private boolean closed;

    JobErrors(String jobId, ErrorLog log) {
        this.jobId = requireNonNull(jobId, "jobId");
        this.log = requireNonNull(log, "log");
    }

    /** The log's path. */
    Path file() {
        return log.file();
    }

    synchronized void add(ErrInfo error) {
        count++;
        if (recent.size() == RECENT) {
            recent.removeFirst();
        }
        recent.addLast(error);
        if (closed) {
            unlogged++;
            return;
        }
        try {
            log.write(error);
        } catch (UncheckedIOException e) {
            unlogged++;
            if (logFailure == null) {
                logFailure = e.getMessage();
                LOG.log(Level.WARNING, "job " + jobId + ": " + e.getMessage() + "; later errors are kept in its status only");
            }
        }
    }

    /** Closes the log (blocking: call it off the event loop); errors that arrive later are counted as unlogged. */
    synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            log.close();
        }
    }

    synchronized long count() {
        return count;
    }

    /** {@code {"count", "log", "unlogged", "logFailure"?, "recent": [ErrInfo...]}}. */
    synchronized JsonObject json() {
        JsonArray items = new JsonArray();
        recent.forEach(e -> items.add(json(e)));
        JsonObject json = new JsonObject().put("count", count).put("log", log.file().toString()).put("unlogged", unlogged);
        if (logFailure != null) {
            json.put("logFailure", logFailure);
        }
        return json.put("recent", items);
    }

    /** An error as the errors log writes it: code, message, stage, key, location, details. */
    static JsonObject json(ErrInfo e) {
        JsonObject details = new JsonObject();
        for (Map.Entry<String, String> d : e.details().entrySet()) {
            details.put(d.getKey(), d.getValue());
        }
        return new JsonObject().put("code", e.code().name()).put("message", e.message()).put("stage", e.stage())
                .put("key", e.key()).put("location", e.location()).put("details", details);
    }
}
