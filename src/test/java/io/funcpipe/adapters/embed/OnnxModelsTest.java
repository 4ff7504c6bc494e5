package io.funcpipe.adapters.embed;

import static io.funcpipe.adapters.embed.OnnxEmbedderTest.SENTENCES;
import static io.funcpipe.adapters.embed.OnnxEmbedderTest.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;

/**
 * The other in-process models: the int8 MiniLM ({@code minilm-q}) against the fp32 one and against
 * LangChain4j's packaged quantized model, and bge-small-en-v1.5 int8 against LangChain4j's packaged
 * one. Each model is loaded once per nested class (about 1 s each).
 */
@DisplayName("OnnxEmbedder: minilm-q and bge-small-q")
class OnnxModelsTest {

    static List<float[]> embed(OnnxEmbedder embedder, List<String> texts) {
        Result<List<float[]>> result = embedder.embed(texts).open().await().indefinitely();
        assertThat(result).isInstanceOf(Ok.class);
        return ((Ok<List<float[]>>) result).value();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("minilm-q")
    class MiniLmQ {

        OnnxEmbedder quantized;
        OnnxEmbedder full;

        @BeforeAll
        void load() {
            quantized = OnnxEmbedder.load(OnnxModel.MINILM_Q, 2);
            full = OnnxEmbedder.load(OnnxModel.MINILM, 1);
        }

        @AfterAll
        void close() {
            quantized.close();
            full.close();
        }

        @Test
        @DisplayName("has its own manifest name, 384 dimensions and MiniLM's 128-token window")
        void identity() {
            assertThat(quantized.name()).isEqualTo("minilm-q").isNotEqualTo(full.name());
            assertThat(quantized.dimensions()).isEqualTo(384);
            assertThat(quantized.tokenizer().maxTokens()).isEqualTo(128);
            assertThat(quantized.queryText("q")).isEqualTo("q");
            assertThat(EmbedderSpec.Kind.parse("minilm-q")).isEqualTo(EmbedderSpec.Kind.MINILM_Q);
        }

        @Test
        @DisplayName("matches LangChain4j's packaged quantized model (cosine > 0.999)")
        void matchesTheReference() {
            AllMiniLmL6V2QuantizedEmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
            List<float[]> vectors = embed(quantized, SENTENCES);
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertThat(vectors.get(i)).hasSize(384);
                assertThat(cosine(vectors.get(i), reference.embed(SENTENCES.get(i)).content().vector()))
                        .as(SENTENCES.get(i)).isGreaterThan(0.999);
            }
        }

        @Test
        @DisplayName("stays close to the fp32 model (cosine >= 0.97) and counts tokens the same way")
        void closeToFp32() {
            List<float[]> q = embed(quantized, SENTENCES);
            List<float[]> f = embed(full, SENTENCES);
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertThat(cosine(q.get(i), f.get(i))).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.97);
                assertThat(quantized.tokenizer().countTokens(SENTENCES.get(i)))
                        .isEqualTo(full.tokenizer().countTokens(SENTENCES.get(i)));
            }
        }

        @Test
        @DisplayName("truncates nothing of a speech chunked with the project's chunk sizing")
        void noTruncation() throws IOException {
            String speech = Files.readString(Path.of("samples/sotu/1862_abraham_lincoln_r.txt"));
            Chunker chunker = new Chunker(quantized.tokenizer(), ChunkerOptions.defaults());
            Result<List<Chunk>> chunks = chunker.chunk(new CleanDoc("lincoln", "samples/sotu/1862_abraham_lincoln_r.txt", speech, java.util.Map.of()));
            List<String> texts = ((Ok<List<Chunk>>) chunks).value().stream().map(Chunk::text).toList();
            assertThat(texts).hasSizeGreaterThan(10);
            long before = quantized.truncations();
            assertThat(embed(quantized, texts)).hasSameSizeAs(texts);
            assertThat(quantized.truncations()).isEqualTo(before);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("bge-small-q")
    class BgeSmallQ {

        OnnxEmbedder bge;

        @BeforeAll
        void load() {
            bge = OnnxEmbedder.load(OnnxModel.BGE_SMALL_Q, 2);
        }

        @AfterAll
        void close() {
            bge.close();
        }

        @Test
        @DisplayName("has its own name, 384 dimensions, a 512-token window and BGE's query prefix")
        void identity() {
            assertThat(bge.name()).isEqualTo("bge-small-q");
            assertThat(bge.dimensions()).isEqualTo(384);
            assertThat(bge.tokenizer().maxTokens()).isEqualTo(512);
            assertThat(bge.queryText("rates"))
                    .isEqualTo("Represent this sentence for searching relevant passages: rates");
        }

        @Test
        @DisplayName("matches LangChain4j's packaged bge-small-en-v1.5 int8 ([CLS] pooling, cosine > 0.999)")
        void matchesTheReference() {
            BgeSmallEnV15QuantizedEmbeddingModel reference = new BgeSmallEnV15QuantizedEmbeddingModel();
            List<float[]> vectors = embed(bge, SENTENCES);
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertThat(cosine(vectors.get(i), reference.embed(SENTENCES.get(i)).content().vector()))
                        .as(SENTENCES.get(i)).isGreaterThan(0.999);
            }
        }

        @Test
        @DisplayName("ranks the obvious passage first for a prefixed query")
        void ranksTheObviousAnswerFirst() {
            List<float[]> passages = embed(bge, SENTENCES);
            float[] query = embed(bge, List.of(bge.queryText("what did the central bank do to interest rates?"))).getFirst();
            int best = 0;
            for (int i = 1; i < passages.size(); i++) {
                if (cosine(query, passages.get(i)) > cosine(query, passages.get(best))) {
                    best = i;
                }
            }
            assertThat(SENTENCES.get(best)).contains("central bank");
        }
    }
}
