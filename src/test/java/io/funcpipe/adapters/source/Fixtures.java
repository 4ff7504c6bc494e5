package io.funcpipe.adapters.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.RawDoc;

/** The fixture folder and small ways to run a source in tests. */
final class Fixtures {

    static final Path DIR = Path.of("src", "test", "resources", "fixtures");

    private Fixtures() {
    }

    static String path(String name) {
        return DIR.resolve(name).toString();
    }

    static SourceSet open(String name, SourceOptions options) {
        return Sources.open(List.of(path(name)), options, null);
    }

    static List<Result<RawDoc>> read(AsyncGen<RawDoc> docs) {
        return docs.collectAll().await().atMost(Duration.ofSeconds(30));
    }

    static List<RawDoc> oks(List<Result<RawDoc>> items) {
        return items.stream().filter(r -> r instanceof Ok<RawDoc>).map(r -> ((Ok<RawDoc>) r).value()).toList();
    }

    static List<ErrInfo> errs(List<? extends Result<?>> items) {
        return items.stream().filter(r -> r instanceof Err<?>).map(r -> ((Err<?>) r).error()).toList();
    }
}
