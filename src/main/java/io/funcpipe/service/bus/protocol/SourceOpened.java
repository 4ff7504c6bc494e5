package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Reply to {@link OpenSource}: the session's own address, on the node that owns the open files
 * and connections; {@link NextDocs} and {@link CloseSource} go there.
 *
 * @param session    {@code funcpipe.stage.parse.session.<uuid>}
 * @param totalBytes the inputs' total size, or -1 when unknown (URLs)
 */
public record SourceOpened(String session, long totalBytes) implements BusMessage {

    public SourceOpened {
        requireNonNull(session, "session");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.string(session).int64(totalBytes);
    }

    public static SourceOpened read(WireReader in) {
        return new SourceOpened(in.string(), in.int64());
    }
}
