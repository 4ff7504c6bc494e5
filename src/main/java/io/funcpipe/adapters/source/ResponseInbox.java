package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * The body events of a paused response, captured from the moment the response arrives. Vert.x may
 * already have dispatched a small body's chunks and end to the response's context when the
 * response callback pauses it; handlers set later would miss them (and setting a handler on an
 * ended response throws). The inbox sets its handlers in that callback, keeps what arrives before
 * a reader attaches (at most what was in flight when the response was paused), and then hands out
 * one event per {@link #fetch}. Touched only on the response's context.
 */
final class ResponseInbox {

    /** What a reader of the body receives, one event per fetch (end and failure are final). */
    interface Reader {
        void onBuffer(Buffer buffer);

        void onEnd();

        void onFailure(Throwable failure);
    }

    private final HttpClientResponse response;
    private final ArrayDeque<Buffer> early = new ArrayDeque<>();
    private boolean ended;
    private Throwable failure;
    private Reader reader;
    private boolean waiting;

    /** Pauses {@code response} and starts capturing; call in the callback that receives it. */
    ResponseInbox(HttpClientResponse response) {
        this.response = requireNonNull(response, "response");
        response.pause();
        response.handler(this::buffer);
        response.endHandler(v -> end());
        response.exceptionHandler(this::fail);
    }

    void attach(Reader newReader) {
        if (reader != null) {
            throw new IllegalStateException("a response body can be read once");
        }
        reader = requireNonNull(newReader, "reader");
    }

    /** Delivers the next event to the reader: an early one if any, else asks the network for one buffer. */
    void fetch() {
        if (reader == null) {
            throw new IllegalStateException("fetch before a reader attached");
        }
        if (!early.isEmpty()) {
            reader.onBuffer(early.poll());
        } else if (failure != null) {
            reader.onFailure(failure);
        } else if (ended) {
            reader.onEnd();
        } else {
            waiting = true;
            response.fetch(1);
        }
    }

    private void buffer(Buffer buffer) {
        if (reader != null && waiting && early.isEmpty()) {
            waiting = false;
            reader.onBuffer(buffer);
        } else {
            early.add(buffer);
        }
    }

    private void end() {
        if (reader != null && early.isEmpty()) {
            reader.onEnd();
        } else {
            ended = true;
        }
    }

    private void fail(Throwable cause) {
        if (reader != null && early.isEmpty()) {
            reader.onFailure(cause);
        } else {
            failure = cause;
        }
    }
}
