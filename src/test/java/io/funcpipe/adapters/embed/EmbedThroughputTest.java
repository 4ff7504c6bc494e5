package io.funcpipe.adapters.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncPlan;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Embedder;

@DisplayName("EmbedThroughput")
class EmbedThroughputTest {

    final WordTokenizer tokenizer = WordTokenizer.of();
    final List<String> texts = IntStream.range(0, 100).mapToObj(i -> "text number " + i + " about things").toList();

    @Nested
    @DisplayName("measure")
    class Measure {

        @Test
        @DisplayName("counts every text and its tokens, with a positive rate")
        void countsChunksAndTokens() {
            Result<Throughput> result = EmbedThroughput.measure(HashingEmbedder.of(), tokenizer, texts, 7);
            long tokens = texts.stream().mapToLong(tokenizer::countTokens).sum();
            assertThat(result).isInstanceOfSatisfying(Ok.class, ok -> {
                Throughput t = (Throughput) ok.value();
                assertThat(t.embedder()).isEqualTo("hash");
                assertThat(t.chunks()).isEqualTo(100);
                assertThat(t.tokens()).isEqualTo(tokens);
                assertThat(t.chunksPerSecond()).isPositive();
                assertThat(t.cpu().isNegative()).isFalse();
                assertThat(t.describe()).startsWith("hash: 100 chunks, " + tokens + " tokens in ");
            });
        }

        @Test
        @DisplayName("returns the embedder's Err")
        void returnsTheEmbeddersErr() {
            Embedder failing = new Embedder() {
                @Override public String name() { return "failing"; }
                @Override public int dimensions() { return 2; }
                @Override public int parallelism() { return 1; }
                @Override public AsyncPlan<List<float[]>> embed(List<String> batch) {
                    return AsyncPlan.failed(ErrInfo.of(ErrCode.EMBED_FAILED, "boom"));
                }
            };
            assertThat(EmbedThroughput.measure(failing, tokenizer, texts)).isInstanceOfSatisfying(Err.class,
                    err -> assertThat(err.error().message()).isEqualTo("boom"));
        }

        @Test
        @DisplayName("errs on an empty input")
        void errsOnEmptyInput() {
            assertThat(EmbedThroughput.measure(HashingEmbedder.of(), tokenizer, List.of())).isInstanceOfSatisfying(Err.class,
                    err -> assertThat(err.error().code()).isEqualTo(ErrCode.INVALID_INPUT));
        }
    }
}
