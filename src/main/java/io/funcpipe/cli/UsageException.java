package io.funcpipe.cli;

/** A command-line mistake found after parsing (a missing index, a bad option value): exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
