package io.funcpipe.adapters.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The check behind {@link SourceOptions#roots()}: whether a file, with every symbolic link
 * resolved, lies under one of the roots (themselves resolved). A file that cannot be resolved (it
 * does not exist, or a link dangles) is not judged here: opening it fails with its own error.
 */
final class Confinement {

    private Confinement() {
    }

    /** Why {@code file} may not be read (it resolves outside every root), or empty when it may. */
    static Optional<String> refusal(Path file, List<Path> roots) {
        if (roots.isEmpty()) {
            return Optional.empty();
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path root : roots) {
            if (real.startsWith(resolved(root))) {
                return Optional.empty();
            }
        }
        return Optional.of(file + " resolves to " + real + ", outside the input roots " + roots
                + "; it was not read (move the file under an input root, or add a root)");
    }

    private static Path resolved(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize();
        }
    }
}
