package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import io.funcpipe.rag.Tokenizer;

/**
 * A cheap approximate word-piece count for runs without a model (with {@link HashingEmbedder}):
 * 2 for [CLS] and [SEP], one piece per started {@value #CHARS_PER_PIECE} characters of each word
 * (run of letters and digits), and one per other non-space character (punctuation, symbols).
 * Close to BERT's count for English prose; allocation-free and thread-safe.
 */
public final class WordTokenizer implements Tokenizer {

    /** The default window, the same as all-MiniLM-L6-v2's as packaged. */
    public static final int DEFAULT_MAX_TOKENS = 128;

    /** Word characters per counted piece. */
    public static final int CHARS_PER_PIECE = 6;

    private final int maxTokens;

    private WordTokenizer(int maxTokens) {
        this.maxTokens = maxTokens;
    }

    /** A tokenizer with a window of {@value #DEFAULT_MAX_TOKENS} tokens. */
    public static WordTokenizer of() {
        return of(DEFAULT_MAX_TOKENS);
    }

    /** A tokenizer with a window of {@code maxTokens} tokens (at least 3: [CLS], one piece, [SEP]). */
    public static WordTokenizer of(int maxTokens) {
        if (maxTokens < 3) {
            throw new IllegalArgumentException("maxTokens must be at least 3, got " + maxTokens);
        }
        return new WordTokenizer(maxTokens);
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int countTokens(String text) {
        requireNonNull(text, "text");
        int count = 2;
        int wordChars = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                wordChars++;
                continue;
            }
            count += pieces(wordChars);
            wordChars = 0;
            if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
                count++;
            }
        }
        return count + pieces(wordChars);
    }

    private static int pieces(int wordChars) {
        return wordChars == 0 ? 0 : 1 + (wordChars - 1) / CHARS_PER_PIECE;
    }
}
