package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a job spec.
 *
 * @param field   the JSON path of the bad field, such as {@code weight}, {@code sources[1]} or
 *                {@code policies.retry.maxAttempts} ("" for the spec as a whole)
 * @param message a sentence that starts with the field and says how to fix it, such as
 *                {@code weight must be >= 1, got 0}
 */
public record SpecProblem(String field, String message) {

    public SpecProblem {
        requireNonNull(field, "field");
        requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message;
    }
}
