package io.funcpipe.service.bus;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.service.job.IndexAccess;

/**
 * Which stages a node hosts and how.
 *
 * @param instances          the stages hosted, each with its number of verticle instances (>= 1); at
 *                           least one stage
 * @param embedder           the node's embedding model; required when the node hosts
 *                           {@link BusStage#CLEAN} (its tokenizer sizes chunks) or {@link BusStage#EMBED},
 *                           else may be null (the model is then not loaded)
 * @param indexRoot          the folder holding one sub-folder per index; required when the node hosts
 *                           {@link BusStage#INDEX}, else may be null
 * @param sessionIdleTimeout how long a source session may go without a request before it is closed
 *                           with its files (a client that vanished); > 0, default
 *                           {@link #DEFAULT_SESSION_IDLE_TIMEOUT}
 * @param parse              what the parse stage lets a session read (this node's roots, URL policy
 *                           and limits, never a request's); default {@link ParseRules#anywhere()}
 * @param indexLimits        how many indexes the index stage keeps open, and for how long when idle;
 *                           default {@link IndexLimits#defaults()}
 * @param indexAccess        which callers may search which index ({@code auth.indexRoles}), checked by
 *                           the index API beside the index stage; default {@link IndexAccess#OPEN}
 */
public record StageHostOptions(Map<BusStage, Integer> instances, EmbedderSpec embedder, Path indexRoot,
                               Duration sessionIdleTimeout, ParseRules parse, IndexLimits indexLimits,
                               IndexAccess indexAccess) {

    /** Ten minutes: far longer than any pause between two pulls of a running job. */
    public static final Duration DEFAULT_SESSION_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public StageHostOptions {
        requireNonNull(instances, "instances");
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a stage host needs at least one stage; name some of parse, clean, "
                    + "embed, index");
        }
        EnumMap<BusStage, Integer> copy = new EnumMap<>(BusStage.class);
        instances.forEach((stage, n) -> {
            requireNonNull(stage, "stage");
            if (n == null || n < 1) {
                throw new IllegalArgumentException("instances of the " + stage.label() + " stage must be >= 1, got " + n);
            }
            copy.put(stage, n);
        });
        instances = Collections.unmodifiableMap(copy);
        if (embedder == null && (copy.containsKey(BusStage.CLEAN) || copy.containsKey(BusStage.EMBED))) {
            throw new IllegalArgumentException("the clean and embed stages need an embedding model: give an "
                    + "EmbedderSpec (the clean stage sizes chunks with its tokenizer)");
        }
        if (indexRoot == null && copy.containsKey(BusStage.INDEX)) {
            throw new IllegalArgumentException("the index stage needs an index root: the folder its indexes live in");
        }
        requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
            throw new IllegalArgumentException("sessionIdleTimeout must be positive, got " + sessionIdleTimeout);
        }
        requireNonNull(parse, "parse");
        requireNonNull(indexLimits, "indexLimits");
        requireNonNull(indexAccess, "indexAccess");
    }

    /** These options with every index open to every caller. */
    public StageHostOptions(Map<BusStage, Integer> instances, EmbedderSpec embedder, Path indexRoot,
                            Duration sessionIdleTimeout, ParseRules parse, IndexLimits indexLimits) {
        this(instances, embedder, indexRoot, sessionIdleTimeout, parse, indexLimits, IndexAccess.OPEN);
    }

    /** Every stage with {@code instances} instances each, the default idle timeout. */
    public static StageHostOptions all(int instances, EmbedderSpec embedder, Path indexRoot) {
        return of(Set.of(BusStage.values()), instances, embedder, indexRoot);
    }

    /** The given stages with {@code instances} instances each, the default idle timeout. */
    public static StageHostOptions of(Set<BusStage> stages, int instances, EmbedderSpec embedder, Path indexRoot) {
        requireNonNull(stages, "stages");
        Map<BusStage, Integer> map = new EnumMap<>(BusStage.class);
        stages.forEach(stage -> map.put(stage, instances));
        return new StageHostOptions(map, embedder, indexRoot, DEFAULT_SESSION_IDLE_TIMEOUT, ParseRules.anywhere(),
                IndexLimits.defaults());
    }

    /** The stages hosted. */
    public Set<BusStage> stages() {
        return instances.keySet();
    }

    /** Whether the node hosts {@code stage}. */
    public boolean hosts(BusStage stage) {
        return instances.containsKey(stage);
    }

    /** A copy hosting {@code stage} with {@code n} instances. */
    public StageHostOptions withInstances(BusStage stage, int n) {
        Map<BusStage, Integer> map = new EnumMap<>(instances);
        map.put(stage, n);
        return new StageHostOptions(map, embedder, indexRoot, sessionIdleTimeout, parse, indexLimits, indexAccess);
    }

    public StageHostOptions withSessionIdleTimeout(Duration sessionIdleTimeout) {
        return new StageHostOptions(instances, embedder, indexRoot, sessionIdleTimeout, parse, indexLimits, indexAccess);
    }

    public StageHostOptions withParse(ParseRules parse) {
        return new StageHostOptions(instances, embedder, indexRoot, sessionIdleTimeout, parse, indexLimits, indexAccess);
    }

    public StageHostOptions withIndexLimits(IndexLimits indexLimits) {
        return new StageHostOptions(instances, embedder, indexRoot, sessionIdleTimeout, parse, indexLimits, indexAccess);
    }

    public StageHostOptions withIndexAccess(IndexAccess indexAccess) {
        return new StageHostOptions(instances, embedder, indexRoot, sessionIdleTimeout, parse, indexLimits, indexAccess);
    }
}
