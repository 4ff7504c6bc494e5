package io.funcpipe.service.bus;

import java.util.Locale;

/** The stages a node can host, each at its {@link StageAddress}. */
public enum BusStage {
    /** Source sessions: files, folders, URLs read into documents. */
    PARSE(StageAddress.PARSE),
    /** Cleaning and chunking, with the node's tokenizer. */
    CLEAN(StageAddress.CLEAN),
    /** Embedding, with the node's model. */
    EMBED(StageAddress.EMBED),
    /** Index writes, under the node's index root. */
    INDEX(StageAddress.INDEX);

    private final String address;

    BusStage(String address) {
        this.address = address;
    }

    /** The address the stage listens at. */
    public String address() {
        return address;
    }

    /** The lower-case name used in config and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code parse|clean|embed|index} (any case). */
    public static BusStage parse(String name) {
        for (BusStage stage : values()) {
            if (stage.name().equalsIgnoreCase(name.trim())) {
                return stage;
            }
        }
        throw new IllegalArgumentException("unknown stage '" + name + "'; use one of parse, clean, embed, index");
    }
}
