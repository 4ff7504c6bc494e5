package io.funcpipe.rag;

/**
 * What one stage saw: items in, items out ok, items failed. {@code ok + failed == in} for every
 * stage whose input is one item per output (parse, clean, embed, index); chunk turns one document
 * into several chunks, so its {@code ok} counts chunks and {@code in} documents.
 */
public record StageCount(long in, long ok, long failed) {
}
