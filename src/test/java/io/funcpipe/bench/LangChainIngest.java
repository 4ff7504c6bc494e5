package io.funcpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.loader.FileSystemDocumentLoader;
import dev.langchain4j.data.document.parser.TextDocumentParser;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.IngestionResult;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.funcpipe.adapters.embed.OnnxModel;
import io.funcpipe.adapters.embed.WordPieceTokenizer;

/**
 * The baseline of {@code bench/vs-langchain4j.sh}: LangChain4j's idiomatic ingestion of the first
 * FILES text files of DIR, as its documentation shows it: {@link FileSystemDocumentLoader} with the
 * {@link TextDocumentParser}, {@code DocumentSplitters.recursive(1000, 100)}, the packaged
 * {@link AllMiniLmL6V2EmbeddingModel} and an {@link InMemoryEmbeddingStore}, through
 * {@link EmbeddingStoreIngestor#ingest}.
 *
 * <p>It times the load and the ingestion (not JVM start-up nor the model load, like {@code funcpipe
 * ingest}'s report), then, outside the timing, splits the documents again with the same splitter and
 * counts each segment's tokens with the model's own tokenizer, untruncated: the model embeds at most
 * 128 of them ([CLS] and [SEP] included), the rest of the text is never embedded. It prints one line
 * of {@code key=value} pairs for the script.
 *
 * <p>Usage: {@code LangChainIngest DIR FILES}.
 */
public final class LangChainIngest {

    private LangChainIngest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LangChainIngest DIR FILES");
            System.exit(2);
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(Path.of(args[0]))) {
            files = listing.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString))
                    .limit(Integer.parseInt(args[1])).toList();
        }
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        long loadStart = System.nanoTime();
        AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        double modelLoad = (System.nanoTime() - loadStart) / 1e9;

        DocumentSplitter splitter = DocumentSplitters.recursive(1000, 100);
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        EmbeddingStoreIngestor ingestor = EmbeddingStoreIngestor.builder()
                .documentSplitter(splitter)
                .embeddingModel(model)
                .embeddingStore(store)
                .build();
        long start = System.nanoTime();
        List<Document> documents = new ArrayList<>();
        TextDocumentParser parser = new TextDocumentParser();
        for (Path file : files) {
            documents.add(FileSystemDocumentLoader.loadDocument(file, parser));
        }
        IngestionResult result = ingestor.ingest(documents);
        double seconds = (System.nanoTime() - start) / 1e9;

        // outside the timing: what the model was given and what it saw
        int window = OnnxModel.MINILM.window();
        long segments = 0;
        long tokens = 0;
        long embedded = 0;
        long truncatedSegments = 0;
        try (WordPieceTokenizer tokenizer = WordPieceTokenizer.load(OnnxModel.MINILM)) {
            for (Document document : documents) {
                for (TextSegment segment : splitter.split(document)) {
                    int count = tokenizer.countTokens(segment.text());
                    segments++;
                    tokens += count;
                    embedded += Math.min(count, window);
                    if (count > window) {
                        truncatedSegments++;
                    }
                }
            }
        }
        // the share of the text's word pieces ([CLS]/[SEP] aside) that no vector covers
        double truncatedShare = (double) (tokens - embedded) / (tokens - 2 * segments);
        System.out.printf(Locale.ROOT, "files=%d bytes=%d segments=%d lc4j_token_usage=%s tokens=%d embedded_tokens=%d "
                        + "truncated_segments=%d truncated_share=%.4f seconds=%.3f model_load=%.3f%n",
                files.size(), bytes, segments,
                result.tokenUsage() == null ? "none" : result.tokenUsage().inputTokenCount(), tokens, embedded,
                truncatedSegments, truncatedShare, seconds, modelLoad);
        System.exit(0);
    }
}
