package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;
import io.smallrye.mutiny.Multi;

/**
 * A file or a directory tree on local disk. A file named on its own is read in the format the
 * options name, else the one its extension names; an unknown extension is an {@code Err}. A
 * directory is walked recursively in name order ({@link TreeWalk}), filtered by the include and
 * exclude globs; in auto mode a file whose extension names no format is skipped and counted in
 * {@link SourceCounters#skippedFiles()}. Each file is opened when its turn comes and closed before
 * the next one opens (or when the stream is cancelled). Building this source touches no file.
 * With {@link SourceOptions#roots()} set, each file is checked against them just before it is
 * opened ({@link Confinement}).
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
            Origin origin = new Origin(input, root.getFileName().toString());
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
                        if (formatOf(file).isPresent()) {
                            next = candidate;
                        } else if (countSkipped) {
                            counters.addSkippedFile(file.toString());
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
        Optional<Format> format = formatOf(file);
        if (format.isEmpty()) {
            return AsyncGen.failed(ErrInfo.of(ErrCode.INVALID_INPUT, "cannot tell the format of " + origin.display()
                            + " from its extension; use .csv, .jsonl, .ndjson, .txt, .md or .markdown, or pass the format option (csv|jsonl|text)")
                    .withStage("parse").withKey(origin.relative()).withLocation(origin.display()));
        }
        AsyncGen<RawDoc> records = RecordCursor.stream(() -> cursor(format.get(), openFile(file, origin), origin))
                .mapErr(e -> e.location().isEmpty()
                        ? e.withStage("parse").withKey(origin.relative()).withLocation(origin.display())
                        : e);
        if (options.roots().isEmpty()) {
            return records;
        }
        return AsyncGen.defer(() -> Confinement.refusal(file, options.roots())
                .map(why -> AsyncGen.<RawDoc>failed(ErrInfo.of(ErrCode.INVALID_INPUT, why)
                        .withStage("parse").withKey(origin.relative()).withLocation(origin.display())))
                .orElse(records).open());
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
            case TEXT, AUTO -> new TextCursor(in, origin, options, counters);
        };
    }

    private Optional<Format> formatOf(Path file) {
        return options.format() == Format.AUTO ? Format.ofFileName(file.getFileName().toString())
                : Optional.of(options.format());
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
