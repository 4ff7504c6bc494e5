package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.apache.tika.mime.MediaType;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A file or a directory tree on local disk. Each file is read in the format the options name; in
 * auto mode, in the one its extension names ({@link Format#ofFileName}), else the one its content
 * names ({@link DocumentTypes}: PDF, HTML, Office and the other document types through Tika, plain
 * text as text). A file named on its own whose type no reader reads is an {@code Err}. A
 * directory is walked recursively in name order ({@link TreeWalk}), filtered by the include and
 * exclude globs; in auto mode a file whose type no reader reads is skipped, counted in
 * {@link SourceCounters#skippedFiles()} and listed in {@link SourceCounters#skipped()}. Each file
 * is opened when its turn comes and closed before the next one opens (or when the stream is
 * cancelled). Building this source touches no file. With {@link SourceOptions#roots()} set, each
 * file is checked against them before its content is looked at ({@link Confinement}).
 */
final class PathSource implements DocSource {

    private final String input;
    private final SourceOptions options;
    private final SourceCounters counters;
    private final PathFilter filter;
    private volatile long totalBytes = -2;

    PathSource(String input, SourceOptions options, SourceCounters counters) {
        this.input = requireNonNull(input, "input");
        this.options = requireNonNull(options, "options");
        this.counters = requireNonNull(counters, "counters");
        this.filter = PathFilter.of(options.include(), options.exclude());
    }

    @Override
    public String describe() {
        return input;
    }

    @Override
    public long totalBytes() {
        if (totalBytes == -2) {
            totalBytes = measure();
        }
        return totalBytes;
    }

    @Override
    public AsyncGen<RawDoc> docs() {
        return AsyncGen.defer(() -> {
            Path root = Path.of(input);
            if (Files.isDirectory(root)) {
                return walk(root).open();
            }
            if (!Files.isRegularFile(root)) {
                return AsyncGen.<RawDoc>failed(ErrInfo.of(ErrCode.IO_ERROR, "no such file or folder: " + input
                        + "; check the path").withStage("parse").withKey(input).withLocation(input)).open();
            }
            Origin origin = new Origin(input, root.normalize().toString().replace(root.getFileSystem().getSeparator(), "/"));
            return file(root, origin).open();
        });
    }

    private AsyncGen<RawDoc> walk(Path root) {
        AsyncGen<Path> files = AsyncGen.defer(() -> Multi.createFrom().iterable(() -> accepted(root, true)));
        return files.flatMap(file -> file(file, originIn(root, file)));
    }

    private Iterator<Result<Path>> accepted(Path root, boolean countSkipped) {
        TreeWalk walk = new TreeWalk(root);
        return new Iterator<>() {
            private Result<Path> next;

            @Override
            public boolean hasNext() {
                while (next == null && walk.hasNext()) {
                    Result<Path> candidate = walk.next();
                    if (!(candidate instanceof Ok<Path>(Path file))) {
                        next = candidate;
                    } else if (filter.accepts(relative(root, file))) {
                        Kind kind = kindOf(file);
                        if (kind.format().isPresent()) {
                            next = candidate;
                        } else if (countSkipped) {
                            counters.addSkippedFile(new SkippedFile(file.toString(), kind.type()));
                        }
                    }
                }
                return next != null;
            }

            @Override
            public Result<Path> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Result<Path> item = next;
                next = null;
                return item;
            }
        };
    }

    private AsyncGen<RawDoc> file(Path file, Origin origin) {
        return AsyncGen.defer(() -> {
            Optional<String> refusal = Confinement.refusal(file, options.roots());
            if (refusal.isPresent()) {
                return AsyncGen.<RawDoc>failed(ErrInfo.of(ErrCode.INVALID_INPUT, refusal.get())
                        .withStage("parse").withKey(origin.relative()).withLocation(origin.display())).open();
            }
            Kind kind = kindOf(file);
            if (kind.format().isEmpty()) {
                return AsyncGen.<RawDoc>failed(ErrInfo.of(ErrCode.INVALID_INPUT, "cannot read " + origin.display()
                                + ": its content is " + kind.type() + ", a type no reader here reads; use .csv, .jsonl, "
                                + ".ndjson, .txt, .md or .markdown, a document type in docs/formats.md (PDF, HTML, "
                                + "Office, OpenDocument, RTF, EPUB, e-mail), or pass the format option "
                                + "(csv|jsonl|text|document)")
                        .withStage("parse").withKey(origin.relative()).withLocation(origin.display())).open();
            }
            Format format = kind.format().get();
            AsyncGen<RawDoc> records = format == Format.DOCUMENT
                    ? RecordCursor.stream(() -> new TikaCursor(file, origin, options, counters))
                    : RecordCursor.stream(() -> cursor(format, openFile(file, origin), origin));
            Multi<Result<RawDoc>> items = records.mapErr(e -> e.location().isEmpty()
                    ? e.withStage("parse").withKey(origin.relative()).withLocation(origin.display())
                    : e).open();
            // A document waits for its parse (up to the time limit): never on the requesting thread,
            // which may be an event loop; the parse itself runs on ParseWorkers.
            return format == Format.DOCUMENT ? items.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : items;
        });
    }

    private InputStream openFile(Path file, Origin origin) throws IOException {
        try {
            return CountingInputStream.open(file, counters);
        } catch (IOException e) {
            throw new IOException("cannot open " + origin.display() + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); check that it exists and is readable", e);
        }
    }

    private RecordCursor cursor(Format format, InputStream in, Origin origin) {
        return switch (format) {
            case CSV -> new CsvCursor(in, origin, options, counters);
            case JSONL -> new JsonlCursor(in, origin, options, counters);
            case TEXT, AUTO, DOCUMENT -> new TextCursor(in, origin, options, counters);
        };
    }

    /** A file's format, or none, and the media type that was detected when the content was looked at. */
    private record Kind(Optional<Format> format, String type) {
    }

    private Kind kindOf(Path file) {
        if (options.format() != Format.AUTO) {
            return new Kind(Optional.of(options.format()), "");
        }
        Optional<Format> byName = Format.ofFileName(file.getFileName().toString());
        if (byName.isPresent()) {
            return new Kind(byName, "");
        }
        if (Confinement.refusal(file, options.roots()).isPresent()) {
            return new Kind(Optional.of(Format.DOCUMENT), "");
        }
        try {
            MediaType type = DocumentTypes.detect(file);
            return new Kind(DocumentTypes.formatOf(type), type.toString());
        } catch (IOException | RuntimeException e) {
            // Unreadable: read it as a document, so that its error is reported rather than the file skipped.
            return new Kind(Optional.of(Format.DOCUMENT), "");
        }
    }

    private long measure() {
        Path root = Path.of(input);
        if (!Files.isDirectory(root)) {
            return sizeOf(root);
        }
        long sum = 0;
        for (Iterator<Result<Path>> it = accepted(root, false); it.hasNext(); ) {
            if (it.next() instanceof Ok<Path>(Path file) && Confinement.refusal(file, options.roots()).isEmpty()) {
                sum += Math.max(0, sizeOf(file));
            }
        }
        return sum;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static Origin originIn(Path root, Path file) {
        return new Origin(file.toString(), relative(root, file));
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    }
}
