package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

/** A failed {@link Result}: it carries a described error, never an exception. */
public record Err<T>(ErrInfo error) implements Result<T> {
    public Err {
        requireNonNull(error, "error");
    }

    /** The same error as a result of another value type (an {@code Err} holds no value). */
    @SuppressWarnings("unchecked")
    public <U> Err<U> cast() {
        return (Err<U>) this;
    }
}
