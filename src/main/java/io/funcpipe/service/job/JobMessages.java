package io.funcpipe.service.job;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Reading the bodies of job API requests. Bodies are JSON objects; a JSON text (a string body, as
 * some bridge clients send) is parsed. Anything else is answered with a 400 that says what to send.
 */
final class JobMessages {

    private JobMessages() {
    }

    /** The body as a JSON object, or null (after a 400 reply) when it is not one. {@code null} bodies give {@code orElse}. */
    static JsonObject object(Message<Object> message, String expected, JsonObject orElse) {
        Object body = message.body();
        if (body == null && orElse != null) {
            return orElse;
        }
        if (body instanceof JsonObject json) {
            return json;
        }
        if (body instanceof String text) {
            try {
                return new JsonObject(text);
            } catch (DecodeException e) {
                message.fail(JobAddresses.BAD_REQUEST, "the body is not valid JSON (" + e.getMessage() + "); send " + expected);
                return null;
            }
        }
        message.fail(JobAddresses.BAD_REQUEST, "the body must be a JSON object: send " + expected + ", got "
                + (body == null ? "nothing" : body.getClass().getSimpleName()));
        return null;
    }

    /** The {@code id} of a status or cancel request, or null (after a 400 reply) when there is none. */
    static String id(Message<Object> message) {
        String expected = "{\"id\": \"<job id>\"}";
        JsonObject body = object(message, expected, null);
        if (body == null) {
            return null;
        }
        Object id = body.getValue("id");
        if (!(id instanceof String text) || text.isBlank()) {
            message.fail(JobAddresses.BAD_REQUEST, "the body must name the job: send " + expected + ", got " + body.encode());
            return null;
        }
        return text;
    }
}
