package io.funcpipe.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.funcpipe.adapters.embed.EmbedThroughput;
import io.funcpipe.adapters.embed.OnnxEmbedder;
import io.funcpipe.adapters.embed.WordPieceTokenizer;
import io.funcpipe.adapters.embed.Throughput;
import io.funcpipe.core.Result;

/**
 * The embedding ceiling, two arrangements on the same input in the same run: (a) {@link OnnxEmbedder}
 * (one single-threaded ONNX session, one lane per core, batch size 1) and (b) LangChain4j's packaged model
 * with its own {@code embedAll}. Prints chunks/s and tokens/s of each; with several rounds the two
 * alternate, so that other load on the machine falls on both alike.
 *
 * <pre>
 * mvn -q -B -o test-compile
 * mvn -q -B -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.funcpipe.bench.EmbedCeiling /work/shared/data/sotu 30 [maxChunks] [sessions] [rounds]
 * </pre>
 */
public final class EmbedCeiling {

    private EmbedCeiling() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: EmbedCeiling <dir of text files> [files=30] [maxChunks=all] [sessions=cores] [rounds=1]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int maxChunks = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        int sessions = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;

        System.out.printf("java %s, %d cores%n", Runtime.version(), Runtime.getRuntime().availableProcessors());
        try (OnnxEmbedder embedder = OnnxEmbedder.load(sessions)) {
            WordPieceTokenizer tokenizer = embedder.tokenizer();
            long cutStart = System.nanoTime();
            BenchTexts input = BenchTexts.cut(dir, files, tokenizer, 100, 120);
            List<String> texts = input.pieces().subList(0, Math.min(maxChunks, input.pieces().size()));
            System.out.printf("input: %d chunks of 100-120 tokens from %d files of %s (cut in %d ms)%n",
                    texts.size(), input.files(), dir, Duration.ofNanos(System.nanoTime() - cutStart).toMillis());
            System.out.printf("(a) OnnxEmbedder: model load %d ms, %d sessions%n", embedder.loadTime().toMillis(),
                    embedder.parallelism());
            long loadStart = System.nanoTime();
            AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
            System.out.printf("(b) LangChain4j AllMiniLmL6V2EmbeddingModel: model load %d ms%n",
                    Duration.ofNanos(System.nanoTime() - loadStart).toMillis());
            try (LangChainMiniLm langChain = new LangChainMiniLm(model)) {
                for (int round = 1; round <= rounds; round++) {
                    Throughput mine = orThrow(EmbedThroughput.measure(embedder, tokenizer, texts));
                    System.out.println("round " + round + " (a) " + mine.describe() + ", truncations " + embedder.truncations());
                    Throughput baseline = orThrow(EmbedThroughput.measure(langChain, tokenizer, texts));
                    System.out.println("round " + round + " (b) " + baseline.describe());
                    System.out.printf("round %d ratio (a)/(b): %.2fx chunks/s%n", round,
                            mine.chunksPerSecond() / baseline.chunksPerSecond());
                }
            }
        }
    }

    private static Throughput orThrow(Result<Throughput> result) {
        return result.fold(t -> t, err -> {
            throw new IllegalStateException(err.code() + ": " + err.message());
        });
    }
}
