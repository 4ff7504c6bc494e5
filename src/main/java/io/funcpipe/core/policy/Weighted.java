package io.funcpipe.core.policy;

import static java.util.Objects.requireNonNull;

import io.funcpipe.core.AsyncGen;

/**
 * One stream of a static {@link FairMerge#merge}, with its share.
 *
 * @param stream   the stream
 * @param fairness its weight and prefetch
 */
public record Weighted<T>(AsyncGen<T> stream, Fairness fairness) {

    public Weighted {
        requireNonNull(stream, "stream");
        requireNonNull(fairness, "fairness");
    }

    /** {@code stream} with {@code weight} and the default prefetch. */
    public static <T> Weighted<T> of(AsyncGen<T> stream, int weight) {
        return new Weighted<>(stream, Fairness.of(weight));
    }
}
