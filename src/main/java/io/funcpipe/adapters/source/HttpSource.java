package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.AsyncPlan;
import io.funcpipe.rag.DocSource;
import io.funcpipe.rag.RawDoc;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * A JSONL or text body fetched with a GET from an http(s) URL, streamed with backpressure
 * ({@link HttpBody}); the body is never buffered whole, except a text body, which is one document.
 * Each run opens its own client and connection and closes them on completion, cancellation or
 * failure. Format: the options' format, else the URL path's extension, else the Content-Type
 * ({@code *json*} means JSONL, {@code text/*} means text). CSV over HTTP is not supported.
 */
final class HttpSource implements DocSource {

    private final String url;
    private final SourceOptions options;
    private final SourceCounters counters;
    private final Vertx vertx;
    private final Origin origin;

    HttpSource(String url, SourceOptions options, SourceCounters counters, Vertx vertx) {
        this.url = requireNonNull(url, "url");
        this.options = requireNonNull(options, "options");
        this.counters = requireNonNull(counters, "counters");
        this.vertx = requireNonNull(vertx, "vertx");
        this.origin = new Origin(url, url);
    }

    @Override
    public String describe() {
        return url;
    }

    /** Unknown before the response arrives. */
    @Override
    public long totalBytes() {
        return -1;
    }

    @Override
    public AsyncGen<RawDoc> docs() {
        AsyncPlan<HttpSession> connect = AsyncPlan.fromCompletionStage(() -> connect().toCompletionStage());
        return AsyncGen.using(connect, this::release,
                        session -> AsyncGen.defer(() -> new HttpBody(session, origin, options, counters).docs()))
                .mapErr(e -> e.location().isEmpty() ? InputUnread.mark(e.withStage("parse").withKey(url).withLocation(url)) : e);
    }

    /**
     * Connects on one event-loop context, so the response callback runs in the same task that
     * receives the response head, before any body event, and its inbox sees the whole body.
     */
    private Future<HttpSession> connect() {
        Context context = vertx.getOrCreateContext();
        Promise<HttpSession> session = Promise.promise();
        context.runOnContext(v -> connect(context).onComplete(session));
        return session.future();
    }

    /**
     * Checks the URL under the options' {@link UrlPolicy} (a restricted policy resolves the host
     * off the event loop and checks every address), then sends the GET to the checked address, so
     * a second DNS answer cannot lead elsewhere. Redirects are not followed.
     */
    private Future<HttpSession> connect(Context context) {
        UrlPolicy policy = options.urls();
        Optional<String> refused = policy.refusalOf(url);
        if (refused.isPresent()) {
            return Future.failedFuture(refused.get());
        }
        if (!policy.restricted()) {
            return send(context, new RequestOptions());
        }
        return vertx.executeBlocking(() -> policy.check(url), false).compose(checked -> {
            if (checked.refusal().isPresent()) {
                return Future.failedFuture(checked.refusal().get());
            }
            URI uri = URI.create(url);
            int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            String address = checked.addresses().getFirst().getHostAddress();
            return send(context, new RequestOptions().setServer(SocketAddress.inetSocketAddress(port, address)));
        });
    }

    private Future<HttpSession> send(Context context, RequestOptions request) {
        UrlPolicy policy = options.urls();
        HttpClientAgent client = vertx.createHttpClient();
        request.setMethod(HttpMethod.GET).setAbsoluteURI(url).setFollowRedirects(false)
                .setConnectTimeout(policy.connectTimeout().toMillis()).setIdleTimeout(policy.readTimeout().toMillis());
        return client.request(request)
                .compose(req -> req.send())
                .compose(response -> {
                    ResponseInbox body = new ResponseInbox(response);
                    Optional<String> refusal = refusal(response);
                    if (refusal.isPresent()) {
                        return client.close().transform(ignored -> Future.failedFuture(refusal.get()));
                    }
                    counters.opened();
                    return Future.succeededFuture(new HttpSession(client, body, context,
                            formatOf(response).orElseThrow()));
                }, failure -> client.close().transform(ignored -> Future.failedFuture(
                        "GET " + url + " failed: " + failure.getMessage() + "; check the URL and that the server is up"
                                + " (connect timeout " + policy.connectTimeout().toMillis() + " ms, read timeout "
                                + policy.readTimeout().toMillis() + " ms: fetch.connectTimeout, fetch.readTimeout)")));
    }

    private Optional<String> refusal(HttpClientResponse response) {
        if (response.statusCode() / 100 == 3) {
            return Optional.of("GET " + url + " answered HTTP " + response.statusCode() + " (a redirect to "
                    + response.getHeader("Location") + "); redirects are not followed: give the final URL");
        }
        if (response.statusCode() / 100 != 2) {
            return Optional.of("GET " + url + " answered HTTP " + response.statusCode() + " " + response.statusMessage()
                    + "; check the URL and the server");
        }
        if (formatOf(response).isEmpty()) {
            return Optional.of("cannot tell the format of " + url + " (Content-Type "
                    + response.getHeader("Content-Type") + "); pass the format option (jsonl|text)");
        }
        if (formatOf(response).get() == Format.DOCUMENT) {
            return Optional.of("documents (PDF, Office, ...) over HTTP are not supported (" + url + "); download the "
                    + "file and read it from disk, or serve text or JSONL");
        }
        if (formatOf(response).get() == Format.CSV) {
            return Optional.of("CSV over HTTP is not supported (" + url + "); download the file and read it from disk, or serve JSONL");
        }
        return Optional.empty();
    }

    private Optional<Format> formatOf(HttpClientResponse response) {
        if (options.format() != Format.AUTO) {
            return Optional.of(options.format());
        }
        Optional<Format> byPath = Optional.ofNullable(URI.create(url).getPath()).flatMap(Format::ofFileName);
        if (byPath.isPresent()) {
            return byPath;
        }
        String type = Optional.ofNullable(response.getHeader("Content-Type")).orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            return Optional.of(Format.JSONL);
        }
        return type.startsWith("text/") ? Optional.of(Format.TEXT) : Optional.empty();
    }

    private Uni<Void> release(HttpSession session) {
        return Uni.createFrom().completionStage(() -> session.client().close().toCompletionStage())
                .onTermination().invoke(counters::closed);
    }
}
