package io.funcpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.funcpipe.adapters.index.IndexManifest;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.rag.Deletion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code funcpipe delete}: documents out of an index, their chunks and records in one commit. */
@Command(name = "delete", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Delete documents from an index by document id (as `stats`, search hits and errors name them): "
                + "each one's chunks and record go in one commit.",
                "Exit codes: 0 every id was deleted, 1 the index cannot be opened or written, 2 usage error, "
                        + "5 some ids are not in the index (the others were deleted)."})
final class DeleteCommand implements Callable<Integer> {

    /** Some of the ids named were not in the index. */
    static final int NOT_FOUND = 5;

    @Option(names = "--index", paramLabel = "DIR", defaultValue = "funcpipe-index",
            description = "The index folder (default: ${DEFAULT-VALUE}).")
    Path index;

    @Parameters(arity = "1..*", paramLabel = "DOC_ID", description = "Document ids to delete.")
    List<String> ids;

    @Option(names = "--json", description = "Print {\"documents\": N, \"chunks\": M, \"asked\": K} on stdout.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isDirectory(index)) {
            err.println("funcpipe: there is no index at " + index + " (no such directory): check --index");
            return Main.FAILED;
        }
        int dimensions = IndexManifest.read(index).map(IndexManifest::dimensions).orElse(0);
        if (dimensions == 0) {
            err.println("funcpipe: the index at " + index + " has no " + IndexManifest.FILE_NAME
                    + ": it was not written by funcpipe ingest, check --index");
            return Main.FAILED;
        }
        LuceneVectorIndex vectors = IngestCommand.opened(LuceneVectorIndex.open(index, dimensions));
        Deletion deleted;
        try (vectors) {
            deleted = switch (vectors.delete(ids).flatMap(d -> vectors.commit().map(n -> d)).open().await().indefinitely()) {
                case Ok<Deletion>(Deletion d) -> d;
                case Err<Deletion>(ErrInfo e) -> throw new IllegalStateException(e.message());
            };
        }
        long asked = ids.stream().distinct().count();
        if (json) {
            out.println("{\"documents\": " + deleted.documents() + ", \"chunks\": " + deleted.chunks()
                    + ", \"asked\": " + asked + "}");
        } else {
            out.printf(Locale.ROOT, "deleted %d of %d documents (%d chunks) from %s%n", deleted.documents(), asked,
                    deleted.chunks(), index);
        }
        out.flush();
        if (deleted.documents() < asked) {
            err.printf(Locale.ROOT, "funcpipe: %d of the ids are not in %s (see `funcpipe stats` or a search hit's docId)%n",
                    asked - deleted.documents(), index);
            err.flush();
            return NOT_FOUND;
        }
        return 0;
    }
}
