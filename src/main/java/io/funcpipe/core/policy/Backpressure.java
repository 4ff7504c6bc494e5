package io.funcpipe.core.policy;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * A bounded buffer between a producer and a consumer, and what to do when it is full. Memory stays
 * bounded by {@code bufferSize} items whatever the speed gap.
 *
 * <p>Config form: {@code {"bufferSize": 256, "overflow": "WAIT"}}.
 *
 * @param bufferSize the most items the buffer holds, >= 1; default {@value #DEFAULT_BUFFER_SIZE}
 * @param overflow   what a full buffer does; default {@link Overflow#WAIT}
 */
public record Backpressure(int bufferSize, Overflow overflow) {

    /** The default buffer size. */
    public static final int DEFAULT_BUFFER_SIZE = 256;

    /** {@value #DEFAULT_BUFFER_SIZE} items, {@link Overflow#WAIT}. */
    public static final Backpressure DEFAULT = new Backpressure(DEFAULT_BUFFER_SIZE, Overflow.WAIT);

    public Backpressure {
        Validate.atLeast(bufferSize, 1, "backpressure.bufferSize");
        Validate.present(overflow, "backpressure.overflow");
    }

    /** A buffer of {@code bufferSize} items with the given overflow choice. */
    public static Backpressure of(int bufferSize, Overflow overflow) {
        return new Backpressure(bufferSize, overflow);
    }

    @CheckReturnValue
    public Backpressure withBufferSize(int bufferSize) {
        return new Backpressure(bufferSize, overflow);
    }

    @CheckReturnValue
    public Backpressure withOverflow(Overflow overflow) {
        return new Backpressure(bufferSize, overflow);
    }
}
