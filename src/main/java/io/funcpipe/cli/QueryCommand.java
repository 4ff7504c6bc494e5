package io.funcpipe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.funcpipe.adapters.embed.EmbeddingModel;
import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.MetadataFilter;
import io.funcpipe.rag.QueryPlan;
import io.funcpipe.rag.SearchHit;
import io.funcpipe.rag.SearchMode;
import io.funcpipe.rag.SearchQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code funcpipe query}: the chunks closest to a text, best first. */
@Command(name = "query", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Find the chunks of an index that best match a text, best first.",
                "In vector and hybrid mode the text is embedded with the model the index was built with."})
final class QueryCommand implements Callable<Integer> {

    private static final int SHOWN_CHARS = 400;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "What to search for (several words are joined).")
    List<String> words;

    @Option(names = "--index", paramLabel = "DIR", defaultValue = "funcpipe-index",
            description = "The index folder (default: ${DEFAULT-VALUE}).")
    Path index;

    @Option(names = {"--top", "-k"}, paramLabel = "K", defaultValue = "5",
            description = "How many chunks to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--filter", paramLabel = "FIELD=VALUE",
            description = "Only chunks whose metadata field equals VALUE, or, for numbers, lies in LOW..HIGH "
                    + "(inclusive; LOW.. or ..HIGH for one bound), e.g. --filter party=Republican --filter year=1860..1865. "
                    + "Repeatable: every filter must hold.")
    List<String> filters = List.of();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "vector",
            description = "vector (nearest chunks by meaning, default), keyword (BM25 over the chunks' words) "
                    + "or hybrid (both, fused by reciprocal rank fusion).")
    String mode;

    @Option(names = "--min-score", paramLabel = "SCORE",
            description = "Leave out hits scoring below SCORE (the mode's score: cosine similarity for vector, "
                    + "BM25 for keyword, the fused score for hybrid).")
    Double minScore;

    @Option(names = "--json", description = "Print a JSON array of {score, docId, chunkId, location, text, metadata}.")
    boolean json;

    @Option(names = {"--verbose", "-v"}, description = "Also print the informational log lines (model loading, ...).")
    boolean verbose;

    @Mixin
    EmbedderOptions embedder;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (top < 1 || top > SearchQuery.MAX_K) {
            throw new UsageException("--top must be from 1 to " + SearchQuery.MAX_K + ", got " + top);
        }
        SearchMode searchMode = IngestCommand.usage(() -> SearchMode.parse(mode));
        IndexManifest manifest = IndexManifest.read(index).orElseThrow(() -> new UsageException(
                "no index at " + index + ": run 'funcpipe ingest PATH --index " + index + "' first"));
        if (embedder.name != null && !manifest.embedder().startsWith(embedder.name)) {
            throw new UsageException("the index " + index + " was built with embedder '" + manifest.embedder()
                    + "'; query it with that one (leave out --embedder)");
        }
        List<MetadataFilter> conditions = filters.stream()
                .map(f -> IngestCommand.usage(() -> MetadataFilter.parse(f))).toList();
        String text = String.join(" ", words);
        if (text.isBlank()) {
            throw new UsageException("the query text is empty: give some words to search for");
        }
        SearchQuery query = IngestCommand.usage(() -> SearchQuery.text(text, top, searchMode).withFilters(conditions)
                .withMinScore(minScore == null ? Double.NEGATIVE_INFINITY : minScore));
        Main.verbose(verbose);
        LazyVertx vertx = new LazyVertx();
        try (EmbeddingModel model = EmbeddingChoice.open(embedder, index, vertx);
             LuceneVectorIndex vectors = IngestCommand.opened(LuceneVectorIndex.openReadOnly(index))) {
            Result<List<SearchHit>> hits = QueryPlan.describe(model.embedder(), vectors, query)
                    .open().await().indefinitely();
            PrintWriter out = spec.commandLine().getOut();
            switch (hits) {
                case Ok<List<SearchHit>>(List<SearchHit> found) -> print(out, found);
                case Err<List<SearchHit>>(ErrInfo e) -> {
                    spec.commandLine().getErr().println("funcpipe: the query failed: " + e.message());
                    return Main.FAILED;
                }
            }
            out.flush();
            return 0;
        } finally {
            vertx.close();
        }
    }

    private void print(PrintWriter out, List<SearchHit> hits) throws IOException {
        if (json) {
            ArrayNode array = ReportFormat.JSON.createArrayNode();
            for (SearchHit hit : hits) {
                ObjectNode item = array.addObject().put("score", hit.score()).put("docId", hit.docId())
                        .put("chunkId", hit.chunkId()).put("location", hit.location()).put("text", hit.text());
                ObjectNode metadata = item.putObject("metadata");
                new TreeMap<>(hit.metadata()).forEach(metadata::put);
            }
            out.println(ReportFormat.JSON.writeValueAsString(array));
            return;
        }
        if (hits.isEmpty()) {
            out.println(filters.isEmpty() ? "No chunks in " + index + " yet: ingest some documents first."
                    : "No chunk in " + index + " matches " + String.join(" and ", filters)
                    + " (filters compare the metadata fields exactly; ranges take numbers).");
            return;
        }
        int rank = 1;
        for (SearchHit hit : hits) {
            out.printf(Locale.ROOT, "%d. score %.4f  %s  (%s)%n", rank++, hit.score(), hit.docId(), hit.location());
            if (!hit.metadata().isEmpty()) {
                out.println("   " + new TreeMap<>(hit.metadata()).entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
            }
            String shown = hit.text().length() > SHOWN_CHARS ? hit.text().substring(0, SHOWN_CHARS) + "..." : hit.text();
            out.println("   " + shown.replace("\n", "\n   "));
        }
    }
}
