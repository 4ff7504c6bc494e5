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
 */
public record OpenSource(String jobId, List<String> inputs, SourceOptions options) implements BusMessage {

    public OpenSource {
        requireNonNull(jobId, "jobId");
        inputs = List.copyOf(inputs);
        requireNonNull(options, "options");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.string(jobId).strings(inputs);
        RagWire.sourceOptions(out, options);
    }

    public static OpenSource read(WireReader in) {
        return new OpenSource(in.string(), in.strings(), RagWire.sourceOptions(in));
    }
}
