package io.funcpipe.core;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts work that is running now, and remembers the most that ever ran at once. */
final class InFlight {

    private final AtomicInteger now = new AtomicInteger();
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();

    void enter() {
        started.incrementAndGet();
        int current = now.incrementAndGet();
        max.accumulateAndGet(current, Math::max);
    }

    void exit() {
        now.decrementAndGet();
    }

    int now() {
        return now.get();
    }

    int max() {
        return max.get();
    }

    int started() {
        return started.get();
    }
}
