package io.funcpipe.service.job;

import java.util.ArrayDeque;
import java.util.Deque;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * A test's tap on embed calls: a call passes when the valve has a permit for it, else it waits
 * (holding its gate permit) until the test {@link #allow allows} more or {@link #open opens} it.
 * A waiting call that is cancelled leaves the queue. Nothing here depends on time.
 */
final class Valve {

    private final Deque<UniEmitter<? super Void>> waiting = new ArrayDeque<>();
    private long permits;
    private int waitingCount;

    private Valve(long permits) {
        this.permits = permits;
    }

    static Valve opened() {
        return new Valve(Long.MAX_VALUE);
    }

    static Valve closed() {
        return new Valve(0);
    }

    /** Lets {@code n} more calls pass. */
    void allow(int n) {
        release(n);
    }

    /** Lets every call pass from now on. */
    void open() {
        release(Long.MAX_VALUE);
    }

    /** Calls waiting at the valve now. */
    synchronized int waiting() {
        return waitingCount;
    }

    /** Completes when this call may pass. */
    Uni<Void> pass() {
        return Uni.createFrom().emitter(emitter -> {
            synchronized (this) {
                if (permits > 0) {
                    permits = permits == Long.MAX_VALUE ? permits : permits - 1;
                } else {
                    waiting.add(emitter);
                    waitingCount++;
                    emitter.onTermination(() -> {
                        synchronized (this) {
                            if (waiting.remove(emitter)) {
                                waitingCount--;
                            }
                        }
                    });
                    return;
                }
            }
            emitter.complete(null);
        });
    }

    private void release(long n) {
        Deque<UniEmitter<? super Void>> passing = new ArrayDeque<>();
        synchronized (this) {
            permits = n == Long.MAX_VALUE || permits == Long.MAX_VALUE ? Long.MAX_VALUE : permits + n;
            while (permits > 0 && !waiting.isEmpty()) {
                passing.add(waiting.poll());
                waitingCount--;
                if (permits != Long.MAX_VALUE) {
                    permits--;
                }
            }
        }
        passing.forEach(emitter -> emitter.complete(null));
    }
}
