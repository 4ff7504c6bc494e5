package io.funcpipe.adapters.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;

@DisplayName("HashingEmbedder")
class HashingEmbedderTest {

    final HashingEmbedder embedder = HashingEmbedder.of();

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    @Nested
    @DisplayName("vectors")
    class Vectors {

        @Test
        @DisplayName("are deterministic across instances and ignore case")
        void areDeterministic() {
            float[] first = embedder.vector("The Cat sat on the mat");
            assertThat(HashingEmbedder.of().vector("the cat SAT on the mat")).containsExactly(first);
        }

        @Test
        @DisplayName("have the configured length and unit norm, even for a text without words")
        void areUnitLength() {
            for (String text : List.of("a b c", "", "  ...  ", "Über 42 Äpfel")) {
                float[] vector = HashingEmbedder.of(64).vector(text);
                assertThat(vector).hasSize(64);
                assertThat(Math.sqrt(dot(vector, vector))).as(text).isCloseTo(1.0, Offset.offset(1e-5));
            }
        }

        @Test
        @DisplayName("put similar texts closer than unrelated ones")
        void similarTextsAreCloser() {
            float[] cat = embedder.vector("the cat sleeps on the warm windowsill");
            float[] kitten = embedder.vector("a cat sleeps on a windowsill");
            float[] bank = embedder.vector("interest rates were raised by the central bank");
            assertThat(dot(cat, kitten)).isGreaterThan(dot(cat, bank) + 0.1);
        }

        @Test
        @DisplayName("rejects fewer than two dimensions")
        void rejectsTinyDimensions() {
            assertThatIllegalArgumentException().isThrownBy(() -> HashingEmbedder.of(1)).withMessageContaining("dimensions");
        }
    }

    @Nested
    @DisplayName("embed")
    class Embed {

        @Test
        @DisplayName("returns one vector per text, in order, equal to vector(text)")
        void embedsInOrder() {
            List<String> texts = List.of("one fish", "two fish", "red fish", "blue fish");
            Result<List<float[]>> result = embedder.embed(texts).open().await().indefinitely();
            assertThat(result).isInstanceOfSatisfying(Ok.class, ok -> {
                @SuppressWarnings("unchecked")
                List<float[]> vectors = (List<float[]>) ok.value();
                assertThat(vectors).hasSize(4);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(vectors.get(i)).containsExactly(embedder.vector(texts.get(i)));
                }
            });
            assertThat(embedder.name()).isEqualTo("hash");
            assertThat(embedder.dimensions()).isEqualTo(384);
            assertThat(embedder.parallelism()).isPositive();
        }
    }
}
