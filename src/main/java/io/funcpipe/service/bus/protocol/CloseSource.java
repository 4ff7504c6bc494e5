package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Request to a source session: release its files and connections and stop answering. Answered
 * with an empty, final {@link DocBatch} that carries the session's last counts.
 *
 * @param reason why the client closes (such as "completed" or "cancelled"), for the stage's log
 */
public record CloseSource(String reason) implements BusMessage {

    public CloseSource {
        requireNonNull(reason, "reason");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.string(reason);
    }

    public static CloseSource read(WireReader in) {
        return new CloseSource(in.string());
    }
}
