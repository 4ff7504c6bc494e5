package io.funcpipe.rag.chunk;

/**
 * A span {@code [start, end)} of a document's text that is never cut inside a chunk (a paragraph,
 * a sentence, a word, or a run of characters of a giant word), with its token count excluding the
 * tokenizer's special tokens. Spans hold no leading or trailing whitespace.
 *
 * @param level how it was cut, from coarse to fine, so a piece that turns out too big can be cut finer
 */
record Piece(int start, int end, int tokens, Level level) {

    /** The boundaries a piece lies on, preferred first. */
    enum Level { PARAGRAPH, SENTENCE, WORD, CHARACTERS }

    int length() {
        return end - start;
    }
}
