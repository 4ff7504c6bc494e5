package io.funcpipe.rag;

/**
 * What a deletion removed from an index.
 *
 * @param documents documents (their records) removed
 * @param chunks    chunks removed with them
 */
public record Deletion(long documents, long chunks) {

    public Deletion {
        if (documents < 0 || chunks < 0) {
            throw new IllegalArgumentException("deletion counts must be >= 0: " + documents + ", " + chunks);
        }
    }

    /** Nothing deleted. */
    public static Deletion none() {
        return new Deletion(0, 0);
    }
}
