package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.http.HttpClientAgent;

/**
 * An open HTTP download: the client that owns the connection, the inbox of the paused response
 * whose body is still to be read, the event-loop context its handlers run on, and the body's format.
 */
record HttpSession(HttpClientAgent client, ResponseInbox body, Context context, Format format) {
    HttpSession {
        requireNonNull(client, "client");
        requireNonNull(body, "body");
        requireNonNull(context, "context");
        requireNonNull(format, "format");
    }
}
