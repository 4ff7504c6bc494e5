package io.funcpipe.adapters.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;

/**
 * MiniLM against the reference: LangChain4j's packaged {@link AllMiniLmL6V2EmbeddingModel}, its own
 * pipeline (one default ONNX session, its tokenizer, its pooling), computed here from the same jar.
 * One embedder and one reference model are shared by the whole class (loading takes ~2 s).
 */
@DisplayName("OnnxEmbedder")
class OnnxEmbedderTest {

    static final List<String> SENTENCES = List.of(
            "A cat is sleeping on the warm windowsill.",
            "The central bank raised interest rates by half a percentage point.",
            "Heavy rain flooded the streets of the old town overnight.",
            "She scored the winning goal in the final minute of the match.",
            "Photosynthesis turns sunlight, water and carbon dioxide into sugar.");

    static OnnxEmbedder embedder;
    static AllMiniLmL6V2EmbeddingModel reference;

    @BeforeAll
    static void load() {
        embedder = OnnxEmbedder.load(2);
        reference = new AllMiniLmL6V2EmbeddingModel();
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    static List<float[]> embed(List<String> texts) {
        Result<List<float[]>> result = embedder.embed(texts).open().await().indefinitely();
        assertThat(result).isInstanceOf(Ok.class);
        return ((Ok<List<float[]>>) result).value();
    }

    static float[] referenceVector(String text) {
        return reference.embed(text).content().vector();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Nested
    @DisplayName("vectors")
    class Vectors {

        @Test
        @DisplayName("match LangChain4j's packaged model (cosine > 0.999), in input order")
        void matchTheReferenceInOrder() {
            List<float[]> vectors = embed(SENTENCES);
            assertThat(vectors).hasSize(SENTENCES.size());
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertThat(cosine(vectors.get(i), referenceVector(SENTENCES.get(i))))
                        .as("cosine to the reference for sentence %d", i).isGreaterThan(0.999);
            }
        }

        @Test
        @DisplayName("have 384 dimensions and unit length")
        void areUnitLength() {
            for (float[] vector : embed(SENTENCES)) {
                assertThat(vector).hasSize(OnnxEmbedder.DIMENSIONS);
                double norm = 0;
                for (float v : vector) {
                    norm += (double) v * v;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            }
        }

        @Test
        @DisplayName("rank the cat sentence first for a question about cats")
        void rankTheObviousAnswerFirst() {
            List<String> texts = new ArrayList<>(SENTENCES);
            Collections.rotate(texts, 2);
            List<float[]> vectors = embed(texts);
            float[] query = embed(List.of("Where do cats like to nap?")).get(0);
            int best = 0;
            for (int i = 1; i < vectors.size(); i++) {
                if (cosine(query, vectors.get(i)) > cosine(query, vectors.get(best))) {
                    best = i;
                }
            }
            assertThat(texts.get(best)).contains("cat");
        }
    }

    @Nested
    @DisplayName("truncation")
    class Truncation {

        @Test
        @DisplayName("an input longer than 128 tokens is counted once and embedded like the reference's truncated input")
        void overLongInputIsCounted() {
            String longText = String.join(" ", Collections.nCopies(40, SENTENCES.get(2)));
            assertThat(embedder.tokenizer().countTokens(longText)).isGreaterThan(WordPieceTokenizer.MAX_TOKENS);
            long before = embedder.truncations();
            float[] vector = embed(List.of(longText, SENTENCES.get(0))).get(0);
            assertThat(embedder.truncations() - before).isEqualTo(1);
            assertThat(cosine(vector, referenceVector(longText))).isGreaterThan(0.999);
        }

        @Test
        @DisplayName("inputs that fit are not counted")
        void fittingInputsAreNotCounted() {
            long before = embedder.truncations();
            embed(SENTENCES);
            assertThat(embedder.truncations()).isEqualTo(before);
        }
    }

    @Nested
    @DisplayName("tokenizer")
    class Tokens {

        @Test
        @DisplayName("counts what the reference model counts, [CLS] and [SEP] included")
        void countsEqualTheModels() {
            List<String> texts = new ArrayList<>(SENTENCES);
            texts.add("Café naïve résumé — don't split 東京 or emoji 🙂 weirdly!");
            for (String text : texts) {
                Response<?> response = reference.embedAll(List.of(TextSegment.from(text)));
                int modelCount = response.tokenUsage().inputTokenCount() + 2;
                assertThat(embedder.tokenizer().countTokens(text)).as(text).isEqualTo(modelCount);
            }
            assertThat(embedder.tokenizer().maxTokens()).isEqualTo(128);
        }
    }

    @Nested
    @DisplayName("threads and lifecycle")
    class Lifecycle {

        @Test
        @DisplayName("completes on a worker thread, with two lanes")
        void completesOffTheCallersThread() {
            AtomicReference<String> thread = new AtomicReference<>();
            embedder.embed(SENTENCES).open()
                    .invoke(r -> thread.set(Thread.currentThread().getName()))
                    .await().indefinitely();
            assertThat(thread.get()).startsWith("funcpipe-minilm-");
            assertThat(embedder.parallelism()).isEqualTo(2);
            assertThat(embedder.loadTime()).isPositive();
        }

        @Test
        @DisplayName("concurrent calls each get their own texts' vectors, in order")
        void concurrentCallsKeepTheirOrder() {
            List<float[]> single = new ArrayList<>();
            for (String sentence : SENTENCES) {
                single.add(embed(List.of(sentence)).get(0));
            }
            List<List<String>> orders = new ArrayList<>();
            for (int shift = 0; shift < 3; shift++) {
                List<String> order = new ArrayList<>(SENTENCES);
                Collections.rotate(order, shift);
                orders.add(order);
            }
            embedAtOnce(orders, text -> single.get(SENTENCES.indexOf(text)), 0.9999);
        }

        @Test
        @DisplayName("lanes run their one session at once: texts of every length get the vectors one lane alone gives")
        void lanesShareOneSession() {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                StringBuilder text = new StringBuilder();
                for (int j = 0; j <= i % 7; j++) {
                    text.append(SENTENCES.get((i + j) % SENTENCES.size())).append(' ');
                }
                texts.add(text.toString().trim());
            }
            List<float[]> alone;
            try (OnnxEmbedder oneLane = OnnxEmbedder.load(1)) {
                alone = ((Ok<List<float[]>>) oneLane.embed(texts).open().await().indefinitely()).value();
            }
            List<List<String>> orders = new ArrayList<>();
            for (int shift = 0; shift < 4; shift++) {
                List<String> order = new ArrayList<>(texts);
                Collections.rotate(order, shift * 7);
                orders.add(order);
            }
            embedAtOnce(orders, text -> alone.get(texts.indexOf(text)), 0.99999);
        }

        /** Embeds every list of {@code calls} at once; each vector is closer than {@code minCosine} to its expected one. */
        private void embedAtOnce(List<List<String>> calls, java.util.function.Function<String, float[]> expected,
                                 double minCosine) {
            List<Result<List<float[]>>> results = io.smallrye.mutiny.Uni.join()
                    .all(calls.stream().map(texts -> embedder.embed(texts).open()).toList())
                    .andFailFast().await().indefinitely();
            for (int call = 0; call < calls.size(); call++) {
                List<float[]> vectors = ((Ok<List<float[]>>) results.get(call)).value();
                assertThat(vectors).hasSize(calls.get(call).size());
                for (int i = 0; i < vectors.size(); i++) {
                    assertThat(cosine(vectors.get(i), expected.apply(calls.get(call).get(i))))
                            .as("call %d text %d", call, i).isGreaterThan(minCosine);
                }
            }
        }

        @Test
        @DisplayName("an empty list gives an empty list")
        void emptyListIsEmpty() {
            assertThat(embed(List.of())).isEmpty();
        }

        @Test
        @DisplayName("after close, embed yields an EMBED_FAILED Err instead of throwing")
        void closedEmbedderErrs() {
            OnnxEmbedder closed = OnnxEmbedder.load(1);
            closed.close();
            closed.close();
            Result<List<float[]>> result = closed.embed(List.of("late")).open().await().indefinitely();
            assertThat(result).isInstanceOfSatisfying(Err.class, err -> {
                assertThat(err.error().code()).isEqualTo(ErrCode.EMBED_FAILED);
                assertThat(err.error().message()).contains("closed");
            });
        }
    }
}
