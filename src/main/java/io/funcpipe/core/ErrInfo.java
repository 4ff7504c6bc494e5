package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A described error: plain data that survives a JSON round trip (no {@link Throwable} inside; an
 * exception is kept as its class name and message in {@link #details()}).
 *
 * @param code     what went wrong, from a closed set
 * @param message  a sentence for a person: what, where, and when possible how to fix it
 * @param stage    the pipeline stage that produced the error, or "" when not known
 * @param key      the item's key (document or chunk id), or "" when not known
 * @param location the item's source location such as {@code data.csv:12}, or "" when not known
 * @param details  further facts, such as {@code exception} or {@code attempts}; never null
 */
public record ErrInfo(ErrCode code, String message, String stage, String key, String location,
                      Map<String, String> details) {

    public ErrInfo {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
        stage = stage == null ? "" : stage;
        key = key == null ? "" : key;
        location = location == null ? "" : location;
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** An error with a code and a message only. */
    public static ErrInfo of(ErrCode code, String message) {
        return new ErrInfo(code, message, "", "", "", Map.of());
    }

    /** An error describing {@code e}: its message, and its class name under {@code exception}. */
    public static ErrInfo fromException(ErrCode code, Throwable e) {
        requireNonNull(e, "e");
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ErrInfo(code, text, "", "", "", Map.of("exception", e.getClass().getName()));
    }

    static ErrInfo nullResult() {
        return of(ErrCode.NULL_RESULT, "a user function returned null; return a value or an Err instead");
    }

    public ErrInfo withStage(String stage) {
        return new ErrInfo(code, message, stage, key, location, details);
    }

    public ErrInfo withKey(String key) {
        return new ErrInfo(code, message, stage, key, location, details);
    }

    public ErrInfo withLocation(String location) {
        return new ErrInfo(code, message, stage, key, location, details);
    }

    public ErrInfo withMessage(String message) {
        return new ErrInfo(code, message, stage, key, location, details);
    }

    /** A copy with one more detail (replacing an earlier value under the same name). */
    public ErrInfo withDetail(String name, String value) {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(details);
        copy.put(name, value);
        return new ErrInfo(code, message, stage, key, location, copy);
    }
}
