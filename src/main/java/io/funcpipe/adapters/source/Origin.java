package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

/**
 * Where a source's records come from.
 *
 * @param display  the name shown in locations and errors (the path as the user gave it, or the URL)
 * @param relative the name used in generated ids: the path relative to the input root (a file named
 *                 on its own: its file name), or the URL
 */
record Origin(String display, String relative) {

    Origin {
        requireNonNull(display, "display");
        requireNonNull(relative, "relative");
    }

    /** {@code display:line}, the location of a record. */
    String at(long line) {
        return display + ":" + line;
    }

    /** {@code relative:line}, the id of a record that has no id of its own. */
    String idAt(long line) {
        return relative + ":" + line;
    }
}
