package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The web console and the API's description, served from resources in the jar (plain HTML, CSS and
 * JavaScript; nothing is fetched at run time), public like {@code /health/*}:
 * <ul>
 *   <li>{@code GET /}: the console page ({@code io/funcpipe/console/index.html}), which calls the REST API
 *       ({@code /v1/jobs}, {@code /v1/indexes}) with the token the user types in;</li>
 *   <li>{@code GET /console.css}, {@code GET /console.js}: its style and script;</li>
 *   <li>{@code GET /openapi.yaml}: the OpenAPI 3.1 description of {@code /v1/*}.</li>
 * </ul>
 * The resources are read once, when the routes are mounted.
 */
public final class ConsoleRoutes {

    private static final String ROOT = "io/funcpipe/console/";
    /** Path -> resource and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/console.css", new String[] {"console.css", "text/css; charset=utf-8"},
            "/console.js", new String[] {"console.js", "text/javascript; charset=utf-8"},
            "/openapi.yaml", new String[] {"openapi.yaml", "application/yaml; charset=utf-8"});
    /** The page runs only its own script and talks only to its own origin. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    private ConsoleRoutes() {
    }

    /** Mounts the console's routes on {@code router}. */
    public static void mount(Router router) {
        requireNonNull(router, "router");
        FILES.forEach((path, file) -> {
            Buffer body = Buffer.buffer(read(file[0]));
            String type = file[1];
            router.get(path).handler(rc -> send(rc, body, type));
        });
    }

    private static void send(RoutingContext rc, Buffer body, String type) {
        rc.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff").putHeader("Content-Security-Policy", POLICY)
                .end(body);
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the console resource " + ROOT + name + " is missing from the jar; "
                        + "rebuild it (mvn package)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console resource " + ROOT + name, e);
        }
    }
}
