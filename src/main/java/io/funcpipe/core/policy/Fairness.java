package io.funcpipe.core.policy;

import io.smallrye.common.annotation.CheckReturnValue;

/**
 * A stream's share of a capacity it shares with other streams in a {@link FairMerge}: over a long
 * run, a stream with weight 2 gets twice the items of a stream with weight 1 while both have items
 * ready. A job's weight comes from its job spec.
 *
 * <p>Config form: {@code {"weight": 1, "prefetch": 16}}.
 *
 * @param weight   the stream's share, >= 1; default 1
 * @param prefetch items the merge holds ready for this stream, >= 1 (this bounds its memory);
 *                 default 16
 */
public record Fairness(int weight, int prefetch) {

    /** Weight 1, prefetch 16. */
    public static final Fairness DEFAULT = new Fairness(1, 16);

    public Fairness {
        Validate.atLeast(weight, 1, "fairness.weight");
        Validate.atLeast(prefetch, 1, "fairness.prefetch");
    }

    /** The given weight, default prefetch. */
    public static Fairness of(int weight) {
        return DEFAULT.withWeight(weight);
    }

    @CheckReturnValue
    public Fairness withWeight(int weight) {
        return new Fairness(weight, prefetch);
    }

    @CheckReturnValue
    public Fairness withPrefetch(int prefetch) {
        return new Fairness(weight, prefetch);
    }
}
