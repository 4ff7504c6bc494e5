package io.funcpipe.service.bus.protocol;

/**
 * A message read from the wire is truncated or corrupt, or was written by an incompatible version
 * of FuncPipe. The message says what was found and where.
 */
public final class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message);
    }
}
