package io.funcpipe.core.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A virtual clock for policy tests. In {@link #instant()} mode a delay advances the clock by its
 * duration and completes at once (so backoffs are recorded, not waited); in {@link #manual()} mode
 * delays wait until {@link #fireAll()}. It counts delays started, completed and cancelled.
 */
final class TestTicker implements Ticker {

    private final boolean instant;
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Duration> recorded = new CopyOnWriteArrayList<>();
    private final List<UniEmitter<? super Void>> pending = new CopyOnWriteArrayList<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();

    private TestTicker(boolean instant) {
        this.instant = instant;
    }

    static TestTicker instant() {
        return new TestTicker(true);
    }

    static TestTicker manual() {
        return new TestTicker(false);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public Uni<Void> delay(Duration duration) {
        return Uni.createFrom().emitter(emitter -> {
            started.incrementAndGet();
            recorded.add(duration);
            emitter.onTermination(() -> {
                if (pending.remove(emitter)) {
                    cancelled.incrementAndGet();
                }
            });
            if (instant) {
                now.addAndGet(duration.toNanos());
                completed.incrementAndGet();
                emitter.complete(null);
            } else {
                pending.add(emitter);
            }
        });
    }

    /** Completes every pending delay (manual mode). */
    void fireAll() {
        for (UniEmitter<? super Void> emitter : new ArrayList<>(pending)) {
            if (pending.remove(emitter)) {
                completed.incrementAndGet();
                emitter.complete(null);
            }
        }
    }

    void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    List<Duration> delays() {
        return List.copyOf(recorded);
    }

    int pendingCount() {
        return pending.size();
    }
}
