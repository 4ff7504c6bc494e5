package io.funcpipe.rag.chunk;

import static java.util.Objects.requireNonNull;

import java.text.BreakIterator;
import java.text.StringCharacterIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.funcpipe.rag.Tokenizer;

/**
 * Cuts a text into {@link Piece}s that each fit the token budget, on the coarsest boundary that
 * fits: a whole paragraph, else its sentences, else a sentence's words, else a word's characters.
 *
 * <p>Cost: every sentence is tokenized once, and a paragraph's count is the sum of its sentences'
 * (WordPiece counts add up across whitespace; the chunker checks each chunk once at the end, so a
 * tokenizer for which they do not is still safe). Only an oversized sentence is tokenized again,
 * word by word; a giant word is cut by a galloping search over its characters, O(n log budget).
 * Not thread-safe: one instance per document.
 */
final class Segmenter {

    private final String text;
    private final Tokenizer tokenizer;
    private final int special;
    private final int budget;
    private final BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);

    /**
     * @param special the tokens every count includes however short the text ([CLS] and [SEP])
     * @param budget  the most tokens a piece may hold, special tokens excluded
     */
    Segmenter(String text, Tokenizer tokenizer, int special, int budget) {
        this.text = requireNonNull(text, "text");
        this.tokenizer = requireNonNull(tokenizer, "tokenizer");
        this.special = special;
        this.budget = budget;
    }

    /** The whole text as pieces, in order. */
    List<Piece> pieces() {
        List<Piece> out = new ArrayList<>();
        int i = skipSpace(0, text.length());
        while (i < text.length()) {
            int end = paragraphEnd(i);
            paragraph(i, end, out);
            i = skipSpace(end, text.length());
        }
        return out;
    }

    /** {@code piece} cut one level finer; a piece of characters cannot be cut further. */
    List<Piece> finer(Piece piece) {
        List<Piece> out = new ArrayList<>();
        switch (piece.level()) {
            case PARAGRAPH -> {
                for (Piece sentence : sentences(piece.start(), piece.end())) {
                    addSentence(sentence, out);
                }
            }
            case SENTENCE -> words(piece.start(), piece.end(), out);
            case WORD -> characters(piece.start(), piece.end(), out);
            case CHARACTERS -> throw new IllegalStateException("a run of characters cannot be cut further");
        }
        return out;
    }

    /** The tokens {@code [start, end)} takes, special tokens excluded. */
    int count(int start, int end) {
        return tokenizer.countTokens(text.substring(start, end)) - special;
    }

    private void paragraph(int start, int end, List<Piece> out) {
        List<Piece> parts = sentences(start, end);
        long sum = 0;
        for (Piece sentence : parts) {
            sum += sentence.tokens();
        }
        if (parts.size() > 1 && sum <= budget) {
            out.add(new Piece(start, end, (int) sum, Piece.Level.PARAGRAPH));
            return;
        }
        for (Piece sentence : parts) {
            addSentence(sentence, out);
        }
    }

    private void addSentence(Piece sentence, List<Piece> out) {
        if (sentence.tokens() <= budget) {
            out.add(sentence);
        } else {
            words(sentence.start(), sentence.end(), out);
        }
    }

    private List<Piece> sentences(int start, int end) {
        List<Piece> out = new ArrayList<>();
        sentences.setText(new StringCharacterIterator(text, start, end, start));
        int from = sentences.first();
        for (int to = sentences.next(); to != BreakIterator.DONE; from = to, to = sentences.next()) {
            int s = skipSpace(from, to);
            int e = trimEnd(s, to);
            if (s < e) {
                out.add(new Piece(s, e, count(s, e), Piece.Level.SENTENCE));
            }
        }
        return out;
    }

    private void words(int start, int end, List<Piece> out) {
        int i = skipSpace(start, end);
        while (i < end) {
            int e = i;
            while (e < end && !Character.isWhitespace(text.charAt(e))) {
                e++;
            }
            int tokens = count(i, e);
            if (tokens <= budget) {
                out.add(new Piece(i, e, tokens, Piece.Level.WORD));
            } else {
                characters(i, e, out);
            }
            i = skipSpace(e, end);
        }
    }

    /** Cuts {@code [start, end)} into the longest runs that fit, never between a surrogate pair. */
    private void characters(int start, int end, List<Piece> out) {
        int pos = start;
        while (pos < end) {
            int remaining = end - pos;
            int good = 0;
            int goodTokens = 0;
            int bad = remaining + 1;
            int len = Math.min(remaining, Math.max(1, budget));
            while (good + 1 < bad) {
                int cut = boundary(pos, len);
                if (cut <= good || cut >= bad) {
                    break;
                }
                int tokens = count(pos, pos + cut);
                if (tokens <= budget) {
                    good = cut;
                    goodTokens = tokens;
                } else {
                    bad = cut;
                }
                len = bad > remaining ? Math.min(remaining, good * 2) : (good + bad) / 2;
                if (len <= good) {
                    break;
                }
            }
            if (good == 0) {
                good = Character.charCount(text.codePointAt(pos));
                goodTokens = count(pos, pos + good);
            }
            out.add(new Piece(pos, pos + good, goodTokens, Piece.Level.CHARACTERS));
            pos += good;
        }
    }

    /** {@code len} moved back so that {@code pos + len} does not split a surrogate pair (at least 1 code point). */
    private int boundary(int pos, int len) {
        int cut = pos + len;
        if (cut < text.length() && Character.isLowSurrogate(text.charAt(cut)) && cut - 1 > pos) {
            cut--;
        }
        return Math.max(cut - pos, Character.charCount(text.codePointAt(pos)));
    }

    private int paragraphEnd(int start) {
        int i = text.indexOf('\n', start);
        while (i >= 0) {
            int j = i + 1;
            while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t' || text.charAt(j) == '\r')) {
                j++;
            }
            if (j < text.length() && text.charAt(j) == '\n') {
                return trimEnd(start, i);
            }
            i = text.indexOf('\n', i + 1);
        }
        return trimEnd(start, text.length());
    }

    private int skipSpace(int from, int to) {
        int i = from;
        while (i < to && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private int trimEnd(int from, int to) {
        int e = to;
        while (e > from && Character.isWhitespace(text.charAt(e - 1))) {
            e--;
        }
        return e;
    }
}
