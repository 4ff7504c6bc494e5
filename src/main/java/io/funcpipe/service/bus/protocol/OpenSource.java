package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.adapters.source.SourceOptions;

/**
 * Request to {@code funcpipe.stage.parse}: open a source session over {@code inputs} (files,
 * folders or http(s) URLs, read in order on the node that takes the request). Answered with
 * {@link SourceOpened}, or {@link StageFailure} when the inputs cannot be opened.
 *
 * @param jobId   the job the session belongs to (for the stage's logs)
 * @param inputs  at least one path or URL
 * @param options format, globs and field names
 * @param skip    records to skip before the first one served (a resumed job, or a session
 *                reopened after its node left: the records an earlier session already delivered)
 */
public record OpenSource(String jobId, List<String> inputs, SourceOptions options, long skip) implements BusMessage {

    public OpenSource {
        requireNonNull(jobId, "jobId");
        inputs = List.copyOf(inputs);
        requireNonNull(options, "options");
        if (skip < 0) {
            throw new IllegalArgumentException("skip must be >= 0, got " + skip);
        }
    }

    /** A session from the first record. */
    public OpenSource(String jobId, List<String> inputs, SourceOptions options) {
        this(jobId, inputs, options, 0);
    }

    @Override
    public void writeTo(WireWriter out) {
        out.string(jobId).strings(inputs);
        RagWire.sourceOptions(out, options);
        out.int64(skip);
    }

    public static OpenSource read(WireReader in) {
        return new OpenSource(in.string(), in.strings(), RagWire.sourceOptions(in), in.int64());
    }
}
