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

@DisplayName("WordPieceTokenizer")
class WordPieceTokenizerTest {

    static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = WordPieceTokenizer.load();
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
            assertThat(tokenizer.maxTokens()).isEqualTo(WordPieceTokenizer.MAX_TOKENS);
        }

        @Test
        @DisplayName("rejects null, naming the parameter")
        void rejectsNull() {
            assertThatNullPointerException().isThrownBy(() -> tokenizer.countTokens(null)).withMessage("text");
        }
    }

    @Nested
    @DisplayName("word-by-word counting")
    class WordByWord {

        @Test
        @DisplayName("equals the length of the full encoding the embedder feeds the model")
        void equalsTheFullEncoding() {
            List<String> texts = List.of(
                    "Mr. Speaker, Mr. Vice President, Members of Congress: the state of our union is strong.",
                    "Café naïve résumé — don't split 東京都 or emoji 🙂 weirdly!",
                    "tabs\tand\nnewlines\r\nand  double  spaces and trailing space ",
                    " leading space, a\u00a0non-breaking space, and a combining \u0301accent",
                    "ΟΔΟΣ Σίσυφος STRASSE straße İstanbul",
                    "x".repeat(120) + " " + "antidisestablishmentarianism " + "y".repeat(60),
                    "control\u0001chars\u001fand\u200bzero width",
                    "", " ", "   ", "1,234.56 $%^&*()[]{}<>/\\|~`");
            for (int round = 0; round < 2; round++) {
                for (String text : texts) {
                    assertThat(tokenizer.countTokens(text)).as("[%s] round %d", text, round)
                            .isEqualTo(tokenizer.ids(text).length);
                }
            }
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
