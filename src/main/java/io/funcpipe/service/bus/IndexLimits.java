package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How many indexes a node's index stage keeps open: each open index holds a Lucene writer and its
 * threads, so the count is bounded and an index no job has written for a while is closed (and
 * committed); it is opened again by the next write.
 *
 * @param maxOpen   the most indexes open at once (>= 1; {@code index.maxOpen}); a write to one
 *                  more, while every open index is in use, is an {@code UNAVAILABLE} error naming
 *                  the limit. Default {@value #DEFAULT_MAX_OPEN}.
 * @param idleClose how long an index may go without a write or commit before it is closed (> 0;
 *                  {@code index.idleClose}). Default 10 minutes.
 */
public record IndexLimits(int maxOpen, Duration idleClose) {

    public static final int DEFAULT_MAX_OPEN = 64;
    public static final Duration DEFAULT_IDLE_CLOSE = Duration.ofMinutes(10);

    public IndexLimits {
        if (maxOpen < 1) {
            throw new IllegalArgumentException("maxOpen must be >= 1, got " + maxOpen);
        }
        requireNonNull(idleClose, "idleClose");
        if (idleClose.isNegative() || idleClose.isZero()) {
            throw new IllegalArgumentException("idleClose must be > 0, got " + idleClose);
        }
    }

    public static IndexLimits defaults() {
        return new IndexLimits(DEFAULT_MAX_OPEN, DEFAULT_IDLE_CLOSE);
    }
}
