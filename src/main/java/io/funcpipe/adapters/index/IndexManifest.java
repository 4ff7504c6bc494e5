package io.funcpipe.adapters.index;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an index was built with, kept beside it as {@code funcpipe-index.json}, so a query embeds
 * its text with the same model and a later ingest cannot mix models in one index.
 *
 * @param embedder   the embedder's name ({@code minilm}, {@code hash}, {@code openai:<model>})
 * @param dimensions the vectors' length
 */
public record IndexManifest(String embedder, int dimensions) {

    public static final String FILE_NAME = "funcpipe-index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public IndexManifest {
        requireNonNull(embedder, "embedder");
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
        }
    }

    /** The manifest of the index in {@code dir}, if that folder holds one. */
    public static Optional<IndexManifest> read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), IndexManifest.class));
        } catch (IOException e) {
            throw new IOException("the index manifest " + file + " is unreadable (" + e.getMessage()
                    + "); delete the index folder and ingest again", e);
        }
    }

    /** Writes this manifest into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE_NAME).toFile(), this);
    }

    /**
     * Checks that an ingest with {@code other} may write into an index built with this manifest.
     *
     * @throws IllegalArgumentException naming both embedders when they differ
     */
    public void requireCompatible(IndexManifest other, Path dir) {
        if (!equals(other)) {
            throw new IllegalArgumentException("the index " + dir + " was built with embedder '" + embedder + "' ("
                    + dimensions + " dims) but this run uses '" + other.embedder + "' (" + other.dimensions
                    + " dims); embed with '" + embedder + "' to add to it (ingest --embedder " + embedder
                    + "), or write to another index");
        }
    }
}
