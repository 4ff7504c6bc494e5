package io.funcpipe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.adapters.report.ErrorLog;
import io.funcpipe.adapters.source.FieldMapping;
import io.funcpipe.adapters.source.Format;
import io.funcpipe.adapters.source.SourceOptions;
import io.funcpipe.adapters.source.SourceSet;
import io.funcpipe.adapters.source.Sources;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.clean.Cleaner;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code funcpipe ingest}: documents in, a persistent vector index out, with progress and a report. */
@Command(name = "ingest", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Ingest files, folders or URLs into a local vector index.",
                "Parses, cleans, chunks (token-aware), embeds and upserts by chunk id: re-ingesting never duplicates.",
                "Every failed item is written to <index>/errors.jsonl. Exit 0 when the run completed (item errors "
                        + "are reported, not fatal), 1 when it could not proceed, 2 for usage errors, 3 with --strict "
                        + "when an item failed."})
final class IngestCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH_OR_URL",
            description = "Files, folders (walked recursively) or http(s) URLs whose body is JSONL or text.")
    List<String> inputs;

    @Option(names = "--index", paramLabel = "DIR", defaultValue = "funcpipe-index",
            description = "The index folder, created when missing (default: ${DEFAULT-VALUE}).")
    Path index;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto (by extension: .csv, .jsonl/.ndjson, .txt/.md; other files by content: PDF, HTML, "
                    + "Office, OpenDocument, RTF, EPUB, e-mail through Tika, plain text), csv, jsonl, text or document "
                    + "(every file through Tika) (default: ${DEFAULT-VALUE}). See docs/formats.md.")
    String format;

    @Option(names = "--max-document-chars", paramLabel = "N", defaultValue = "" + SourceOptions.DEFAULT_MAX_DOCUMENT_CHARS,
            description = "Most characters of text kept from one PDF/HTML/Office/... document; a longer one is a "
                    + "TOO_LARGE error (default: ${DEFAULT-VALUE}).")
    int maxDocumentChars;

    @Option(names = "--parse-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Longest time to parse one PDF/HTML/Office/... document; a slower one is abandoned as a "
                    + "PARSE_TIMEOUT error (default: ${DEFAULT-VALUE}).")
    long parseTimeoutSeconds;

    @Mixin
    EmbedderOptions embedder;

    @Option(names = "--chunk-tokens", paramLabel = "N",
            description = "Largest chunk in model tokens, special tokens included; at most the model's window "
                    + "(default: the window, 128 for minilm).")
    Integer chunkTokens;

    @Option(names = "--overlap", paramLabel = "N", defaultValue = "0",
            description = "Tokens of a chunk's end repeated at the next chunk's start (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--include", paramLabel = "GLOB", description = "In folders, read only files matching this glob (repeatable), e.g. '**/*.md'.")
    List<String> include = List.of();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "In folders, skip files matching this glob (repeatable).")
    List<String> exclude = List.of();

    @Option(names = "--id-field", paramLabel = "NAME", defaultValue = "id",
            description = "CSV column / JSONL field holding the document id (default: ${DEFAULT-VALUE}; missing: file:line).")
    String idField;

    @Option(names = "--text-field", paramLabel = "NAME", defaultValue = "text",
            description = "CSV column / JSONL field holding the text (default: ${DEFAULT-VALUE}).")
    String textField;

    @Option(names = "--metadata-fields", paramLabel = "NAMES", split = ",",
            description = "CSV columns / JSONL fields kept as metadata (default: all others).")
    List<String> metadataFields = List.of();

    @Option(names = "--embed-batch", paramLabel = "N", defaultValue = "8",
            description = "Chunks per embedder call (default: ${DEFAULT-VALUE}).")
    int embedBatch;

    @Option(names = "--commit-every", paramLabel = "N", defaultValue = "5000",
            description = "Chunks between index commits; the run always commits at its end (default: ${DEFAULT-VALUE}).")
    long commitEvery;

    @Option(names = "--json", description = "Print the final report as one JSON object on stdout.")
    boolean json;

    @Option(names = "--strict", description = "Exit 3 when any item failed.")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        requireInputsExist();
        SourceOptions sourceOptions = sourceOptions();
        IngestOptions ingestOptions = ingestOptions();
        Vertx vertx = Vertx.vertx();
        try (EmbeddingModel model = EmbeddingChoice.open(embedder, index, vertx)) {
            IndexManifest manifest = new IndexManifest(model.embedder().name(), model.embedder().dimensions());
            IndexManifest.read(index).ifPresent(existing -> requireCompatible(existing, manifest));
            ChunkerOptions chunking = chunkOptions(model);
            SourceSet sources = usage(() -> Sources.open(inputs, sourceOptions, vertx));
            IngestCounters counters = new IngestCounters();
            IngestReport report;
            try (LuceneVectorIndex vectors = opened(LuceneVectorIndex.open(index, model.embedder().dimensions()));
                 ErrorLog errors = ErrorLog.create(index.resolve("errors.jsonl"))) {
                manifest.write(index);
                Chunker chunker = new Chunker(model.tokenizer(), chunking);
                IngestStages stages = new IngestStages(sources, Cleaner::clean, chunker::chunk, model.embedder(), vectors);
                long started = System.nanoTime();
                try (ProgressDisplay progress = ProgressDisplay.start(counters, sources.counters()::bytesRead,
                        spec.commandLine().getErr(), sources.totalBytes())) {
                    IngestPipeline.describe(stages, ingestOptions, counters).open()
                            .onItem().invoke(r -> {
                                if (r instanceof Err<Chunk>(ErrInfo e)) {
                                    errors.write(e);
                                }
                            })
                            .collect().last()
                            .await().indefinitely();
                }
                report = IngestReport.of(counters, (System.nanoTime() - started) / 1e9, model.embedder());
            }
            Path errorsLog = index.resolve("errors.jsonl");
            out.print(json ? ReportFormat.json(report, index, errorsLog) + System.lineSeparator()
                    : ReportFormat.text(report, index, errorsLog));
            out.flush();
            return strict && report.anyFailed() ? Main.ITEMS_FAILED : 0;
        } finally {
            vertx.close().await();
        }
    }

    private void requireInputsExist() {
        for (String input : inputs) {
            boolean url = input.regionMatches(true, 0, "http://", 0, 7) || input.regionMatches(true, 0, "https://", 0, 8);
            if (!url && !Files.exists(Path.of(input))) {
                throw new UsageException("no such file or folder: " + input + " (give files, folders or http(s) URLs)");
            }
        }
    }

    private SourceOptions sourceOptions() {
        Format parsed = usage(() -> Format.parse(format));
        FieldMapping fields = usage(() -> new FieldMapping(idField, textField, metadataFields));
        return usage(() -> SourceOptions.defaults().withFormat(parsed).withInclude(include).withExclude(exclude)
                .withCsv(fields).withJsonl(fields).withMaxDocumentChars(maxDocumentChars)
                .withParseTimeout(Duration.ofSeconds(parseTimeoutSeconds)));
    }

    private IngestOptions ingestOptions() {
        return usage(() -> IngestOptions.defaults().withEmbedBatch(embedBatch).withCommitEvery(commitEvery));
    }

    private ChunkerOptions chunkOptions(EmbeddingModel model) {
        int window = model.tokenizer().maxTokens();
        int max = chunkTokens == null ? window : chunkTokens;
        if (max > window) {
            throw new UsageException("--chunk-tokens " + max + " is larger than the model's window of " + window
                    + " tokens: the model would truncate every such chunk; use at most " + window);
        }
        return usage(() -> new ChunkerOptions(max, overlap));
    }

    private void requireCompatible(IndexManifest existing, IndexManifest wanted) {
        usage(() -> {
            existing.requireCompatible(wanted, index);
            return null;
        });
    }

    /** The index, or a failure whose message says what went wrong and where (exit code 1). */
    static LuceneVectorIndex opened(io.funcpipe.core.Result<LuceneVectorIndex> index) {
        return index.fold(i -> i, e -> {
            throw new IllegalStateException(e.message());
        });
    }

    /** Runs {@code step}; an {@link IllegalArgumentException} is the user's mistake: exit code 2. */
    static <T> T usage(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
