package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Preparation;
import io.funcpipe.rag.Stage;
import io.funcpipe.rag.Tokenizer;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.clean.Cleaner;
import io.funcpipe.service.bus.protocol.PrepareDocs;
import io.funcpipe.service.bus.protocol.PreparedDocs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The clean stage at {@link StageAddress#CLEAN}: cleans and chunks each document of a
 * {@link PrepareDocs} exactly as an embedded run does ({@link Preparation#local} with
 * {@link Cleaner#clean} and a {@link Chunker}), with the request's chunking options and the node's
 * tokenizer. The work is CPU-bound: deploy it as a worker verticle so it never runs on an event loop.
 */
final class CleanStage extends VerticleBase {

    /** Chunkers kept per chunking options (jobs rarely differ; the bound keeps odd clients from growing it). */
    private static final int CHUNKERS_KEPT = 16;

    private final Tokenizer tokenizer;
    private final Map<ChunkerOptions, Preparation> preparations = new LinkedHashMap<>(CHUNKERS_KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ChunkerOptions, Preparation> eldest) {
            return size() > CHUNKERS_KEPT;
        }
    };
    private MessageConsumer<Object> consumer;

    CleanStage(Tokenizer tokenizer) {
        this.tokenizer = requireNonNull(tokenizer, "tokenizer");
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(StageAddress.CLEAN, this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister();
    }

    private void onMessage(Message<Object> message) {
        StageReplies.guarded(StageAddress.CLEAN, message, m -> {
            switch (m.body()) {
                case PrepareDocs request -> prepare(m, request);
                case null, default -> StageReplies.fail(m, StageReplies.unexpected(StageAddress.CLEAN, m.body(),
                        "PrepareDocs"));
            }
        });
    }

    private void prepare(Message<Object> message, PrepareDocs request) {
        Preparation preparation;
        try {
            preparation = preparations.computeIfAbsent(request.chunking(),
                    options -> Preparation.local(Cleaner::clean, new Chunker(tokenizer, options)::chunk));
        } catch (IllegalArgumentException e) {
            StageReplies.fail(message, ErrInfo.of(ErrCode.INVALID_INPUT, "the chunking options " + request.chunking()
                    + " do not work with this node's tokenizer (window " + tokenizer.maxTokens() + " tokens): "
                    + e.getMessage()).withStage(Stage.CHUNK.label()));
            return;
        }
        preparation.prepare(request.docs()).open().subscribe().with(
                result -> StageReplies.reply(message, result, PreparedDocs::new),
                failure -> StageReplies.fail(message, ErrInfo.fromException(ErrCode.EXCEPTION, failure)
                        .withStage(Stage.CLEAN.label())));
    }
}
