package io.funcpipe.cli;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM during an ingest: the first signal runs {@code onSignal} (which
 * cancels the run's stream so that the command can commit what was indexed and say so) and gives
 * the signals back to the JVM, so a second one ends the process at once. {@link #close()} restores
 * the previous handlers. Exit code: 130 after SIGINT, 143 after SIGTERM (128 + the signal number).
 *
 * <p>The place where "continue where it stopped" hooks in: {@link #signal()} tells the command the
 * run was interrupted, before it commits.
 */
final class IngestInterrupt implements AutoCloseable {

    private final AtomicReference<String> received = new AtomicReference<>();
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private IngestInterrupt() {
    }

    /** Handles SIGINT and SIGTERM until closed; {@code onSignal} runs once, on the signal's thread. */
    static IngestInterrupt install(Runnable onSignal) {
        requireNonNull(onSignal, "onSignal");
        IngestInterrupt interrupt = new IngestInterrupt();
        for (String name : List.of("INT", "TERM")) {
            Signal signal = new Signal(name);
            SignalHandler handler = s -> {
                if (interrupt.received.compareAndSet(null, s.getName())) {
                    interrupt.restore();
                    onSignal.run();
                }
            };
            try {
                interrupt.previous.add(Signal.handle(signal, handler));
                interrupt.signals.add(signal);
            } catch (IllegalArgumentException e) {
                // this platform or JVM (-Xrs) does not let us handle it: the JVM's default stays
            }
        }
        return interrupt;
    }

    /** The signal received ({@code "INT"} or {@code "TERM"}), or null while none was. */
    String signal() {
        return received.get();
    }

    /** 130 after SIGINT, 143 after SIGTERM. */
    int exitCode() {
        return "TERM".equals(received.get()) ? 143 : 130;
    }

    private synchronized void restore() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
        signals.clear();
        previous.clear();
    }

    @Override
    public void close() {
        restore();
    }
}
