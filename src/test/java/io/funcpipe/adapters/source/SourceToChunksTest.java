package io.funcpipe.adapters.source;

import static io.funcpipe.adapters.source.Fixtures.errs;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.RawDoc;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.chunk.FakeTokenizer;
import io.funcpipe.rag.clean.Cleaner;

@DisplayName("parse -> clean -> chunk over real files")
class SourceToChunksTest {

    private static <T> List<Result<T>> run(io.funcpipe.core.AsyncGen<T> gen) {
        return gen.collectAll().await().atMost(Duration.ofSeconds(60));
    }

    @Test
    @DisplayName("the fixture folder: every record read is a clean document or a reported Err")
    void everyRecordAccountedFor() {
        SourceSet source = Sources.open(List.of(Fixtures.DIR.toString()), SourceOptions.defaults(), null);
        List<Result<RawDoc>> read = run(source.docs());
        List<Result<CleanDoc>> cleaned = run(Cleaner.cleanAll(source.docs()));
        assertThat(cleaned).hasSameSizeAs(read);
        List<ErrInfo> cleanErrors = errs(cleaned).stream().filter(e -> e.stage().equals("clean")).toList();
        assertThat(cleanErrors).extracting(ErrInfo::code)
                .containsExactlyInAnyOrder(ErrCode.NOT_TEXT, ErrCode.EMPTY_DOCUMENT);
        assertThat(cleanErrors).extracting(ErrInfo::key).containsExactlyInAnyOrder("binary.txt", "empty.txt");
        assertThat(errs(cleaned)).hasSize(errs(read).size() + 2);
        assertThat(source.counters().skippedFiles()).as("notes.bin and skip.png, in each of two runs").isEqualTo(2 * 2);
        assertThat(source.counters().openHandles()).isZero();
    }

    @Test
    @DisplayName("the sample speeches: chunks fit the window and re-ingesting gives the same ids")
    void sampleSpeeches() {
        SourceSet source = Sources.open(List.of("samples/sotu"), SourceOptions.defaults(), null);
        FakeTokenizer tokenizer = FakeTokenizer.pieces(128);
        Chunker chunker = new Chunker(tokenizer, ChunkerOptions.defaults());
        List<Result<Chunk>> first = run(chunker.chunkAll(Cleaner.cleanAll(source.docs())));
        List<Result<Chunk>> second = run(chunker.chunkAll(Cleaner.cleanAll(source.docs())));
        assertThat(first).allMatch(Result::isOk).hasSizeGreaterThan(4).isEqualTo(second);
        assertThat(first).allSatisfy(r -> r.onOk(c -> assertThat(tokenizer.countTokens(c.text())).isLessThanOrEqualTo(128)));
        assertThat(first.get(0).fold(Chunk::id, ErrInfo::message)).startsWith("1790_george_washington_n.txt#0000-");
    }
}
