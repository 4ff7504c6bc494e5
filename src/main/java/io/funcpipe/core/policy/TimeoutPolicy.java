package io.funcpipe.core.policy;

import java.time.Duration;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * Deadlines for one item's step and for a whole stream. {@link Duration#ZERO} means "no deadline".
 *
 * <p>An item past {@code perItem} becomes an {@code Err} with code {@code TIMEOUT}; its step is
 * cancelled, so a late result is discarded and the step's resources are released. A stream past
 * {@code perStream} is cancelled upstream and ends with one {@code TIMEOUT} item.
 *
 * <p>Config form: {@code {"perItem": "PT30S", "perStream": "PT0S"}} (or {@code "30s"}, {@code "0s"}).
 *
 * @param perItem   deadline of one attempt of one item's step, >= 0; default 30 s
 * @param perStream deadline of a whole stream, >= 0; default {@code ZERO} (none)
 */
public record TimeoutPolicy(Duration perItem, Duration perStream) {

    /** 30 s per item, no stream deadline. */
    public static final TimeoutPolicy DEFAULT = new TimeoutPolicy(Duration.ofSeconds(30), Duration.ZERO);

    /** No deadlines at all. */
    public static final TimeoutPolicy NONE = new TimeoutPolicy(Duration.ZERO, Duration.ZERO);

    public TimeoutPolicy {
        Validate.nonNegative(perItem, "timeout.perItem");
        Validate.nonNegative(perStream, "timeout.perStream");
    }

    /** Deadlines per item and per stream ({@code ZERO} for none). */
    public static TimeoutPolicy of(Duration perItem, Duration perStream) {
        return new TimeoutPolicy(perItem, perStream);
    }

    /** A per-item deadline only. */
    public static TimeoutPolicy perItem(Duration perItem) {
        return new TimeoutPolicy(perItem, Duration.ZERO);
    }

    @CheckReturnValue
    public TimeoutPolicy withPerItem(Duration perItem) {
        return new TimeoutPolicy(perItem, perStream);
    }

    @CheckReturnValue
    public TimeoutPolicy withPerStream(Duration perStream) {
        return new TimeoutPolicy(perItem, perStream);
    }
}
