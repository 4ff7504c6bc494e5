package io.funcpipe.rag.chunk;

import java.util.concurrent.atomic.AtomicLong;

import io.funcpipe.rag.Tokenizer;

/**
 * Test tokenizers that behave like WordPiece where it matters for chunking: 2 special tokens
 * ([CLS], [SEP]) on every count, and (except {@link #PARAGRAPH_PENALTY}) counts that add up across
 * whitespace. Each counts the characters it was asked to tokenize, so tests can bound the work.
 */
public final class FakeTokenizer implements Tokenizer {

    public enum Kind {
        /** One token per whitespace-separated word. */
        WORDS,
        /** One token per 4 characters of a word, rounded up: long words split into several pieces. */
        PIECES,
        /** Like PIECES, plus 3 tokens per blank line: counts do not add up across paragraphs. */
        PARAGRAPH_PENALTY
    }

    static final int SPECIAL = 2;

    private final Kind kind;
    private final int maxTokens;
    private final AtomicLong charsCounted = new AtomicLong();

    public FakeTokenizer(Kind kind, int maxTokens) {
        this.kind = kind;
        this.maxTokens = maxTokens;
    }

    static FakeTokenizer words(int maxTokens) {
        return new FakeTokenizer(Kind.WORDS, maxTokens);
    }

    public static FakeTokenizer pieces(int maxTokens) {
        return new FakeTokenizer(Kind.PIECES, maxTokens);
    }

    /** How many characters were passed to {@link #countTokens} so far. */
    public long charsCounted() {
        return charsCounted.get();
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int countTokens(String text) {
        charsCounted.addAndGet(text.length());
        int tokens = SPECIAL;
        int wordLength = 0;
        for (int i = 0; i <= text.length(); i++) {
            boolean end = i == text.length() || Character.isWhitespace(text.charAt(i));
            if (!end) {
                wordLength++;
            } else if (wordLength > 0) {
                tokens += kind == Kind.WORDS ? 1 : (wordLength + 3) / 4;
                wordLength = 0;
            }
        }
        if (kind == Kind.PARAGRAPH_PENALTY) {
            for (int i = text.indexOf("\n\n"); i >= 0; i = text.indexOf("\n\n", i + 2)) {
                tokens += 3;
            }
        }
        return tokens;
    }
}
