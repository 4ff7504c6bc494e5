package io.funcpipe.service.bus;

/**
 * How many indexes a node's index stage keeps open: each open index holds a Lucene writer and its
 * threads, so the count is bounded.
 *
 * @param maxOpen the most indexes open at once (>= 1; {@code index.maxOpen}); a write to one more is
 *                an {@code UNAVAILABLE} error naming the limit. Default {@value #DEFAULT_MAX_OPEN}.
 */
public record IndexLimits(int maxOpen) {

    public static final int DEFAULT_MAX_OPEN = 64;

    public IndexLimits {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be >= 1, got " + maxOpen);
        }
    }

    public static IndexLimits defaults() {
        return new IndexLimits(DEFAULT_MAX_OPEN);
    }
}
