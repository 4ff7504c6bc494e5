package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import io.funcpipe.core.ErrInfo;

/**
 * {@link BusStages#bind} could not bind a job to the stages: no node hosts a stage, the index name
 * is not valid, or the index was built with another model. The {@link #error()} says which, where,
 * and how to fix it; its message is the exception's message.
 */
public final class StageBindException extends RuntimeException {

    private final transient ErrInfo error;

    public StageBindException(ErrInfo error) {
        super(requireNonNull(error, "error").message());
        this.error = error;
    }

    /** The error, with its code, stage and details. */
    public ErrInfo error() {
        return error;
    }
}
