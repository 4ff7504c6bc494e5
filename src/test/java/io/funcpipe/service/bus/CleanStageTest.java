package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.fixture;
import static io.funcpipe.service.bus.BusTesting.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.adapters.embed.WordTokenizer;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.Preparation;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;
import io.funcpipe.service.bus.protocol.PrepareDocs;
import io.funcpipe.service.bus.protocol.PreparedDocs;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.vertx.core.Vertx;

@DisplayName("clean stage (clean + chunk over a local event bus)")
class CleanStageTest {

    private Vertx vertx;
    private StageHost host;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        host = await(StageHost.start(vertx, StageHostOptions.of(Set.of(BusStage.CLEAN), 2, BusTesting.hashModel(), null)));
    }

    @AfterEach
    void stop() {
        await(host.close());
        assertThat(host.resources().allZero()).isTrue();
        await(vertx.close());
    }

    private static RawDoc doc(String id, String text) {
        return new RawDoc(id, id + ":1", text, Map.of("k", "v"), text.length(), 0);
    }

    private static RawDoc fixtureDoc(String name) {
        List<Result<RawDoc>> docs = BusTesting.all(Sources.open(List.of(fixture(name)), SourceOptions.defaults(), null)
                .docs());
        return BusTesting.ok(docs.getFirst());
    }

    @Test
    @DisplayName("answers one result per document, in order, the same as cleaning and chunking in process")
    void sameAsInProcess() {
        List<RawDoc> docs = List.of(fixtureDoc("notes.md"), doc("b", "Short text. Another sentence here."),
                fixtureDoc("binary.txt"), fixtureDoc("empty.txt"));
        ChunkerOptions chunking = new ChunkerOptions(16, 0);

        PreparedDocs reply = (PreparedDocs) request(vertx, StageAddress.CLEAN, new PrepareDocs(docs, chunking));

        Chunker chunker = new Chunker(WordTokenizer.of(), chunking);
        List<Result<List<Chunk>>> local = BusTesting.ok(BusTesting.await(
                Preparation.local(Cleaner::clean, chunker::chunk).prepare(docs)));
        assertThat(reply.results()).isEqualTo(local).hasSize(4);
        assertThat(reply.results().get(0)).isInstanceOfSatisfying(Ok.class,
                ok -> assertThat((List<?>) ok.value()).hasSizeGreaterThan(1));
    }

    @Test
    @DisplayName("a binary file is NOT_TEXT and an empty one EMPTY_DOCUMENT, both at stage clean, naming the document")
    void refusedDocuments() {
        PreparedDocs reply = (PreparedDocs) request(vertx, StageAddress.CLEAN,
                new PrepareDocs(List.of(fixtureDoc("binary.txt"), fixtureDoc("empty.txt")), ChunkerOptions.defaults()));

        assertThat(reply.results()).hasSize(2);
        assertThat(reply.results().get(0)).isInstanceOfSatisfying(Err.class, e -> {
            assertThat(e.error().code()).isEqualTo(ErrCode.NOT_TEXT);
            assertThat(e.error().stage()).isEqualTo("clean");
            assertThat(e.error().location()).contains("binary.txt");
        });
        assertThat(reply.results().get(1)).isInstanceOfSatisfying(Err.class, e -> {
            assertThat(e.error().code()).isEqualTo(ErrCode.EMPTY_DOCUMENT);
            assertThat(e.error().stage()).isEqualTo("clean");
        });
    }

    @Test
    @DisplayName("chunking options the tokenizer cannot honour fail the request at stage chunk, saying why")
    void impossibleChunking() {
        Object reply = request(vertx, StageAddress.CLEAN,
                new PrepareDocs(List.of(doc("a", "some text")), new ChunkerOptions(2, 0)));
        assertThat(reply).isInstanceOfSatisfying(StageFailure.class, f -> {
            assertThat(f.error().code()).isEqualTo(ErrCode.INVALID_INPUT);
            assertThat(f.error().stage()).isEqualTo("chunk");
            assertThat(f.error().message()).contains("chunking options", "window 128", "no room for text");
        });
    }
}
