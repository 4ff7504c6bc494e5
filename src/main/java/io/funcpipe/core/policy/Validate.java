package io.funcpipe.core.policy;

import java.time.Duration;

/**
 * The checks the policy records run in their compact constructors. Each failure is an
 * {@link IllegalArgumentException} whose message starts with the field's config path (such as
 * {@code retry.maxAttempts}), so a bad config value is found from the message alone.
 */
final class Validate {

    private Validate() {
    }

    static <T> T present(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must be set, got null");
        }
        return value;
    }

    static int atLeast(int value, int min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    static double positiveFinite(double value, String field) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    static double between(double value, double min, double max, String field) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static Duration nonNegative(Duration value, String field) {
        present(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
        return value;
    }

    static Duration positive(Duration value, String field) {
        present(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be > 0, got " + value);
        }
        return value;
    }
}
