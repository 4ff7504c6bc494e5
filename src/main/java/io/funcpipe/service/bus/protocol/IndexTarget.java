package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

/**
 * Which index an index request writes, and what it must have been built with: the stage opens
 * {@code <root>/<name>} on first use with these dimensions and checks (or writes) its manifest.
 *
 * @param name       a simple folder name under the stage's index root (no path separators, no {@code ..})
 * @param embedder   the name of the embedder that made the vectors
 * @param dimensions the vectors' length
 */
public record IndexTarget(String name, String embedder, int dimensions) {

    public IndexTarget {
        requireNonNull(name, "name");
        requireNonNull(embedder, "embedder");
    }

    void writeTo(WireWriter out) {
        out.string(name).string(embedder).int32(dimensions);
    }

    static IndexTarget read(WireReader in) {
        return new IndexTarget(in.string(), in.string(), in.int32());
    }
}
