package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

/** A successful {@link Result}. The value is never null. */
public record Ok<T>(T value) implements Result<T> {
    public Ok {
        requireNonNull(value, "value");
    }
}
