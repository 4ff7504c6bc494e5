package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import io.funcpipe.core.ErrInfo;

/**
 * The reply of any stage to a request it could not serve as a whole (a bad request, an index that
 * cannot be opened, a model that failed): the error with every field, so the client gets the same
 * {@code ErrInfo} it would have got in process. Item-level errors travel inside the normal replies.
 */
public record StageFailure(ErrInfo error) implements BusMessage {

    public StageFailure {
        requireNonNull(error, "error");
    }

    @Override
    public void writeTo(WireWriter out) {
        out.error(error);
    }

    public static StageFailure read(WireReader in) {
        return new StageFailure(in.error());
    }
}
