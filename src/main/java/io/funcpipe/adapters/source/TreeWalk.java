package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;

/**
 * The regular files under a directory, depth first, each folder's entries in name order, so two
 * walks of the same tree give the same order. Lazy: one folder listing is read at a time (and
 * closed at once); memory holds the listings along the current path. Symbolic links to folders
 * are not followed (no cycles). A folder that cannot be listed is an {@code IO_ERROR} item.
 */
final class TreeWalk implements Iterator<Result<Path>> {

    private final Deque<Iterator<Path>> stack = new ArrayDeque<>();
    private Result<Path> next;

    TreeWalk(Path root) {
        requireNonNull(root, "root");
        stack.push(List.of(root).iterator());
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Iterator<Path> top = stack.peek();
            if (!top.hasNext()) {
                stack.pop();
                continue;
            }
            Path path = top.next();
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> entries = Files.list(path)) {
                    stack.push(entries.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList().iterator());
                } catch (IOException | RuntimeException e) {
                    next = Result.err(ErrInfo.of(ErrCode.IO_ERROR, "cannot list folder " + path + ": " + e.getMessage()
                            + "; check that it exists and is readable").withStage("parse").withLocation(path.toString()));
                }
            } else if (Files.isRegularFile(path)) {
                next = Result.ok(path);
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
}
