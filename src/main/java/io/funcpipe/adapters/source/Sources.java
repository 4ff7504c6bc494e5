package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.funcpipe.rag.DocSource;
import io.vertx.core.Vertx;

/**
 * Builds the sources the command line or a job spec names. Building reads nothing: files are
 * opened (and folders walked) only when {@link SourceSet#docs()} is run.
 *
 * <p>Threads: files are read with blocking I/O on the thread that requests items (subscribe on a
 * worker, e.g. {@code runSubscriptionOn}, when the consumer is an event loop); URL bodies arrive on
 * a Vert.x event loop ({@code emitOn} a worker before blocking work).
 *
 * <p>Example, from command-line options:
 * <pre>{@code
 * SourceOptions options = SourceOptions.defaults()
 *         .withFormat(Format.parse(formatOption))            // auto|csv|jsonl|text
 *         .withInclude(includeGlobs).withExclude(excludeGlobs)
 *         .withCsv(FieldMapping.defaults().withTextField("body"))
 *         .withJsonl(FieldMapping.defaults().withIdField("uid"));
 * SourceSet source = Sources.open(List.of("data/", "https://host/feed.jsonl"), options, vertx);
 * long total = source.totalBytes();                        // -1 when unknown (URLs)
 * AsyncGen<RawDoc> docs = source.docs();                   // poll source.counters().bytesRead()
 * }</pre>
 */
public final class Sources {

    private Sources() {
    }

    /**
     * One {@link SourceSet} over {@code inputs}, each a file, a folder (walked recursively) or an
     * http(s) URL, read in the given order.
     *
     * @param inputs  paths or URLs, at least one
     * @param options format, globs, field names and limits
     * @param vertx   the Vert.x instance URLs are fetched with; may be null when no input is a URL
     * @throws IllegalArgumentException when there is no input, a URL is malformed, or a URL is
     *                                  given without a Vert.x instance
     */
    public static SourceSet open(List<String> inputs, SourceOptions options, Vertx vertx) {
        requireNonNull(inputs, "inputs");
        requireNonNull(options, "options");
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no input given; name at least one file, folder or http(s) URL");
        }
        SourceCounters counters = new SourceCounters();
        List<DocSource> sources = new ArrayList<>();
        List<String> roots = new ArrayList<>();
        for (String input : inputs) {
            requireNonNull(input, "input");
            sources.add(isUrl(input) ? url(input, options, counters, vertx) : new PathSource(input, options, counters));
            roots.add(root(input));
        }
        return new SourceSet(sources, roots, counters, options);
    }

    /**
     * The root an input's documents are recorded under (their source, for a full sync): a URL as
     * given, a file or folder as its absolute, normalised path.
     */
    public static String root(String input) {
        requireNonNull(input, "input");
        return isUrl(input) ? input : java.nio.file.Path.of(input).toAbsolutePath().normalize().toString();
    }

    /**
     * Why {@code input} may not be read under {@code options}, judged before anything is opened, or
     * empty: a URL against {@link SourceOptions#urls()} (its text only; its addresses are checked
     * when it is fetched), a path against {@link SourceOptions#roots()} (when there are roots it must
     * be absolute and lie under one, symbolic links resolved). Touches the file system.
     */
    public static Optional<String> refusal(String input, SourceOptions options) {
        requireNonNull(input, "input");
        requireNonNull(options, "options");
        if (isUrl(input)) {
            return options.urls().refusalOf(input);
        }
        if (options.roots().isEmpty()) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(input);
        } catch (InvalidPathException e) {
            return Optional.of("'" + input + "' is not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            return Optional.of(input + " is a relative path; this node reads absolute paths under its input roots "
                    + options.roots() + " only");
        }
        Path normal = path.normalize();
        if (Files.exists(normal)) {
            return Confinement.refusal(normal, options.roots());
        }
        boolean inside = options.roots().stream().anyMatch(root -> normal.startsWith(root.toAbsolutePath().normalize()));
        return inside ? Optional.empty() : Optional.of(input + " is outside the input roots " + options.roots()
                + " of this node; it was not read (put the file under an input root, or add a root to inputRoots)");
    }

    private static DocSource url(String input, SourceOptions options, SourceCounters counters, Vertx vertx) {
        if (vertx == null) {
            throw new IllegalArgumentException("cannot read " + input + " without a Vert.x instance; pass one to Sources.open");
        }
        try {
            URI uri = URI.create(input);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("no host");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed URL '" + input + "': " + e.getMessage()
                    + "; write it as http://host[:port]/path", e);
        }
        return new HttpSource(input, options, counters, vertx);
    }

    /** Whether {@code input} is an http(s) URL, which only a Vert.x instance can read. */
    public static boolean isUrl(String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }
}
