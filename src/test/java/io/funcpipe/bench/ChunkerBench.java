package io.funcpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.CleanDoc;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.chunk.FakeTokenizer;
import io.funcpipe.rag.clean.Cleaner;

/**
 * Chunker throughput on the four sample speeches (samples/sotu) with the test tokenizer
 * ({@code FakeTokenizer.Kind.PIECES}, window 128, overlap 16), beside its baseline in the same run:
 * {@code tokenizeOnce} counts every document's tokens once, the least any chunker must do. Divide
 * the documents' tokens (printed at setup) by the time per operation for tokens/s.
 *
 * <p>Run: {@code mvn -q -o test-compile} then
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) org.openjdk.jmh.Main ChunkerBench}
 * with cp.txt from {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkerBench {

    private List<CleanDoc> docs;
    private FakeTokenizer tokenizer;
    private Chunker chunker;

    @Setup
    public void load() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("samples/sotu"))) {
            docs = files.sorted().map(ChunkerBench::clean).toList();
        }
        tokenizer = FakeTokenizer.pieces(128);
        chunker = new Chunker(tokenizer, ChunkerOptions.defaults().withOverlapTokens(16));
        long tokens = docs.stream().mapToLong(d -> tokenizer.countTokens(d.text())).sum();
        System.out.println("# documents: " + docs.size() + ", tokens (test tokenizer): " + tokens);
    }

    @Benchmark
    public long tokenizeOnce() {
        long sum = 0;
        for (CleanDoc doc : docs) {
            sum += tokenizer.countTokens(doc.text());
        }
        return sum;
    }

    @Benchmark
    public long chunk() {
        long sum = 0;
        for (CleanDoc doc : docs) {
            Result<List<Chunk>> chunks = chunker.chunk(doc);
            sum += chunks.fold(List::size, e -> -1);
        }
        return sum;
    }

    private static CleanDoc clean(Path file) {
        try {
            String text = Files.readString(file);
            return Cleaner.clean(new io.funcpipe.rag.RawDoc(file.getFileName().toString(), file.toString(), text,
                    Map.of(), text.length(), 0)).fold(d -> d, e -> {
                        throw new IllegalStateException(e.message());
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
