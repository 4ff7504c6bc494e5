package io.funcpipe.rag.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;

@DisplayName("Chunker")
class ChunkerTest {

    static CleanDoc doc(String text) {
        return new CleanDoc("doc", "in.txt", text, Map.of("lang", "en"));
    }

    static List<Chunk> chunks(Chunker chunker, String text) {
        Result<List<Chunk>> result = chunker.chunk(doc(text));
        assertThat(result).isInstanceOf(Ok.class);
        return ((Ok<List<Chunk>>) result).value();
    }

    static String words(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).collect(Collectors.joining(" "));
    }

    @Nested
    @DisplayName("prefers boundaries")
    class Boundaries {

        @Test
        @DisplayName("paragraphs first: paragraphs that fit stay whole")
        void paragraphs() {
            String text = words("a", 10) + ".\n\n" + words("b", 10) + ".\n\n" + words("c", 10) + ".";
            List<Chunk> chunks = chunks(new Chunker(FakeTokenizer.words(2 + 15), ChunkerOptions.defaults()), text);
            assertThat(chunks).extracting(Chunk::text)
                    .containsExactly(words("a", 10) + ".", words("b", 10) + ".", words("c", 10) + ".");
        }

        @Test
        @DisplayName("then sentences: a paragraph too big for one chunk is cut between sentences")
        void sentences() {
            String s1 = "One " + words("x", 5) + ".";
            String s2 = "Two " + words("y", 5) + ".";
            String s3 = "Three " + words("z", 5) + ".";
            List<Chunk> chunks = chunks(new Chunker(FakeTokenizer.words(2 + 13), ChunkerOptions.defaults()),
                    s1 + " " + s2 + " " + s3);
            assertThat(chunks).extracting(Chunk::text).containsExactly(s1 + " " + s2, s3);
        }

        @Test
        @DisplayName("then words: a sentence too big for one chunk is cut between words")
        void wordsInALongSentence() {
            List<Chunk> chunks = chunks(new Chunker(FakeTokenizer.words(2 + 10), ChunkerOptions.defaults()), words("w", 25));
            assertThat(chunks).extracting(Chunk::text)
                    .containsExactly(words("w", 10), "w11 w12 w13 w14 w15 w16 w17 w18 w19 w20", "w21 w22 w23 w24 w25");
            assertThat(chunks).extracting(Chunk::tokens).containsExactly(12, 12, 7);
        }

        @Test
        @DisplayName("then characters: a giant word is cut into runs that fit")
        void giantWord() {
            String giant = "x".repeat(5000);
            FakeTokenizer tokenizer = FakeTokenizer.pieces(16);
            List<Chunk> chunks = chunks(new Chunker(tokenizer, ChunkerOptions.defaults()), "start " + giant + " end");
            assertThat(chunks).allSatisfy(c -> assertThat(tokenizer.countTokens(c.text())).isLessThanOrEqualTo(16));
            assertThat(chunks.stream().map(Chunk::text).collect(Collectors.joining()).replace(" ", ""))
                    .isEqualTo("start" + giant + "end");
        }

        @Test
        @DisplayName("never between the two halves of a surrogate pair")
        void surrogatePairs() {
            String emoji = "\uD83D\uDE42".repeat(300);
            List<Chunk> chunks = chunks(new Chunker(FakeTokenizer.pieces(8), ChunkerOptions.defaults()), emoji);
            assertThat(chunks).hasSizeGreaterThan(1).allSatisfy(c -> {
                assertThat(Character.isLowSurrogate(c.text().charAt(0))).isFalse();
                assertThat(Character.isHighSurrogate(c.text().charAt(c.text().length() - 1))).isFalse();
            });
        }

        @Test
        @DisplayName("and still fits when the tokenizer's counts do not add up across paragraphs")
        void nonAdditiveTokenizer() {
            FakeTokenizer tokenizer = new FakeTokenizer(FakeTokenizer.Kind.PARAGRAPH_PENALTY, 2 + 12);
            String text = "a b.\n\nc d.\n\ne f.\n\ng h.\n\ni j.";
            List<Chunk> chunks = chunks(new Chunker(tokenizer, ChunkerOptions.defaults()), text);
            assertThat(chunks).allSatisfy(c -> assertThat(tokenizer.countTokens(c.text())).isLessThanOrEqualTo(14));
            assertThat(String.join(" ", chunks.stream().map(Chunk::text).toList()).replaceAll("\\s+", ""))
                    .isEqualTo(text.replaceAll("\\s+", ""));
        }
    }

    @Nested
    @DisplayName("gives chunks")
    class Chunks {

        @Test
        @DisplayName("with stable ids: doc id, 4-digit position and a content hash; same text, same ids")
        void stableIds() {
            Chunker chunker = new Chunker(FakeTokenizer.words(2 + 10), ChunkerOptions.defaults());
            List<Chunk> first = chunks(chunker, words("w", 25));
            List<Chunk> again = chunks(new Chunker(FakeTokenizer.words(2 + 10), ChunkerOptions.defaults()), words("w", 25));
            assertThat(first).extracting(Chunk::id).allMatch(id -> id.matches("doc#000[0-2]-[0-9a-f]{12}"));
            assertThat(again).extracting(Chunk::id).isEqualTo(first.stream().map(Chunk::id).toList());
            assertThat(first.get(0).id()).isNotEqualTo(first.get(1).id());
        }

        @Test
        @DisplayName("carrying doc id, location, position, token count and metadata")
        void fields() {
            Chunk chunk = chunks(new Chunker(FakeTokenizer.words(128), ChunkerOptions.defaults()), "Hello there.").get(0);
            assertThat(chunk.docId()).isEqualTo("doc");
            assertThat(chunk.location()).isEqualTo("in.txt");
            assertThat(chunk.position()).isZero();
            assertThat(chunk.tokens()).isEqualTo(4);
            assertThat(chunk.metadata()).containsEntry("lang", "en");
        }

        @Test
        @DisplayName("where each chunk starts with the last words of the one before, within the overlap")
        void overlap() {
            Chunker chunker = new Chunker(FakeTokenizer.words(2 + 10), ChunkerOptions.defaults().withOverlapTokens(3));
            List<Chunk> chunks = chunks(chunker, words("w", 40));
            assertThat(chunks).hasSizeGreaterThan(4);
            for (int i = 1; i < chunks.size(); i++) {
                List<String> before = List.of(chunks.get(i - 1).text().split(" "));
                List<String> after = List.of(chunks.get(i).text().split(" "));
                assertThat(after.subList(0, 3)).isEqualTo(before.subList(before.size() - 3, before.size()));
                assertThat(chunks.get(i).tokens()).isLessThanOrEqualTo(12);
            }
            assertThat(chunks.get(chunks.size() - 1).text()).endsWith("w40");
        }

        @Test
        @DisplayName("for a real speech, tokenizing each character about twice, not once per growing chunk")
        void linearWork() throws Exception {
            String speech = Files.readString(Path.of("samples/sotu/1862_abraham_lincoln_r.txt"));
            FakeTokenizer tokenizer = FakeTokenizer.pieces(128);
            List<Chunk> chunks = chunks(new Chunker(tokenizer, ChunkerOptions.defaults().withOverlapTokens(16)), speech);
            assertThat(chunks).hasSizeGreaterThan(50).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(128));
            assertThat(tokenizer.charsCounted()).isLessThan(3L * speech.length());
        }
    }

    @Nested
    @DisplayName("reports")
    class Reports {

        @Test
        @DisplayName("an empty document as EMPTY_DOCUMENT with stage, key and location")
        void emptyDocument() {
            Result<List<Chunk>> result = new Chunker(FakeTokenizer.words(128), ChunkerOptions.defaults()).chunk(doc("  \n\n "));
            assertThat(result).isInstanceOfSatisfying(Err.class, e -> {
                ErrInfo error = e.error();
                assertThat(error.code()).isEqualTo(ErrCode.EMPTY_DOCUMENT);
                assertThat(error.stage()).isEqualTo("chunk");
                assertThat(error.key()).isEqualTo("doc");
                assertThat(error.location()).isEqualTo("in.txt");
            });
        }

        @Test
        @DisplayName("options that cannot work, eagerly, with how to fix them")
        void badOptions() {
            assertThatThrownBy(() -> new Chunker(FakeTokenizer.words(128), ChunkerOptions.defaults().withMaxTokens(2)))
                    .hasMessageContaining("no room for text");
            assertThatThrownBy(() -> new Chunker(FakeTokenizer.words(12), ChunkerOptions.defaults().withOverlapTokens(6)))
                    .hasMessageContaining("lower it to 5");
            assertThat(new Chunker(FakeTokenizer.words(128), ChunkerOptions.defaults().withMaxTokens(500)).limit()).isEqualTo(128);
        }

        @Test
        @DisplayName("Err documents on the stream as they are, starting no chunking")
        void streamPassesErrs() {
            ErrInfo upstream = ErrInfo.of(ErrCode.NOT_TEXT, "binary").withStage("clean");
            AsyncGen<CleanDoc> docs = AsyncGen.fromResults(List.of(Result.ok(doc(words("w", 25))), Result.err(upstream)));
            List<Result<Chunk>> out = new Chunker(FakeTokenizer.words(12), ChunkerOptions.defaults())
                    .chunkAll(docs).collectAll().await().indefinitely();
            assertThat(out).hasSize(4);
            assertThat(out.get(3)).isEqualTo(Result.err(upstream));
        }
    }
}
