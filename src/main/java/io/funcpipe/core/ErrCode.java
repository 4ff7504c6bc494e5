package io.funcpipe.core;

/**
 * The closed set of error codes an {@link ErrInfo} can carry. Policies name codes from this set
 * (for example the codes a {@code RetryPolicy} retries), so a code that is not here is rejected.
 */
public enum ErrCode {
    /** A user function threw, or an asynchronous step it returned failed. */
    EXCEPTION,
    /** A user function returned null where a value was required. */
    NULL_RESULT,
    /** Acquiring a resource failed; the stream that needed it produced this single item. */
    ACQUIRE_FAILED,
    /** Releasing a resource failed after the stream that used it completed. */
    RELEASE_FAILED,
    /** An item or a stream ran past its deadline. */
    TIMEOUT,
    /** A rate-limited service refused the call (for example HTTP 429). */
    RATE_LIMITED,
    /** A bounded buffer dropped this item because the consumer was too slow. */
    OVERFLOW,
    /** A remote service or stage is unavailable or answered with a server error. */
    UNAVAILABLE,
    /** The input is not valid for the step (bad argument, bad configuration value). */
    INVALID_INPUT,
    /** A record (CSV row, JSONL line) could not be parsed. */
    MALFORMED_RECORD,
    /** The content is binary, not text. */
    NOT_TEXT,
    /** The document has no text left after cleaning. */
    EMPTY_DOCUMENT,
    /** Reading or writing a file or connection failed. */
    IO_ERROR,
    /** Embedding a chunk failed. */
    EMBED_FAILED,
    /** Writing a chunk to the index failed. */
    INDEX_FAILED,
    /** A document is encrypted (password-protected) and cannot be read without its password. */
    ENCRYPTED,
    /** A document is damaged or not of the type it claims, so its parser cannot read it. */
    CORRUPT,
    /** A document expands past a limit: its text past the character limit, or a zip bomb. */
    TOO_LARGE,
    /** Parsing a document ran past its time limit; it was abandoned. */
    PARSE_TIMEOUT
}
