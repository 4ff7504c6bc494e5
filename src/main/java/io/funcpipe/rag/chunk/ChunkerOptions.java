package io.funcpipe.rag.chunk;

/**
 * How documents are cut into chunks.
 *
 * @param maxTokens     the largest chunk in the model's tokens, special tokens included; 0 (the
 *                      default) means the tokenizer's window ({@code Tokenizer.maxTokens()}, 128 for
 *                      all-MiniLM-L6-v2). A larger value is capped at the window.
 * @param overlapTokens how many tokens of the end of a chunk the next chunk of the same document
 *                      starts with, in whole words, at most; 0 (the default) means none. At most half
 *                      of the chunk's room for text, so every chunk makes progress.
 */
public record ChunkerOptions(int maxTokens, int overlapTokens) {

    public ChunkerOptions {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be >= 0 (0 = the model window), got " + maxTokens);
        }
        if (overlapTokens < 0) {
            throw new IllegalArgumentException("overlapTokens must be >= 0, got " + overlapTokens);
        }
    }

    /** Chunks up to the model window, no overlap. */
    public static ChunkerOptions defaults() {
        return new ChunkerOptions(0, 0);
    }

    /**
     * The options as a document's record keeps them ({@code maxTokens=window;overlap=0}): a document
     * chunked with other options is re-chunked and re-embedded by the next incremental ingest.
     */
    public String label() {
        return "maxTokens=" + (maxTokens == 0 ? "window" : Integer.toString(maxTokens)) + ";overlap=" + overlapTokens;
    }

    public ChunkerOptions withMaxTokens(int maxTokens) {
        return new ChunkerOptions(maxTokens, overlapTokens);
    }

    public ChunkerOptions withOverlapTokens(int overlapTokens) {
        return new ChunkerOptions(maxTokens, overlapTokens);
    }
}
