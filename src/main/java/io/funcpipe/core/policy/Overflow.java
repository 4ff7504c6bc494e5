package io.funcpipe.core.policy;

/** What a full {@link Backpressure} buffer does when the producer is ahead of the consumer. */
public enum Overflow {
    /**
     * Wait upstream: the producer is asked for no more items than the buffer has room for, so it
     * runs at the consumer's pace. The default; right for every source that honours demand.
     */
    WAIT,
    /**
     * Ask the producer for everything and, when the buffer is full, drop the oldest buffered item.
     * Each run of drops is reported by one {@code Err} item with code {@code OVERFLOW} placed where
     * the dropped items were, its detail {@code dropped} counting them. For live feeds where fresh
     * items matter more than old ones.
     */
    DROP_OLDEST,
    /**
     * Ask the producer for everything and, when the buffer is full, stop: the producer is cancelled,
     * the buffered items are delivered, then one {@code Err} item with code {@code OVERFLOW} ends
     * the stream.
     */
    FAIL
}
