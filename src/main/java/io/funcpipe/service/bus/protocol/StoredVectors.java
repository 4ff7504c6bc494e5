package io.funcpipe.service.bus.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reply to {@link ReadVectors}: the hashes found, each with its vector (same order). */
public record StoredVectors(List<String> textHashes, List<float[]> vectors) implements BusMessage {

    public StoredVectors {
        textHashes = List.copyOf(textHashes);
        vectors = List.copyOf(vectors);
        if (textHashes.size() != vectors.size()) {
            throw new IllegalArgumentException(textHashes.size() + " hashes but " + vectors.size() + " vectors");
        }
    }

    /** The reply of {@code found} (vector by text hash). */
    public static StoredVectors of(Map<String, float[]> found) {
        List<String> hashes = new ArrayList<>(found.keySet());
        return new StoredVectors(hashes, hashes.stream().map(found::get).toList());
    }

    /** The vectors by text hash. */
    public Map<String, float[]> byHash() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < textHashes.size(); i++) {
            out.put(textHashes.get(i), vectors.get(i));
        }
        return out;
    }

    @Override
    public void writeTo(WireWriter out) {
        out.strings(textHashes);
        out.list(vectors, WireWriter::floats);
    }

    public static StoredVectors read(WireReader in) {
        return new StoredVectors(in.strings(), in.list(WireReader::floats));
    }
}
