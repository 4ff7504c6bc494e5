package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.funcpipe.rag.Tokenizer;

/**
 * The WordPiece tokenizer of an {@link OnnxModel}, loaded from the model jar's own
 * {@code <model>-tokenizer.json} (BERT normaliser, lower-casing, WordPiece), through DJL's binding of
 * Hugging Face tokenizers: the same tokenization LangChain4j's packaged models use.
 *
 * <p>{@link #countTokens} counts without truncating (special tokens {@code [CLS]}/{@code [SEP]}
 * included), so a chunker can see that a text is too long; the embedder truncates what exceeds
 * {@link #maxTokens()} and counts it. One instance is thread-safe and meant to be shared.
 *
 * <p>Counting is cheap: BERT's pre-tokenizer always splits at a space and its normaliser works
 * character by character, so a text's count is 2 plus the sum of its space-separated words' counts
 * without their [CLS]/[SEP]. Word counts are remembered in a bounded map (at most
 * {@value #CACHE_BOUND} words of up to {@value #CACHED_WORD_CHARS} chars); only new words reach the
 * native tokenizer. A test checks the counts against a full encoding.
 */
public final class WordPieceTokenizer implements Tokenizer, AutoCloseable {

    /** all-MiniLM-L6-v2's window as LangChain4j packages it: 128 tokens, [CLS] and [SEP] included. */
    public static final int MAX_TOKENS = OnnxModel.MINILM.window();

    /** At most this many words are remembered. */
    static final int CACHE_BOUND = 100_000;

    /** Longer words are counted each time, not remembered. */
    static final int CACHED_WORD_CHARS = 48;

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final ConcurrentHashMap<String, Integer> wordCounts = new ConcurrentHashMap<>();

    private WordPieceTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /** Loads all-MiniLM-L6-v2's tokenizer. */
    public static WordPieceTokenizer load() {
        return load(OnnxModel.MINILM);
    }

    /**
     * Loads {@code model}'s tokenizer from the classpath; its window is the model's.
     *
     * @throws IllegalStateException if the tokenizer resource is missing or unreadable
     */
    public static WordPieceTokenizer load(OnnxModel model) {
        requireNonNull(model, "model");
        String resource = model.tokenizerResource();
        ClassLoader loader = WordPieceTokenizer.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("tokenizer resource " + resource + " is not on the classpath: add "
                        + model.artifact() + " to the dependencies");
            }
            return new WordPieceTokenizer(HuggingFaceTokenizer.newInstance(in,
                    Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true")), model.window());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read tokenizer resource " + resource + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int countTokens(String text) {
        requireNonNull(text, "text");
        int count = 2;
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf(' ', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start) {
                count += wordCount(text.substring(start, end));
            }
            start = end + 1;
        }
        return count;
    }

    /** The pieces of one space-free word, without [CLS] and [SEP]. */
    private int wordCount(String word) {
        Integer known = wordCounts.get(word);
        if (known != null) {
            return known;
        }
        int count = ids(word).length - 2;
        if (word.length() <= CACHED_WORD_CHARS && wordCounts.size() < CACHE_BOUND) {
            wordCounts.putIfAbsent(word, count);
        }
        return count;
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
