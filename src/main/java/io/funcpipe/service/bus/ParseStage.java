package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.service.bus.protocol.OpenSource;
import io.funcpipe.service.bus.protocol.SourceOpened;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * The parse stage at {@link StageAddress#PARSE}: opens source sessions ({@link SourceSession}) on
 * this node and answers each {@link OpenSource} with the new session's own address. Deploy it as
 * a worker verticle: files are read with blocking I/O on its context. Undeploying it closes every
 * session it owns, and with them their files and connections. What a session may read is this
 * node's {@link ParseRules} (its input roots, URL policy and limits), never what the request says.
 */
final class ParseStage extends VerticleBase {

    private static final Logger LOG = System.getLogger(ParseStage.class.getName());

    private final Duration idleTimeout;
    private final HostResources resources;
    private final ParseRules rules;
    /** This instance's open sessions; touched on this verticle's context only. */
    private final Map<String, SourceSession> sessions = new HashMap<>();
    private MessageConsumer<Object> consumer;

    ParseStage(Duration idleTimeout, HostResources resources, ParseRules rules) {
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout");
        this.resources = requireNonNull(resources, "resources");
        this.rules = requireNonNull(rules, "rules");
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().consumer(StageAddress.PARSE, this::onMessage);
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        List<Future<?>> closing = new ArrayList<>();
        closing.add(consumer.unregister());
        for (SourceSession session : List.copyOf(sessions.values())) {
            closing.add(session.close("the parse stage was undeployed"));
        }
        return Future.join(closing);
    }

    private void onMessage(Message<Object> message) {
        StageReplies.guarded(StageAddress.PARSE, message, m -> {
            switch (m.body()) {
                case OpenSource open -> open(m, open);
                case null, default -> StageReplies.fail(m, StageReplies.unexpected(StageAddress.PARSE, m.body(),
                        "OpenSource"));
            }
        });
    }

    /**
     * Opens a session under this node's {@link ParseRules}, whatever roots, URL policy and limits
     * the request names: an input this node may not read refuses the whole request, naming it.
     */
    private void open(Message<Object> message, OpenSource request) {
        SourceOptions options = rules.enforce(request.options());
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            int n = i;
            Sources.refusal(request.inputs().get(i), options).ifPresent(why -> refusals.add("inputs[" + n + "]: " + why));
        }
        if (!refusals.isEmpty()) {
            LOG.log(Level.WARNING, "refused to open the inputs of job {0}: {1}", request.jobId(), refusals);
            StageReplies.fail(message, ErrInfo.of(ErrCode.INVALID_INPUT, "this parse node refuses the inputs of job "
                    + request.jobId() + ": " + String.join("; ", refusals)).withStage("parse"));
            return;
        }
        SourceSet source;
        try {
            source = Sources.open(request.inputs(), options, vertx);
        } catch (IllegalArgumentException e) {
            StageReplies.fail(message, ErrInfo.of(ErrCode.INVALID_INPUT, "cannot open the inputs of job "
                    + request.jobId() + ": " + e.getMessage()).withStage("parse"));
            return;
        }
        long totalBytes = source.totalBytes();
        String address = StageAddress.newSession();
        SourceSession session = new SourceSession(address, request.jobId(), source, request.skip(), totalBytes, vertx, idleTimeout,
                resources, () -> sessions.remove(address));
        sessions.put(address, session);
        session.start().onComplete(registered -> {
            if (registered.succeeded()) {
                LOG.log(Level.INFO, "opened source session {0} for job {1} over {2}{3}", address, request.jobId(),
                        source.describe(), request.skip() == 0 ? "" : ", from record " + request.skip());
                message.reply(new SourceOpened(address, totalBytes));
            } else {
                session.close("its address could not be registered");
                StageReplies.fail(message, ErrInfo.of(ErrCode.UNAVAILABLE, "could not register the source session "
                        + address + " on the event bus: " + registered.cause() + "; try again"));
            }
        });
    }
}
