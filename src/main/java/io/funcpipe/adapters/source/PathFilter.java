package io.funcpipe.adapters.source;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Include and exclude globs over paths relative to a directory root ({@code /}-separated). A file
 * is kept when it matches some include glob (or there are none) and no exclude glob. A glob that
 * starts with {@code **}{@code /} also matches at the root, so {@code **}{@code /*.csv} takes
 * {@code a.csv} as well as {@code x/a.csv}.
 */
record PathFilter(List<PathMatcher> include, List<PathMatcher> exclude) {

    PathFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    static PathFilter of(List<String> include, List<String> exclude) {
        return new PathFilter(compile(include), compile(exclude));
    }

    boolean accepts(String relative) {
        Path path = Path.of(relative);
        boolean included = include.isEmpty() || include.stream().anyMatch(m -> m.matches(path));
        return included && exclude.stream().noneMatch(m -> m.matches(path));
    }

    private static List<PathMatcher> compile(List<String> globs) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            try {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                if (glob.startsWith("**/")) {
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad glob '" + glob + "': " + e.getMessage()
                        + "; use * for a name part, ** across folders, {a,b} for choices", e);
            }
        }
        return matchers;
    }
}
