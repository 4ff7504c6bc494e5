package io.funcpipe.service.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.funcpipe.adapters.source.UrlPolicy;

/**
 * Where a job may read files: a source path is resolved (made absolute, normalised, and, when it
 * exists, every symbolic link resolved with {@link Path#toRealPath}) and must then lie under one of
 * the roots. A relative path is looked up under each root in turn. An http(s) URL passes unchanged
 * when the {@link UrlPolicy} accepts it (its host on the allow-list, and every address the host
 * resolves to now allowed); other URL schemes are refused. A path outside the roots is refused without telling whether it
 * exists. Resolution reads the file system: call it off event-loop threads.
 */
final class InputRoots {

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private final List<Path> configured;
    private final List<Path> lexical;
    private final List<Path> real;
    private final UrlPolicy urls;

    InputRoots(List<Path> roots, UrlPolicy urls) {
        this.urls = urls;
        this.configured = List.copyOf(roots);
        this.lexical = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
        List<Path> resolved = new ArrayList<>();
        for (Path root : lexical) {
            try {
                resolved.add(root.toRealPath());
            } catch (IOException e) {
                resolved.add(root);
            }
        }
        this.real = List.copyOf(resolved);
    }

    /**
     * The source as the job will read it: an http(s) URL as given, a path as its absolute real path.
     *
     * @throws IllegalArgumentException saying why it cannot be read and how to fix that
     */
    String resolve(String source) {
        if (SCHEME.matcher(source).matches()) {
            return url(source);
        }
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + source + "' is not a valid path: " + e.getReason());
        }
        if (configured.isEmpty()) {
            throw new IllegalArgumentException(source + " is a file path, but this service has no input roots, so it "
                    + "reads http(s) URLs only; give a URL, or add a root to inputRoots");
        }
        List<Path> candidates = path.isAbsolute()
                ? List.of(path.normalize())
                : lexical.stream().map(root -> root.resolve(path).normalize()).toList();
        boolean anyInside = false;
        for (Path candidate : candidates) {
            if (!inside(candidate, lexical) && !inside(candidate, real)) {
                continue;
            }
            anyInside = true;
            if (Files.exists(candidate)) {
                Path resolved = realPath(candidate, source);
                if (!inside(resolved, real)) {
                    throw new IllegalArgumentException(source + " resolves to " + resolved + ", outside the input roots "
                            + configured + "; put the file under an input root or add a root to inputRoots");
                }
                return resolved.toString();
            }
        }
        if (!anyInside) {
            throw new IllegalArgumentException(source + " is outside the input roots " + configured
                    + "; put the file under an input root or add a root to inputRoots");
        }
        throw new IllegalArgumentException("no such file or folder: " + source
                + (path.isAbsolute() ? "" : " under the input roots " + configured) + "; check the path");
    }

    /** The URL, when {@link UrlPolicy#check} accepts it: its host allowed, and every address it resolves to. */
    private String url(String source) {
        UrlPolicy.Checked checked = urls.check(source);
        if (checked.refusal().isPresent()) {
            throw new IllegalArgumentException(checked.refusal().get());
        }
        return source;
    }

    private static Path realPath(Path candidate, String source) {
        try {
            return candidate.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve " + source + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); check that it exists and is readable");
        }
    }

    private static boolean inside(Path path, List<Path> roots) {
        for (Path root : roots) {
            if (path.startsWith(root)) {
                return true;
            }
        }
        return false;
    }
}
