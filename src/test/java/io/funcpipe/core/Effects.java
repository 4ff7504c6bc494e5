package io.funcpipe.core;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Counts every effect a test pipeline performs: sources opened, items produced, user functions
 * called, resources acquired and released. A description that performs an effect shows it here.
 */
final class Effects {

    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger produced = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger acquired = new AtomicInteger();
    final AtomicInteger released = new AtomicInteger();
    final Set<Integer> resources = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextResource = new AtomicInteger();

    /** A source of the given results; {@link #produced} counts the items it has been asked for. */
    AsyncGen<Integer> source(List<Result<Integer>> items) {
        return AsyncGen.defer(() -> {
            opened.incrementAndGet();
            return Multi.createFrom().iterable(items).onItem().invoke(produced::incrementAndGet);
        });
    }

    /** A source of 0, 1, 2, ... that never ends on its own. */
    AsyncGen<Integer> endless() {
        return AsyncGen.defer(() -> {
            opened.incrementAndGet();
            Iterable<Result<Integer>> naturals = () -> new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Result<Integer> next() {
                    produced.incrementAndGet();
                    return Result.ok(next++);
                }
            };
            return Multi.createFrom().iterable(naturals);
        });
    }

    /** A counted resource around {@code body}: acquire hands out a fresh id, release records it. */
    AsyncGen<Integer> using(AsyncGen<Integer> body) {
        AsyncPlan<Integer> acquire = AsyncPlan.defer(() -> Uni.createFrom().item(() -> {
            acquired.incrementAndGet();
            int id = nextResource.incrementAndGet();
            resources.add(id);
            return Result.ok(id);
        }));
        return AsyncGen.using(acquire,
                id -> Uni.createFrom().voidItem().invoke(released::incrementAndGet),
                id -> body);
    }

    /** Whether nothing at all has happened. */
    boolean none() {
        return opened.get() == 0 && produced.get() == 0 && calls.get() == 0
                && acquired.get() == 0 && released.get() == 0;
    }

    @Override
    public String toString() {
        return "Effects[opened=" + opened + ", produced=" + produced + ", calls=" + calls
                + ", acquired=" + acquired + ", released=" + released + "]";
    }

    static final Duration BATCH_WAIT = Duration.ofSeconds(5);
}
