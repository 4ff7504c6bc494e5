package io.funcpipe.adapters.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("WordTokenizer")
class WordTokenizerTest {

    final WordTokenizer tokenizer = WordTokenizer.of();

    @Nested
    @DisplayName("counting")
    class Counting {

        @Test
        @DisplayName("counts [CLS] and [SEP], short words as one piece, punctuation as one each")
        void countsWordsAndPunctuation() {
            assertThat(tokenizer.countTokens("")).isEqualTo(2);
            assertThat(tokenizer.countTokens("the cat sat.")).isEqualTo(6);
            assertThat(tokenizer.countTokens("don't")).isEqualTo(5);
        }

        @Test
        @DisplayName("counts long words as several pieces")
        void splitsLongWords() {
            assertThat(tokenizer.countTokens("photosynthesis")).isEqualTo(2 + 3);
        }

        @Test
        @DisplayName("stays close to MiniLM's count on English prose")
        void isCloseToBert() {
            String prose = "Mr. Speaker, the state of our union is strong, and our economy is growing again.";
            try (WordPieceTokenizer bert = WordPieceTokenizer.load()) {
                assertThat(tokenizer.countTokens(prose)).isBetween(bert.countTokens(prose) - 4, bert.countTokens(prose) + 4);
            }
        }
    }

    @Nested
    @DisplayName("window")
    class Window {

        @Test
        @DisplayName("defaults to 128 and is configurable")
        void isConfigurable() {
            assertThat(tokenizer.maxTokens()).isEqualTo(128);
            assertThat(WordTokenizer.of(64).maxTokens()).isEqualTo(64);
            assertThatIllegalArgumentException().isThrownBy(() -> WordTokenizer.of(2)).withMessageContaining("maxTokens");
        }
    }
}
