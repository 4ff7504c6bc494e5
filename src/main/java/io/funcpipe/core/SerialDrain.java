package io.funcpipe.core;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The serialized drain loop of a demand-driven operator. {@link #run} may be called from any
 * thread at any time (a request, an item, a completion, a timer); one caller at a time runs the
 * operator's pass, and a call that arrives while a pass runs makes that caller run the pass once
 * more, so no signal is missed and the downstream is never called concurrently. A pass returns
 * {@code false} once the operator has terminated (completed, failed, cancelled): no pass runs
 * after that.
 */
public final class SerialDrain {

    private final AtomicInteger wip = new AtomicInteger();
    private final BooleanSupplier pass;

    /** {@code pass} does one round of work and says whether the operator is still live. */
    public SerialDrain(BooleanSupplier pass) {
        this.pass = requireNonNull(pass, "pass");
    }

    /** Runs the pass now, or makes the thread already running it run it again. */
    public void run() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            if (!pass.getAsBoolean()) {
                return; // terminated: wip stays above zero, so no pass runs again
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
