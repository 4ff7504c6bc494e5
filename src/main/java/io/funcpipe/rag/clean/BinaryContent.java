package io.funcpipe.rag.clean;

import java.util.Optional;

/**
 * Tells text from binary content that was decoded as text: a NUL character, or many control
 * characters and U+FFFD replacements (at least {@value #MIN_SUSPICIOUS} and more than one in
 * {@value #ONE_IN}), mean the input was not text. A few replacements, as in a Latin-1 file read
 * as UTF-8, are still text.
 */
final class BinaryContent {

    static final int MIN_SUSPICIOUS = 8;
    static final int ONE_IN = 10;

    private BinaryContent() {
    }

    /** Why {@code text} looks binary, or empty when it looks like text. */
    static Optional<String> why(String text) {
        int nul = text.indexOf('\u0000');
        if (nul >= 0) {
            return Optional.of("it contains a NUL character at offset " + nul);
        }
        int suspicious = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFFFD' || (Character.getType(c) == Character.CONTROL && !Character.isWhitespace(c))) {
                suspicious++;
            }
        }
        if (suspicious >= MIN_SUSPICIOUS && (long) suspicious * ONE_IN > text.length()) {
            return Optional.of(suspicious + " of its " + text.length()
                    + " characters are control characters or invalid UTF-8");
        }
        return Optional.empty();
    }
}
