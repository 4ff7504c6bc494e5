package io.funcpipe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.embed.Embedders;
import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.embed.OnnxModel;
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
import io.funcpipe.core.Ok;
import io.funcpipe.rag.Checkpoint;
import io.funcpipe.rag.CheckpointTracker;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.IngestOptions;
import io.funcpipe.rag.IngestPipeline;
import io.funcpipe.rag.IngestReport;
import io.funcpipe.rag.IngestStages;
import io.funcpipe.rag.SyncMode;
import io.funcpipe.rag.SyncOptions;
import io.funcpipe.rag.chunk.ChunkerOptions;
import io.funcpipe.rag.chunk.Chunker;
import io.funcpipe.rag.clean.Cleaner;
import io.smallrye.mutiny.subscription.Cancellable;
import io.funcpipe.service.job.LocalStageBinder;
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
                "Every failed item is appended to <index>/errors.jsonl, each line tagged with the run's id (\"run\").",
                "Ctrl-C or SIGTERM: the run stops, commits what was indexed and says so (exit 130, 143 for SIGTERM).",
                "Exit codes: 0 the run completed (item errors are reported, not fatal), 1 it could not proceed, "
                        + "2 usage error, 3 --strict and an item failed, 4 nothing was indexed (no document found, or "
                        + "every document failed; the first errors are shown), 130/143 interrupted."})
final class IngestCommand implements Callable<Integer> {

    /** Skipped files named on screen at most; the count covers them all. */
    private static final int SKIPPED_NAMED = 20;
    /** How long an interrupted ingest waits for an index write in flight before its last commit. */
    private static final java.time.Duration INTERRUPT_WAIT = java.time.Duration.ofSeconds(60);

