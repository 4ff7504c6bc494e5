package io.funcpipe.service.bus;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;
import java.util.function.Function;

import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.service.bus.protocol.BusMessage;
import io.funcpipe.service.bus.protocol.StageFailure;
import io.vertx.core.eventbus.Message;

/**
 * How stage verticles answer: a reply message, or a {@link StageFailure} carrying the error. A
 * handler never lets an exception escape (Vert.x would only log it and the requester would wait
 * for its timeout): {@link #guarded} turns it into a failure reply that names the stage.
 */
final class StageReplies {

    private static final Logger LOG = System.getLogger(StageReplies.class.getName());

    private StageReplies() {
    }

    /** Replies with the result's value made into a message, or with its error. */
    static <T> void reply(Message<?> request, Result<T> result, Function<? super T, ? extends BusMessage> toMessage) {
        switch (result) {
            case Ok<T>(T value) -> request.reply(toMessage.apply(value));
            case Err<T>(ErrInfo error) -> fail(request, error);
        }
    }

    /** Replies with a {@link StageFailure}. */
    static void fail(Message<?> request, ErrInfo error) {
        request.reply(new StageFailure(error));
    }

    /** The error for a request whose body this stage does not take. */
    static ErrInfo unexpected(String address, Object body, String expected) {
        String got = body == null ? "an empty message" : body.getClass().getName();
        return ErrInfo.of(ErrCode.INVALID_INPUT, address + " takes " + expected + ", got " + got
                + ": send one of the io.funcpipe.service.bus.protocol messages (and register BusCodecs on the sender)");
    }

    /** Runs {@code handler}; an exception it throws (such as an undecodable body) becomes a failure reply. */
    static <T> void guarded(String address, Message<T> request, Consumer<Message<T>> handler) {
        try {
            handler.accept(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the stage at " + address + " failed on a request: " + e, e);
            fail(request, ErrInfo.fromException(ErrCode.EXCEPTION, e)
                    .withMessage("the stage at " + address + " failed: " + e
                            + "; this is a bug or a version mismatch between nodes, see that node's log"));
        }
    }
}
