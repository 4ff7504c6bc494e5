package io.funcpipe.adapters.source;

import io.funcpipe.core.ErrInfo;

/**
 * The mark of an error after which a source's input was left unread (a file that could not be read
 * on, an unterminated CSV quote, a URL that could not be fetched, a byte limit reached), as opposed
 * to one bad record among others: detail {@value #DETAIL} = {@code true}. A service job with such
 * an error did not read its input and cannot end SUCCEEDED.
 */
public final class InputUnread {

    /** The detail that marks it. */
    public static final String DETAIL = "unrecoverable";

    private InputUnread() {
    }

    /** {@code error} marked. */
    static ErrInfo mark(ErrInfo error) {
        return error.withDetail(DETAIL, "true");
    }

    /** Whether {@code error} left input unread. */
    public static boolean marks(ErrInfo error) {
        return "true".equals(error.details().get(DETAIL));
    }
}
