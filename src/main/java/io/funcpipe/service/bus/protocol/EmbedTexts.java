package io.funcpipe.service.bus.protocol;

import java.util.List;

/**
 * Request to {@code funcpipe.stage.embed}: embed the texts with the node's model. Answered with
 * {@link Vectors}; an empty list asks only which model the stage runs.
 */
public record EmbedTexts(List<String> texts) implements BusMessage {

    public EmbedTexts {
        texts = List.copyOf(texts);
    }

    @Override
    public void writeTo(WireWriter out) {
        out.strings(texts);
    }

    public static EmbedTexts read(WireReader in) {
        return new EmbedTexts(in.strings());
    }
}
