package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Reply to {@link EmbedTexts}: one unit-length vector per text, in order, and the model that made
 * them (so an index is never fed vectors of two models).
 *
 * @param embedder   the embedder's name ({@code minilm}, {@code hash}, {@code openai:<model>})
 * @param dimensions the length of every vector
 * @param vectors    the vectors; on the wire, raw 4-byte floats
 */
public record Vectors(String embedder, int dimensions, List<float[]> vectors) implements BusMessage {

    public Vectors {
        requireNonNull(embedder, "embedder");
        vectors = List.copyOf(vectors);
    }

    @Override
    public void writeTo(WireWriter out) {
        out.string(embedder).int32(dimensions).list(vectors, WireWriter::floats);
    }

    public static Vectors read(WireReader in) {
        return new Vectors(in.string(), in.int32(), in.list(WireReader::floats));
    }
}
