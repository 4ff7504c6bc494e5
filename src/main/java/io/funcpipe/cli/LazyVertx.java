package io.funcpipe.cli;

import java.util.function.Supplier;

import io.vertx.core.Vertx;

/**
 * The Vert.x instance of one command, started the first time something asks for it (a URL to
 * read, an OpenAI-compatible embedder) and closed with the command if it was. Files with an
 * in-process model never start one: Vert.x costs a one-shot command about half a second of start
 * and 50 MB of memory.
 */
final class LazyVertx implements Supplier<Vertx>, AutoCloseable {

    private Vertx vertx;

    @Override
    public synchronized Vertx get() {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    @Override
    public synchronized void close() {
        if (vertx != null) {
            vertx.close().await();
        }
    }
}
