package io.funcpipe.adapters.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a Jackson binding error into one sentence that starts with the field's config path, so a
 * user can find the bad value in the file: the records' own validation messages already name the
 * field ({@code retry.maxAttempts must be >= 1, got 0}) and are passed through.
 */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(String root, Exception error) {
        Throwable validation = validationCause(error);
        if (validation != null) {
            return validation.getMessage();
        }
        if (!(error instanceof JacksonException jackson)) {
            return error.getMessage();
        }
        String path = error instanceof DatabindException databind ? path(root, databind) : root;
        String at = path.isEmpty() ? "" : path + ": ";
        return switch (error) {
            case UnrecognizedPropertyException unknown -> at + "unknown field; known fields are "
                    + unknown.getKnownPropertyIds();
            case InvalidFormatException format when format.getTargetType() != null && format.getTargetType().isEnum() ->
                    at + "\"" + format.getValue() + "\" is not one of " + PolicyJson.enumValues(format.getTargetType());
            case InvalidFormatException format -> at + "\"" + format.getValue() + "\" is not a valid "
                    + simpleName(format.getTargetType()) + ": " + format.getOriginalMessage();
            default -> at + jackson.getOriginalMessage();
        };
    }

    /** The {@link IllegalArgumentException} a record's compact constructor threw, if that is the cause. */
    private static Throwable validationCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().startsWith("io.funcpipe.core.policy.")) {
                return t;
            }
            if (t instanceof ValueInstantiationException && t.getCause() instanceof IllegalArgumentException iae) {
                return iae;
            }
        }
        return null;
    }

    private static String path(String root, DatabindException error) {
        StringBuilder path = new StringBuilder(root);
        if (error instanceof JsonMappingException mapping) {
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    if (!path.isEmpty()) {
                        path.append('.');
                    }
                    path.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
        }
        return path.toString();
    }

    private static String simpleName(Class<?> type) {
        return type == null ? "value" : type.getSimpleName();
    }
}
