package io.funcpipe.adapters.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("MiniLmTokenizer")
class MiniLmTokenizerTest {

    static MiniLmTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = MiniLmTokenizer.load();
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Nested
    @DisplayName("counting")
    class Counting {

        @Test
        @DisplayName("includes [CLS] and [SEP] and splits words into word pieces")
        void countsSpecialTokensAndPieces() {
            assertThat(tokenizer.countTokens("")).isEqualTo(2);
            assertThat(tokenizer.countTokens("cat")).isEqualTo(3);
            assertThat(tokenizer.countTokens("the cat sat.")).isEqualTo(6);
            assertThat(tokenizer.countTokens("photosynthesis")).isGreaterThan(3);
        }

        @Test
        @DisplayName("does not truncate, so a chunker can see a text is too long")
        void doesNotTruncate() {
            assertThat(tokenizer.countTokens("word ".repeat(300))).isEqualTo(302);
            assertThat(tokenizer.maxTokens()).isEqualTo(MiniLmTokenizer.MAX_TOKENS);
        }

        @Test
        @DisplayName("rejects null, naming the parameter")
        void rejectsNull() {
            assertThatNullPointerException().isThrownBy(() -> tokenizer.countTokens(null)).withMessage("text");
        }
    }

    @Nested
    @DisplayName("sharing")
    class Sharing {

        @Test
        @DisplayName("gives the same counts from many threads at once")
        void isThreadSafe() {
            List<String> texts = IntStream.range(0, 400)
                    .mapToObj(i -> "Sentence number " + i + " talks about the union, the economy and item " + (i * 7919))
                    .toList();
            List<Integer> sequential = texts.stream().map(tokenizer::countTokens).toList();
            List<Integer> parallel = texts.parallelStream().map(tokenizer::countTokens).toList();
            assertThat(parallel).isEqualTo(sequential);
        }
    }
}