    /** The errors log in the index folder: appended by each run, each line tagged with the run's id. */
    static final String ERRORS_LOG = "errors.jsonl";

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
            description = "CSV column / JSONL field holding the document id (default: ${DEFAULT-VALUE}; missing: the file and a hash of the record's content).")
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

    @Option(names = "--sync", paramLabel = "MODE", defaultValue = "incremental",
            description = "How the index follows its sources: incremental (skip unchanged documents, replace changed "
                    + "ones atomically), full (also delete the documents of these inputs that are gone, once the run "
                    + "completed) or none (write every document, delete nothing) (default: ${DEFAULT-VALUE}).")
    String sync;

    @Option(names = "--json", description = "Print the final report as one JSON object on stdout.")
    boolean json;

    @Option(names = "--strict", description = "Exit 3 when any item failed.")
    boolean strict;

    @Option(names = {"--verbose", "-v"}, description = "Also print the informational log lines (model loading, ...).")
    boolean verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        requireInputsExist();
        requireValidChunking();
        refuseAnotherModelsIndex();
        SourceOptions sourceOptions = sourceOptions();
        IngestOptions ingestOptions = ingestOptions();
        SyncMode syncMode = usage(() -> SyncMode.parse(sync));
        boolean indexExisted = Files.exists(index);
        Main.verbose(verbose);
        LazyVertx vertx = new LazyVertx();
        try (EmbeddingModel model = EmbeddingChoice.open(embedder, index, vertx)) {
            IndexManifest manifest = new IndexManifest(model.embedder().name(), model.embedder().dimensions());
            IndexManifest.read(index).ifPresent(existing -> requireCompatible(existing, manifest));
            ChunkerOptions chunking = chunking(model);
            LocalStageBinder binder = new LocalStageBinder(vertx, List.of(), index, model);
            LocalStageBinder.Local local = open(binder, new LocalStageBinder.Run("ingest", inputs, sourceOptions,
                    chunking, index));
            SourceSet sources = local.sources();
            IngestCounters counters = new IngestCounters();
            Path errorsLog = index.resolve(ERRORS_LOG);
            String runId = runId();
            IngestReport report;
            List<ErrInfo> firstErrors;
            long errorsWritten;
            IngestInterrupt interrupt;
            long before;
            Set<String> docsIndexed = ConcurrentHashMap.newKeySet();
            CheckpointTracker tracker;
            SyncOptions syncOptions;
            LuceneVectorIndex vectors = local.index();
            try (ErrorLog errors = ErrorLog.appending(errorsLog, runId)) {
                before = vectors.count();
                IngestStages stages = local.job().stages();
                tracker = new CheckpointTracker(continuing(vectors, runKey(model, chunking, sources), err), Clock.systemUTC());
                syncOptions = new SyncOptions(syncMode, recordedChunking(), sources.roots());
                SyncNotice.before(vectors, syncOptions, model.embedder().name(), tracker.base()).ifPresent(note -> {
                    err.println(note);
                    err.flush();
                });
                long started = System.nanoTime();
                CompletableFuture<Void> done = new CompletableFuture<>();
                AtomicReference<Cancellable> running = new AtomicReference<>();
                try (ProgressDisplay progress = ProgressDisplay.start(counters, err, sources.totalBytes());
                     IngestInterrupt signals = IngestInterrupt.install(() -> {
                         try {
                             Cancellable c = running.get();
                             if (c != null) {
                                 c.cancel();
                             }
                         } finally {
                             done.complete(null);
                         }
                     })) {
                    interrupt = signals;
                    running.set(IngestPipeline.describe(stages, ingestOptions, syncOptions, counters, tracker).open()
                            .subscribe().with(r -> {
                                switch (r) {
                                    case Err<Chunk>(ErrInfo e) -> errors.write(e);
                                    case Ok<Chunk>(Chunk c) -> docsIndexed.add(c.docId());
                                }
                            }, done::completeExceptionally, () -> done.complete(null)));
                    if (interrupt.signal() != null) {
                        running.get().cancel();
                    }
                    join(done);
                    if (interrupt.signal() != null) {
                        // a write in flight at the cancel ends and is counted before the checkpoint is taken
                        try {
                            tracker.quiescent().get(INTERRUPT_WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                            err.println("funcpipe: an index write still running " + INTERRUPT_WAIT.toSeconds()
                                    + " s after the interrupt is not counted in the checkpoint: " + e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        if (vectors.commit(tracker.current()).open().await().indefinitely() instanceof Err<Long>(ErrInfo e)) {
                            throw new IllegalStateException("committing after the interrupt failed: " + e.message());
                        }
                    }
                }
                report = IngestReport.of(counters, (System.nanoTime() - started) / 1e9, model.embedder())
                        .resumedFrom(tracker.base());
                firstErrors = errors.first();
                errorsWritten = errors.written();
            } finally {
                local.release();
            }
            if (interrupt.signal() != null) {
                long committed = committedSince(before);
                err.printf(Locale.ROOT, "interrupted: %,d chunks of %,d documents committed to %s; run the same "
                        + "command again to continue after document %,d%n", committed, docsIndexed.size(), index,
                        tracker.current().docs());
                err.flush();
                return interrupt.exitCode();
            }
            out.print(json ? ReportFormat.json(report, index, errorsLog) + System.lineSeparator()
                    : ReportFormat.text(report, index, errorsLog));
            out.flush();
            List<String> skipped = sources.counters().skipped().stream().limit(SKIPPED_NAMED)
                    .map(file -> file.path() + " (" + file.type() + ")").toList();
            long skippedCount = sources.counters().skippedFiles();
            if (skippedCount > 0) {
                err.printf(Locale.ROOT, "funcpipe: %d file(s) skipped: no parser reads their type (docs/formats.md "
                        + "lists what is read; or give --format): %s%s%n", skippedCount, String.join(", ", skipped),
                        skippedCount > skipped.size() ? ", ..." : "");
            }
            String why = nothingIndexed(report, skippedCount);
            if (why == null) {
                return strict && report.anyFailed() ? Main.ITEMS_FAILED : 0;
            }
            err.println("funcpipe: " + why);
            printErrors(err, firstErrors, errorsWritten, errorsLog);
            if (!indexExisted && report.chunksIndexed() == 0) {
                removeEmptyIndex(errorsWritten > 0, err);
            }
            err.flush();
            return Main.NOTHING_INDEXED;
        } finally {
            vertx.close();
        }
    }

    /** Why the run counts as having indexed nothing (exit 4), or null when it indexed something useful. */
    private String nothingIndexed(IngestReport r, long skipped) {
        String inputsText = String.join(" ", inputs);
        if (r.documentsRead() == 0) {
            return "nothing was indexed: no document found in " + inputsText
                    + (skipped > 0 ? " (every file was skipped for its type)"
                    : include.isEmpty() && exclude.isEmpty() ? "" : " (check --include/--exclude)");
        }
        if (r.documentsFailed() >= r.documentsRead()) {
            return "nothing was indexed: every one of the " + r.documentsRead() + " documents failed";
        }
        if (r.chunksIndexed() == 0 && r.sync().documentsUnchanged() == 0) {
            return "nothing was indexed: the " + r.documentsRead() + " documents gave no chunk that reached the index";
        }
        return null;
    }

    private static void printErrors(PrintWriter err, List<ErrInfo> first, long written, Path log) {
        for (ErrInfo e : first) {
            String message = !e.location().isEmpty() && e.message().startsWith(e.location() + ": ")
                    ? e.message().substring(e.location().length() + 2) : e.message();
            err.println("  " + e.code() + (e.location().isEmpty() ? "" : " " + e.location()) + ": " + message);
        }
        if (written > first.size()) {
            err.println("  ... and " + (written - first.size()) + " more");
        }
        if (written > 0) {
            err.println("  every error is in " + log);
        }
    }

    /** The index folder this run created holds no chunk: remove it (the errors log stays when it has errors). */
    private void removeEmptyIndex(boolean keepErrors, PrintWriter err) throws IOException {
        try (Stream<Path> files = Files.walk(index)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (keepErrors && (p.equals(index) || p.getFileName().toString().equals(ERRORS_LOG))) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        }
        if (!keepErrors) {
            err.println("  no index was created at " + index);
        }
    }

    private long committedSince(long before) {
        LuceneVectorIndex reader = opened(LuceneVectorIndex.openReadOnly(index));
        try (reader) {
            return reader.count() - before;
        }
    }

    private static void join(CompletableFuture<Void> done) {
        try {
            done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** This run's id in the errors log: the start time and a few random digits. */
    private static String runId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(1 << 16));
    }

    /**
     * The chunk size and overlap against the window of the embedder that will be used (known
     * without loading it, {@link Embedders#window}); the exact room, less the model's special
     * tokens, is checked again once it is loaded ({@link #chunker}).
     */
    private void requireWithinWindow() throws IOException {
        String name = embedder.name != null ? embedder.name
                : IndexManifest.read(index).map(IndexManifest::embedder).orElse("minilm");
        EmbedderSpec.Kind kind;
        try {
            kind = EmbedderSpec.Kind.parse(name);
        } catch (IllegalArgumentException e) {
            return; // EmbeddingChoice names the mistake
        }
        int window = Embedders.window(kind);
        int max = chunkTokens == null ? window : chunkTokens;
        if (max > window) {
            throw new UsageException("--chunk-tokens " + max + " is larger than the " + kind.label() + " window of "
                    + window + " tokens: the model would truncate every such chunk; use at most " + window);
        }
        if (overlap > max / 2) {
            throw new UsageException("--overlap " + overlap + " is more than half of the " + max + " tokens a chunk "
                    + "holds (" + (chunkTokens == null ? "the " + kind.label() + " window" : "--chunk-tokens " + max)
                    + "): use --overlap " + (max / 2 - 1) + " or less");
        }
    }

    /** The chunk sizes that need no model to check, checked before anything is loaded. */
    private void requireValidChunking() throws IOException {
        if (overlap < 0) {
            throw new UsageException("--overlap must be 0 or more tokens, got " + overlap);
        }
        if (chunkTokens != null && chunkTokens < 1) {
            throw new UsageException("--chunk-tokens must be at least 1, got " + chunkTokens);
        }
        requireWithinWindow();
        if (embedBatch < 1) {
            throw new UsageException("--embed-batch must be at least 1, got " + embedBatch);
        }
        if (commitEvery < 1) {
            throw new UsageException("--commit-every must be at least 1, got " + commitEvery);
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

    /**
     * Opens the run's sources and index through the one in-process binder the supervisor's jobs
     * use too; a bad input or option is a usage error, an index that cannot be opened exit 1.
     */
    private static LocalStageBinder.Local open(LocalStageBinder binder, LocalStageBinder.Run run) {
        try {
            return binder.open(run, java.util.function.UnaryOperator.identity());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The key of this run's checkpoint in the index: the inputs, how they are read and chunked, the
     * embedder and the inputs' size (a changed input starts afresh). The same command over the same
     * files has the same key, so it continues where an interrupted run stopped.
     */
    private String runKey(EmbeddingModel model, ChunkerOptions chunking, SourceSet sources) {
        StringBuilder what = new StringBuilder();
        for (String input : inputs) {
            what.append(input.contains("://") ? input : Path.of(input).toAbsolutePath().normalize().toString()).append('\n');
        }
        what.append(format).append('\n').append(include).append('\n').append(exclude).append('\n')
                .append(idField).append('|').append(textField).append('|').append(metadataFields).append('\n')
                .append(chunking).append('\n').append(model.embedder().name()).append('\n').append(sources.totalBytes());
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(what.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "ingest-" + java.util.HexFormat.of().formatHex(hash, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Where this run starts: after the records an interrupted run of the same command committed
     * (said on stderr), or at the start (no checkpoint, or the last run of the command completed).
     */
    private static Checkpoint continuing(LuceneVectorIndex vectors, String key, PrintWriter err) {
        Checkpoint found = switch (vectors.checkpoint(key).open().await().indefinitely()) {
            case Ok<java.util.Optional<Checkpoint>>(java.util.Optional<Checkpoint> checkpoint) -> checkpoint.orElse(null);
            case Err<java.util.Optional<Checkpoint>>(ErrInfo e) -> throw new IllegalStateException(
                    "reading the index's checkpoint failed: " + e.message());
        };
        if (found == null || found.complete() || found.atStart()) {
            return Checkpoint.start(key);
        }
        err.printf(Locale.ROOT, "continuing an interrupted run: its first %,d documents (%,d chunks) are committed; "
                + "reading on from there%n", found.docs(), found.chunksIndexed());
        err.flush();
        return found;
    }

    /** The chunking as documents' records keep it: the window when --chunk-tokens is not given. */
    private String recordedChunking() {
        return new ChunkerOptions(chunkTokens == null ? 0 : chunkTokens, overlap).label();
    }

    /** The chunk size and overlap, checked against the model's window (usage errors in the CLI's words). */
    private ChunkerOptions chunking(EmbeddingModel model) {
        int window = model.tokenizer().maxTokens();
        int max = chunkTokens == null ? window : chunkTokens;
        if (max > window) {
            throw new UsageException("--chunk-tokens " + max + " is larger than the model's window of " + window
                    + " tokens: the model would truncate every such chunk; use at most " + window);
        }
        int special = model.tokenizer().countTokens("");
        int room = max - special;
        if (room < 1) {
            throw new UsageException("--chunk-tokens " + max + " leaves no room for text after the model's " + special
                    + " special tokens; use more than " + special);
        }
        if (overlap > room / 2) {
            throw new UsageException("--overlap " + overlap + " is more than half of the " + room + " tokens of text a "
                    + "chunk holds (--chunk-tokens " + max + " less " + special + " special tokens): use --overlap "
                    + room / 2 + " or less");
        }
        ChunkerOptions options = usage(() -> new ChunkerOptions(max, overlap));
        usage(() -> new Chunker(model.tokenizer(), options));
        return options;
    }

    /**
     * An in-process model's name and dimensions are known before it loads: an index another model
     * built is refused at once, not after the load (the manifest is checked again once it has loaded).
     */
    private void refuseAnotherModelsIndex() throws IOException {
        if (embedder.name == null) {
            return;
        }
        Optional<OnnxModel> model = usage(() -> EmbedderSpec.Kind.parse(embedder.name)).onnxModel();
        if (model.isPresent()) {
            IndexManifest wanted = new IndexManifest(model.get().label(), OnnxModel.DIMENSIONS);
            IndexManifest.read(index).ifPresent(existing -> requireCompatible(existing, wanted));
        }
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
