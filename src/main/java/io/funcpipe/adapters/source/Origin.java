package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

/**
 * Where a source's records come from.
 *
 * @param display  the name shown in locations and errors (the path as the user gave it, or the URL)
 * @param relative the name used in generated ids: the path relative to the input root (a file named
 *                 on its own: its path as given, normalised, with {@code /} separators), or the URL
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

    /** {@code relative:line}, the key of a record that could not be read (errors name it). */
    String idAt(long line) {
        return relative + ":" + line;
    }

    /**
     * {@code relative#<hash>}, the id of a record that has no id of its own: a hash of its text and
     * fields (never its line number, so inserting a record re-keys no other).
     */
    String contentId(String text, java.util.Map<String, String> fields) {
        String hash = io.funcpipe.rag.ContentHash.of(new io.funcpipe.rag.RawDoc("", "", text, fields, 0, 0));
        return relative + "#" + hash.substring(0, 16);
    }
}
