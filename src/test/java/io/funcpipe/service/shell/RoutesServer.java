package io.funcpipe.service.shell;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * A router on a Vert.x of its own, served on 127.0.0.1 at a free port, with a web client: what the
 * route tests start before each test and close after it. Waits are bounded so that a broken test
 * cannot hang the build.
 */
final class RoutesServer implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    final Vertx vertx;
    final WebClient client;
    private final HttpServer server;

    private RoutesServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
        this.client = WebClient.create(vertx);
    }

    /** Serves the routes {@code mount} adds to a new router (given the Vert.x it runs on). */
    static RoutesServer start(BiConsumer<Vertx, Router> mount) throws TimeoutException {
        Vertx vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        mount.accept(vertx, router);
        return new RoutesServer(vertx, within(vertx.createHttpServer().requestHandler(router).listen(0, HOST)));
    }

    int port() {
        return server.actualPort();
    }

    HttpResponse<Buffer> get(String path) throws TimeoutException {
        return within(client.get(port(), HOST, path).send());
    }

    static <T> T within(Future<T> future) throws TimeoutException {
        return future.await(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws TimeoutException {
        client.close();
        within(vertx.close());
    }
}
