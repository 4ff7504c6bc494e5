package io.funcpipe.rag;

/** Port: the embedding model's own tokenizer, to size chunks so the model never truncates them. */
public interface Tokenizer {

    /** The model's window in tokens, special tokens included (128 for all-MiniLM-L6-v2 as packaged). */
    int maxTokens();

    /** The number of tokens {@code text} takes, special tokens included. */
    int countTokens(String text);
}
