package io.funcpipe.service.auth;

/** A caller was refused: the message says what is missing or wrong and how to get a token. */
public final class AuthException extends RuntimeException {

    public AuthException(String message) {
        super(message, null, false, false);
    }
}
