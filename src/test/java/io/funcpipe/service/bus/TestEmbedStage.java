package io.funcpipe.service.bus;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.service.bus.protocol.EmbedTexts;
import io.funcpipe.service.bus.protocol.Vectors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * A stand-in for the embed stage that counts what reaches it: requests received, the most in
 * flight at once (received, not yet answered). It answers with the hashing embedder's vectors
 * after {@code delayMs}, and ignores the first {@code ignoreFirst} requests with texts (as a node
 * that lost them would). An empty request is answered at once, as the real stage does.
 */
final class TestEmbedStage {

    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final Vertx vertx;
    private final long delayMs;
    private final AtomicInteger toIgnore;
    private final HashingEmbedder embedder = HashingEmbedder.of();
    private MessageConsumer<Object> consumer;

    TestEmbedStage(Vertx vertx, long delayMs, int ignoreFirst) {
        this.vertx = vertx;
        this.delayMs = delayMs;
        this.toIgnore = new AtomicInteger(ignoreFirst);
    }

    Future<Void> start() {
        consumer = vertx.eventBus().consumer(StageAddress.EMBED, this::onMessage);
        return consumer.completion();
    }

    Future<Void> stop() {
        return consumer.unregister();
    }

    private void onMessage(Message<Object> message) {
        EmbedTexts request = (EmbedTexts) message.body();
        if (request.texts().isEmpty()) {
            message.reply(new Vectors(embedder.name(), embedder.dimensions(), List.of()));
            return;
        }
        received.incrementAndGet();
        if (toIgnore.getAndDecrement() > 0) {
            return;
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        vertx.setTimer(delayMs, id -> {
            inFlight.decrementAndGet();
            message.reply(new Vectors(embedder.name(), embedder.dimensions(),
                    request.texts().stream().map(embedder::vector).toList()));
        });
    }
}
