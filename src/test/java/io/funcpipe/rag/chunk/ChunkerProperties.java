package io.funcpipe.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the chunker over generated texts, window sizes, overlaps and tokenizers. */
@Label("Chunker properties")
class ChunkerProperties {

    @Property(tries = 300)
    @Label("every chunk fits the limit, and its token count is the tokenizer's")
    void everyChunkFits(@ForAll("texts") String text, @ForAll @IntRange(min = 6, max = 64) int window,
                        @ForAll @IntRange(min = 0, max = 50) int overlapPercent, @ForAll FakeTokenizer.Kind kind) {
        FakeTokenizer tokenizer = new FakeTokenizer(kind, window);
        int overlap = (window - FakeTokenizer.SPECIAL) / 2 * overlapPercent / 100;
        List<Chunk> chunks = chunk(new Chunker(tokenizer, ChunkerOptions.defaults().withOverlapTokens(overlap)), text);
        assertThat(chunks).isNotEmpty().allSatisfy(c -> {
            assertThat(c.text()).isNotBlank();
            assertThat(tokenizer.countTokens(c.text())).isLessThanOrEqualTo(window).isEqualTo(c.tokens());
            assertThat(text).contains(c.text());
        });
    }

    @Property(tries = 200)
    @Label("without overlap, the chunks hold every non-blank character of the text once, in order")
    void nothingLostNothingRepeated(@ForAll("texts") String text, @ForAll @IntRange(min = 6, max = 64) int window,
                                    @ForAll FakeTokenizer.Kind kind) {
        List<Chunk> chunks = chunk(new Chunker(new FakeTokenizer(kind, window), ChunkerOptions.defaults()), text);
        String joined = String.join("", chunks.stream().map(Chunk::text).toList());
        assertThat(joined.replaceAll("\\s+", "")).isEqualTo(text.replaceAll("\\s+", ""));
    }

    @Property(tries = 100)
    @Label("re-chunking the same text gives the same ids, positions 0..n-1")
    void stableIds(@ForAll("texts") String text, @ForAll @IntRange(min = 6, max = 64) int window) {
        List<Chunk> first = chunk(new Chunker(FakeTokenizer.pieces(window), ChunkerOptions.defaults()), text);
        List<Chunk> second = chunk(new Chunker(FakeTokenizer.pieces(window), ChunkerOptions.defaults()), text);
        assertThat(second).extracting(Chunk::id).isEqualTo(first.stream().map(Chunk::id).toList());
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i).position()).isEqualTo(i);
            assertThat(first.get(i).id()).startsWith("doc#" + String.format("%04d", i) + "-");
        }
    }

    private static List<Chunk> chunk(Chunker chunker, String text) {
        Assume.that(!text.isBlank());
        Result<List<Chunk>> result = chunker.chunk(new CleanDoc("doc", "gen", text, Map.of()));
        assertThat(result).isInstanceOf(Ok.class);
        return ((Ok<List<Chunk>>) result).value();
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> word = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').ofMinLength(40).ofMaxLength(1500)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().withChars("éü中ß,;:-'\"()").ofMinLength(1).ofMaxLength(20)));
        Arbitrary<String> separator = Arbitraries.of(" ", " ", " ", " ", ". ", "? ", "! ", ", ", "\n", "\n\n", ".\n\n", "", "\t");
        return Combinators.combine(word.list().ofMinSize(1).ofMaxSize(250), separator.list().ofSize(250))
                .as((words, separators) -> {
                    StringBuilder text = new StringBuilder();
                    for (int i = 0; i < words.size(); i++) {
                        text.append(words.get(i)).append(separators.get(i));
                    }
                    return text.toString();
                });
    }
}
