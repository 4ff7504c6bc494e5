package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How many indexes a node's index stage keeps open, and for how long one stays open unused: each
 * open index holds a Lucene writer and its threads, so both are bounded.
 *
 * @param maxOpen   the most indexes open at once (>= 1; {@code index.maxOpen}). Asked for one more, the
 *                  registry closes the least recently used index that no operation is using; only when
 *                  every open index is in use is the request an {@code UNAVAILABLE} error naming the limit.
 *                  Default {@value #DEFAULT_MAX_OPEN}.
 * @param idleClose how long an index may go without an operation before it is closed, which commits it
 *                  ({@code index.idleClose}; >= 0, {@link Duration#ZERO} for never). Default
 *                  {@link #DEFAULT_IDLE_CLOSE}.
 */
public record IndexLimits(int maxOpen, Duration idleClose) {

    public static final int DEFAULT_MAX_OPEN = 64;
    /** Ten minutes: longer than any pause between two writes of a running job. */
    public static final Duration DEFAULT_IDLE_CLOSE = Duration.ofMinutes(10);

    public IndexLimits {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be >= 1, got " + maxOpen);
        }
        requireNonNull(idleClose, "idleClose");
        if (idleClose.isNegative()) {
            throw new IllegalArgumentException("idleClose must be >= 0 (0: never close idle indexes), got " + idleClose);
        }
    }

    public static IndexLimits defaults() {
        return new IndexLimits(DEFAULT_MAX_OPEN, DEFAULT_IDLE_CLOSE);
    }

    /** Whether idle indexes are closed at all ({@code idleClose} is not zero). */
    public boolean closesIdle() {
        return !idleClose.isZero();
    }
}
