package io.funcpipe.adapters.report;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.funcpipe.core.ErrInfo;

/**
 * The errors log of a run: one JSON object per failed item ({@code ErrInfo}: code, message, stage,
 * key, location, details), one per line, so a person can read it and a program can parse it.
 * Thread-safe; the file is replaced at each run.
 */
public final class ErrorLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;
    private long written;

    private ErrorLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Creates (or replaces) the log at {@code file}, creating its folder when needed. */
    public static ErrorLog create(Path file) throws IOException {
        requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new ErrorLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Appends one error. */
    public synchronized void write(ErrInfo error) {
        try {
            out.write(JSON.writeValueAsString(error));
            out.newLine();
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the errors log " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many errors were written. */
    public synchronized long written() {
        return written;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
