package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.UrlPolicy;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.service.bus.protocol.DocBatch;
import io.funcpipe.service.bus.protocol.NextDocs;
import io.funcpipe.service.bus.protocol.OpenSource;
import io.funcpipe.service.bus.protocol.SourceOpened;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The parse stage enforces its own node's rules: a request sent straight to
 * {@code funcpipe.stage.parse} (as any process on the cluster's bus could) names roots, a URL
 * policy and limits that count for nothing.
 */
@DisplayName("parse stage: this node's roots and URL policy, never the request's")
class ParseStageRulesTest {

    private Vertx vertx;
    private StageHost host;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @TempDir
    Path dir;
    Path root;
    Path outside;

    @BeforeEach
    void start() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(root.resolve("inside.jsonl"), "{\"id\":\"i1\",\"text\":\"inside\"}\n");
        outside = Files.writeString(Files.createDirectories(dir.resolve("private")).resolve("secret.jsonl"),
                "{\"id\":\"s1\",\"text\":\"the secret\"}\n");
        vertx = Vertx.vertx();
        server = await(vertx.createHttpServer().requestHandler(request -> {
            requests.incrementAndGet();
            request.response().putHeader("Content-Type", "text/plain").end("the secret");
        }).listen(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        if (host != null) {
            await(host.close());
        }
        await(server.close());
        await(vertx.close());
    }

    private void host(List<String> allowHosts) {
        ParseRules rules = new ParseRules(List.of(root), UrlPolicy.allowing(allowHosts), 1 << 20, 1 << 10, 1L << 30);
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.PARSE), 1, null, null).withParse(rules)));
    }

    /** Options as a forged message would carry them: no roots (anywhere), any URL. */
    private static SourceOptions forged() {
        return SourceOptions.defaults().withRoots(List.of()).withUrls(UrlPolicy.unrestricted());
    }

    private List<Result<RawDoc>> drain(SourceOpened session) {
        List<Result<RawDoc>> docs = new ArrayList<>();
        DocBatch batch;
        long seq = 0;
        do {
            batch = (DocBatch) request(vertx, session.session(), new NextDocs(++seq, 16));
            docs.addAll(batch.docs());
        } while (!batch.end());
        return docs;
    }

    @Test
    @DisplayName("a forged OpenSource with empty roots naming a file outside the node's roots is refused, naming it")
    void forgedRootsRefused() {
        host(List.of());
        Object reply = request(vertx, StageAddress.PARSE, new OpenSource("forged", List.of(outside.toString()), forged()));

        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrCode.INVALID_INPUT);
            assertThat(f.error().message()).contains("this parse node refuses the inputs of job forged",
                    "inputs[0]: " + outside, "outside the input roots [" + root + "]");
        });
    }

    @Test
    @DisplayName("the same forged options over a file inside the node's roots are read (the node's roots decide)")
    void insideRootsRead() {
        host(List.of());
        Object reply = request(vertx, StageAddress.PARSE,
                new OpenSource("forged", List.of(root.resolve("inside.jsonl").toString()), forged()));

        assertThat(reply).isInstanceOf(SourceOpened.class);
        assertThat(drain((SourceOpened) reply)).singleElement().matches(Result::isOk);
    }

    @Test
    @DisplayName("a relative path is refused: the node reads absolute paths under its roots only")
    void relativeRefused() {
        host(List.of());
        Object reply = request(vertx, StageAddress.PARSE, new OpenSource("forged", List.of("../private/secret.jsonl"),
                forged()));

        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.error().message())
                .contains("inputs[0]: ../private/secret.jsonl is a relative path"));
    }

    @Test
    @DisplayName("a forged OpenSource naming a 127.0.0.1 URL is refused by the node's empty allow-list; the server sees no request")
    void forgedUrlRefused() {
        host(List.of());
        String url = "http://127.0.0.1:" + server.actualPort() + "/secret.txt";
        Object reply = request(vertx, StageAddress.PARSE, new OpenSource("forged", List.of(url), forged()));

        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> assertThat(f.error().message())
                .contains("inputs[0]: " + url + ": host 127.0.0.1 is not on the allow-list fetch.allowHosts "
                        + "(empty: this service fetches no URL)"));
        assertThat(requests).hasValue(0);
    }

    @Test
    @DisplayName("an allowed name that resolves to loopback is refused at fetch time, after resolution; the server sees no request")
    void loopbackAfterResolutionRefused() {
        host(List.of("localhost"));
        String url = "http://localhost:" + server.actualPort() + "/secret.txt";
        Object reply = request(vertx, StageAddress.PARSE, new OpenSource("forged", List.of(url), forged()));

        assertThat(reply).isInstanceOf(SourceOpened.class);
        List<Result<RawDoc>> docs = drain((SourceOpened) reply);
        assertThat(docs).singleElement().isInstanceOfSatisfying(Err.class, err -> {
            ErrInfo e = ((Err<?>) err).error();
            assertThat(e.message()).contains(url + ": host localhost resolves to", "a loopback address",
                    "refused unless listed explicitly in fetch.allowHosts");
        });
        assertThat(requests).hasValue(0);
    }
}
