package io.funcpipe.service.shell;

/**
 * The service's settings cannot be used: a value is invalid, a key is unknown, or a config file
 * cannot be read. The message is meant for the operator as is: it names the key, the value, where
 * the value came from and what is allowed, for example
 * {@code http.port must be 1..65535, got 70000 (from FUNCPIPE_HTTP_PORT)}.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
