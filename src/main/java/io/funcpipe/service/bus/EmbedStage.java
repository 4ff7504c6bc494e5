package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Embedder;
import io.funcpipe.rag.Stage;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.Vectors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The embed stage at {@link StageAddress#EMBED}: embeds each {@link EmbedTexts} with the node's
 * {@link Embedder}, shared by every instance. The embedder runs the work on its own threads
 * (MiniLM on its session lanes, the hashing embedder on Mutiny's worker pool), so the handler only
 * hands texts over and replies when the vectors come back: the event loop never waits. An empty
 * request is answered at once with the model's name and dimensions. Undeploying waits for the
 * calls under way to be answered.
 */
final class EmbedStage extends VerticleBase {

    private final Embedder embedder;
    private final HostResources resources;
    private MessageConsumer<Object> consumer;
    /** Calls under way on this instance; touched on this verticle's context only. */
    private int inFlight;
    private Promise<Void> drained;

    EmbedStage(Embedder embedder, HostResources resources) {
        this.embedder = requireNonNull(embedder, "embedder");
        this.resources = requireNonNull(resources, "resources");
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(StageAddress.EMBED, this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        Future<Void> unregistered = consumer.unregister();
        if (inFlight == 0) {
            return unregistered;
        }
        drained = Promise.promise();
        return Future.join(unregistered, drained.future());
    }

    private void onMessage(Message<Object> message) {
        StageReplies.guarded(StageAddress.EMBED, message, m -> {
            switch (m.body()) {
                case EmbedTexts request -> embed(m, request.texts());
                case null, default -> StageReplies.fail(m, StageReplies.unexpected(StageAddress.EMBED, m.body(),
                        "EmbedTexts"));
            }
        });
    }

    private void embed(Message<Object> message, List<String> texts) {
        if (texts.isEmpty()) {
            message.reply(new Vectors(embedder.name(), embedder.dimensions(), List.of()));
            return;
        }
        inFlight++;
        resources.embedStarted();
        embedder.embed(texts).open().subscribe().with(
                result -> done(() -> {
                    result.onOk(vectors -> resources.embedded(vectors.size()));
                    StageReplies.reply(message, result, vectors -> new Vectors(embedder.name(), embedder.dimensions(), vectors));
                }),
                failure -> done(() -> StageReplies.fail(message, ErrInfo.fromException(ErrCode.EMBED_FAILED, failure)
                        .withStage(Stage.EMBED.label()))));
    }

    /** Replies, then counts the call as done on this verticle's context. */
    private void done(Runnable reply) {
        try {
            reply.run();
        } finally {
            resources.embedEnded();
            context.runOnContext(ignored -> {
                inFlight--;
                if (inFlight == 0 && drained != null) {
                    drained.tryComplete();
                }
            });
        }
    }
}
