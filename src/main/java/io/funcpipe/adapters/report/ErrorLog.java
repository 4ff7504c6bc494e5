package io.funcpipe.adapters.report;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.funcpipe.core.ErrInfo;

/**
 * The errors log of a run: one JSON object per failed item ({@code ErrInfo}: code, message, stage,
 * key, location, details), one per line, so a person can read it and a program can parse it.
 * {@link #create} starts a new file (a service job's own log); {@link #appending} adds to the file
 * and tags each line with the run's id ({@code "run"}), so earlier runs' errors are kept. The first
 * {@value #KEPT} errors are also kept in memory ({@link #first()}) to be shown on screen. Thread-safe.
 */
public final class ErrorLog implements AutoCloseable {

    /** How many of the first errors {@link #first()} keeps. */
    public static final int KEPT = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;
    private final String runId;
    private final List<ErrInfo> first = new ArrayList<>();
    private long written;

    private ErrorLog(Path file, BufferedWriter out, String runId) {
        this.file = file;
        this.out = out;
        this.runId = runId;
    }

    /** Creates (or replaces) the log at {@code file}, creating its folder when needed. */
    public static ErrorLog create(Path file) throws IOException {
        requireNonNull(file, "file");
        createParent(file);
        return new ErrorLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8), null);
    }

    /**
     * Opens the log at {@code file} for appending (created when missing, with its folder); each
     * line written carries {@code "run": runId}.
     */
    public static ErrorLog appending(Path file, String runId) throws IOException {
        requireNonNull(file, "file");
        requireNonNull(runId, "runId");
        createParent(file);
        return new ErrorLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), runId);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Appends one error. */
    public synchronized void write(ErrInfo error) {
        try {
            if (runId == null) {
                out.write(JSON.writeValueAsString(error));
            } else {
                ObjectNode line = JSON.createObjectNode().put("run", runId);
                line.setAll((ObjectNode) JSON.valueToTree(error));
                out.write(JSON.writeValueAsString(line));
            }
            out.newLine();
            if (first.size() < KEPT) {
                first.add(error);
            }
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write to the errors log " + file + ": " + e.getMessage(), e);
        }
    }

    /** How many errors were written. */
    public synchronized long written() {
        return written;
    }

    /** The first {@value #KEPT} errors written, in order. */
    public synchronized List<ErrInfo> first() {
        return List.copyOf(first);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
