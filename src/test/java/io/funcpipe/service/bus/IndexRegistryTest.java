package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.LIMIT;
import static io.funcpipe.service.bus.BusTesting.await;
import static io.funcpipe.service.bus.BusTesting.err;
import static io.funcpipe.service.bus.BusTesting.ok;
import static io.funcpipe.service.bus.BusTesting.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.adapters.embed.HashingEmbedder;
import io.funcpipe.adapters.index.LuceneVectorIndex;
import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.vertx.core.Vertx;

@DisplayName("index registry: leases, idle indexes closed, room made under index.maxOpen")
class IndexRegistryTest {

    private static final int DIMS = 16;
    private static final HashingEmbedder EMBEDDER = HashingEmbedder.of(DIMS);

    @TempDir
    Path root;

    private Vertx vertx;
    private IndexRegistry registry;

    @BeforeEach
    void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            await(registry.release());
            assertThat(registry.openCount()).as("open indexes after the registry's release").isZero();
        }
        await(vertx.close());
    }

    private IndexRegistry start(int maxOpen, Duration idleClose) {
        registry = new IndexRegistry(vertx, root, new IndexLimits(maxOpen, idleClose));
        registry.retain();
        return registry;
    }

    private IndexRegistry start(int maxOpen, Duration idleClose, AtomicLong clock) {
        registry = new IndexRegistry(vertx, root, new IndexLimits(maxOpen, idleClose), clock::get);
        registry.retain();
        return registry;
    }

    private static IndexTarget target(String name) {
        return new IndexTarget(name, "hash", DIMS);
    }

    private IndexLease lease(String name) {
        return ok(await(registry.index(target(name))));
    }

    private static List<EmbeddedChunk> chunks(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new EmbeddedChunk(
                new Chunk(id, "doc-" + id, id + ":1", 0, "text of " + id, 3, Map.of()), EMBEDDER.vector(id))).toList();
    }

    /** Writes the chunks on a lease of its own (released when the write is acknowledged). */
    private void write(String name, String... ids) {
        Result<Integer> written = lease(name).run(index -> index.upsert(chunks(ids))).await().atMost(LIMIT);
        assertThat(ok(written)).isEqualTo(ids.length);
    }

    /** The chunks committed in the folder, read with a writer of the test's own (so the registry's lock is free). */
    private long committedChunks(String name) {
        try (LuceneVectorIndex index = ok(LuceneVectorIndex.open(root.resolve(name), DIMS))) {
            return index.count();
        }
    }

    @Nested
    @DisplayName("idle close")
    class IdleClose {

        @Test
        @DisplayName("an index unused for idleClose is closed, which commits it and frees its folder; the next request reopens it")
        void idleIndexClosed() {
            start(4, Duration.ofMillis(300));
            write("a", "a1", "a2");
            write("a", "a3");
            assertThat(registry.openCount()).isEqualTo(1);

            try (Closes closes = new Closes()) {
                until(() -> registry.openCount() == 0, "the idle index is closed");
                assertThat(closes.lines()).containsExactly("closed index 'a' at " + root.resolve("a")
                        + ": unused for PT0.3S (index.idleClose)");
            }

            assertThat(committedChunks("a")).isEqualTo(3);
            IndexLease again = lease("a");
            assertThat(again.index().count()).isEqualTo(3);
            again.release();
        }

        @Test
        @DisplayName("a lease held across the idle time keeps its index open while an unleased one is closed")
        void leaseKeepsOpen() {
            start(4, Duration.ofMillis(300));
            IndexLease held = lease("held");
            write("other", "o1");
            assertThat(registry.openCount()).isEqualTo(2);

            // "other" was used after "held" was leased: a sweep that closes it found "held" idle at least as long
            until(() -> registry.openCount() == 1, "the unleased index is closed");

            assertThat(ok(held.index().upsert(chunks("h1", "h2")).open().await().atMost(LIMIT))).isEqualTo(2);
            held.release();
            until(() -> registry.openCount() == 0, "the released index is closed");
            assertThat(committedChunks("held")).isEqualTo(2);
            assertThat(committedChunks("other")).isEqualTo(1);
        }

        @Test
        @DisplayName("a request for an index the sweep is closing waits for the close, then reopens the folder (20 cycles)")
        void requestDuringIdleCloseWaits() {
            AtomicLong clock = new AtomicLong();
            start(4, Duration.ofSeconds(1), clock);
            for (int i = 0; i < 20; i++) {
                write("a", "a" + i);
                clock.addAndGet(Duration.ofSeconds(2).toNanos());
                registry.sweep(); // starts closing "a" on a worker
                write("a", "b" + i); // at once: must wait for that close, not fail on Lucene's write lock
                clock.addAndGet(Duration.ofSeconds(2).toNanos());
                registry.sweep();
            }
            await(registry.release());
            registry = null;
            assertThat(committedChunks("a")).isEqualTo(40);
        }

        @Test
        @DisplayName("idleClose 0 never closes an idle index")
        void zeroNeverCloses() {
            AtomicLong clock = new AtomicLong();
            start(4, Duration.ZERO, clock);
            write("a", "a1");
            clock.addAndGet(Duration.ofDays(365).toNanos());

            registry.sweep();

            assertThat(registry.openCount()).isEqualTo(1);
            assertThat(ok(lease("a").run(index -> index.upsert(chunks("a2"))).await().atMost(LIMIT))).isEqualTo(1);
        }
    }

    @Nested
    @DisplayName("index.maxOpen")
    class MaxOpen {

        @Test
        @DisplayName("at the limit the least recently used unleased index is closed for the new one; all leased: UNAVAILABLE")
        void makesRoomOrRefuses() {
            start(1, Duration.ZERO);
            write("a", "a1", "a2");

            IndexLease b;
            try (Closes closes = new Closes()) {
                b = lease("b");
                assertThat(closes.lines()).containsExactly("closed index 'a' at " + root.resolve("a")
                        + ": the least recently used of the 1 open indexes (index.maxOpen), closed to open 'b'");
            }
            assertThat(registry.openCount()).isEqualTo(1);
            assertThat(committedChunks("a")).as("a was closed (committed, lock free) before b opened").isEqualTo(2);
            b.release();

            IndexLease a = lease("a");
            ErrInfo refused = err(await(registry.index(target("b"))));
            assertThat(refused.code()).isEqualTo(ErrCode.UNAVAILABLE);
            assertThat(refused.message()).isEqualTo("cannot open the index 'b': all 1 open indexes are busy "
                    + "(index.maxOpen is 1; an index no operation uses is closed to make room); retry shortly, or ask "
                    + "the operator to raise index.maxOpen");
            assertThat(registry.openCount()).isEqualTo(1);

            a.release();
            IndexLease bAgain = lease("b");
            assertThat(registry.openCount()).isEqualTo(1);
            bAgain.release();
        }

        @Test
        @DisplayName("the least recently used of the unleased indexes is the one closed")
        void leastRecentlyUsed() {
            start(2, Duration.ZERO);
            write("a", "a1");
            write("b", "b1");
            write("a", "a2"); // b is now the least recently used

            write("c", "c1");

            assertThat(registry.openCount()).isEqualTo(2);
            assertThat(committedChunks("b")).as("b closed, its folder free").isEqualTo(1);
            assertThat(err(LuceneVectorIndex.open(root.resolve("a"), DIMS)).message())
                    .as("a is still open in the registry").contains("locked by another writer");
        }

        @Test
        @DisplayName("a request that fails (another embedder) holds no lease: its index can still be closed for another")
        void failedRequestHoldsNothing() {
            start(1, Duration.ZERO);
            write("a", "a1");

            ErrInfo mismatch = err(await(registry.index(new IndexTarget("a", "minilm", DIMS))));
            assertThat(mismatch.code()).isEqualTo(ErrCode.INDEX_FAILED);
            ErrInfo badName = err(await(registry.index(target(".git"))));
            assertThat(badName.code()).isEqualTo(ErrCode.INVALID_INPUT);

            write("b", "b1");
            assertThat(committedChunks("a")).isEqualTo(1);
        }

        @Test
        @DisplayName("evict and reopen in quick turns (maxOpen 1, then 2 with requests sent together): every acknowledged write is kept")
        void rapidEvictions() {
            Map<String, Integer> expected = new java.util.TreeMap<>();
            start(1, Duration.ZERO);
            for (int i = 0; i < 25; i++) {
                write("a", "a" + i);
                write("b", "b" + i); // closes a, waits for that close, opens b; the next turn does the reverse
                expected.merge("a", 1, Integer::sum);
                expected.merge("b", 1, Integer::sum);
            }
            await(registry.release());

            start(2, Duration.ZERO);
            List<String> names = List.of("a", "b", "c");
            for (int i = 0; i < 20; i++) {
                String first = names.get(i % 3);
                String second = names.get((i + 1) % 3);
                String third = names.get((i + 2) % 3);
                write(first, first + "-x" + i);
                write(second, second + "-x" + i);
                // third evicts first (the least recently used); first, asked for at once, evicts second and
                // waits for both closes, the one of its own folder included
                var thirdLease = registry.index(target(third));
                var firstLease = registry.index(target(first));
                String y = "-y" + i;
                assertThat(ok(ok(await(thirdLease)).run(index -> index.upsert(chunks(third + y))).await().atMost(LIMIT)))
                        .isEqualTo(1);
                assertThat(ok(ok(await(firstLease)).run(index -> index.upsert(chunks(first + y))).await().atMost(LIMIT)))
                        .isEqualTo(1);
                assertThat(registry.openCount()).isLessThanOrEqualTo(2);
                expected.merge(first, 2, Integer::sum);
                expected.merge(second, 1, Integer::sum);
                expected.merge(third, 1, Integer::sum);
            }
            await(registry.release());
            registry = null;

            Map<String, Integer> committed = new java.util.TreeMap<>();
            for (String name : expected.keySet()) {
                committed.put(name, (int) committedChunks(name));
            }
            assertThat(committed).isEqualTo(expected);
        }

        @Test
        @DisplayName("four callers on four indexes with maxOpen 2 and sweeps in between: never more than 2 open, every acknowledged write kept")
        void concurrentCallers() throws Exception {
            AtomicLong clock = new AtomicLong();
            start(2, Duration.ofSeconds(1), clock);
            List<String> names = List.of("a", "b", "c", "d");
            Map<String, Set<String>> acknowledged = new ConcurrentHashMap<>();
            AtomicLong mostOpen = new AtomicLong();
            AtomicLong refusals = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> callers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int caller = t;
                    callers.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            String name = names.get((caller + i) % names.size());
                            String id = name + "-" + caller + "-" + i;
                            IndexLease lease = leaseRetrying(name, refusals);
                            mostOpen.accumulateAndGet(registry.openCount(), Math::max);
                            assertThat(ok(lease.run(index -> index.upsert(chunks(id))).await().atMost(LIMIT))).isEqualTo(1);
                            acknowledged.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(id);
                            clock.addAndGet(Duration.ofMillis(700).toNanos());
                            registry.sweep();
                            mostOpen.accumulateAndGet(registry.openCount(), Math::max);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : callers) {
                    f.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            await(registry.release());
            registry = null;

            assertThat(mostOpen.get()).as("most indexes seen open").isLessThanOrEqualTo(2);
            assertThat(acknowledged.values().stream().mapToInt(Set::size).sum()).isEqualTo(100);
            for (String name : names) {
                assertThat(committedChunks(name)).as("chunks committed in " + name).isEqualTo(acknowledged.get(name).size());
            }
        }
    }

    /** The registry's INFO lines about closed indexes while it is open (the test logging shows only warnings). */
    private static final class Closes implements AutoCloseable {
        private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(IndexRegistry.class.getName());
        private final java.util.logging.Level level = logger.getLevel();
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final java.util.logging.Handler handler = new java.util.logging.Handler() {
            private final java.util.logging.Formatter formatter = new java.util.logging.SimpleFormatter();

            @Override
            public void publish(java.util.logging.LogRecord record) {
                String line = formatter.formatMessage(record);
                if (record.getLevel() == java.util.logging.Level.INFO && line.startsWith("closed index")) {
                    lines.add(line);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        Closes() {
            logger.setLevel(java.util.logging.Level.INFO);
            logger.setUseParentHandlers(false);
            logger.addHandler(handler);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
            logger.setLevel(level);
        }
    }

    /** A lease on {@code name}, asking again while every open index is busy (counted in {@code refusals}). */
    private IndexLease leaseRetrying(String name, AtomicLong refusals) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            switch (await(registry.index(target(name)))) {
                case Ok<IndexLease>(IndexLease lease) -> {
                    return lease;
                }
                case Err<IndexLease>(ErrInfo error) -> {
                    assertThat(error.code()).as(error.message()).isEqualTo(ErrCode.UNAVAILABLE);
                    assertThat(System.nanoTime()).as("still refused after " + LIMIT + ": " + error.message())
                            .isLessThan(deadline);
                    refusals.incrementAndGet();
                    Thread.yield();
                }
            }
        }
    }
}
