package io.funcpipe.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.Stage;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows an ingestion's progress on stderr: a progress bar over the input bytes (with rate and ETA)
 * when stderr is a terminal, a plain line every few seconds otherwise (logs, CI). It only reads the
 * run's counters; it never slows the run.
 */
final class ProgressDisplay implements AutoCloseable {

    private final IngestCounters counters;
    private final LongSupplier bytesRead;
    private final PrintWriter err;
    private final long totalBytes;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "funcpipe-progress");
        t.setDaemon(true);
        return t;
    });
    private final ProgressBar bar;

    private ProgressDisplay(IngestCounters counters, LongSupplier bytesRead, PrintWriter err, long totalBytes,
                            boolean terminal) {
        this.counters = counters;
        this.bytesRead = bytesRead;
        this.err = err;
        this.totalBytes = totalBytes;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName("ingest")
                    .setInitialMax(totalBytes > 0 ? totalBytes : -1)
                    .setUnit("MB", 1 << 20)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err))
                    .showSpeed()
                    .build();
            ticker.scheduleAtFixedRate(this::refreshBar, 200, 200, TimeUnit.MILLISECONDS);
        } else {
            bar = null;
            ticker.scheduleAtFixedRate(this::printLine, 2, 2, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts showing progress. {@code terminal} says whether stderr is a terminal; the launcher
     * tells ({@code -Dfuncpipe.tty}), else the presence of a console decides.
     */
    static ProgressDisplay start(IngestCounters counters, LongSupplier bytesRead, PrintWriter err, long totalBytes) {
        requireNonNull(counters, "counters");
        requireNonNull(bytesRead, "bytesRead");
        requireNonNull(err, "err");
        return new ProgressDisplay(counters, bytesRead, err, totalBytes, stderrIsTerminal());
    }

    /** Whether stderr is a terminal: the launcher tells ({@code -Dfuncpipe.tty}), else a console's presence decides. */
    static boolean stderrIsTerminal() {
        String tty = System.getProperty("funcpipe.tty");
        return tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
    }

    private void refreshBar() {
        bar.stepTo(bytesDone());
        bar.setExtraMessage(summary());
    }

    /** The input bytes whose work is done ({@link IngestCounters#bytesSettled()}). */
    private long bytesDone() {
        return counters.bytesSettled();
    }

    private void printLine() {
        double seconds = (System.nanoTime() - started) / 1e9;
        long bytes = bytesDone();
        String eta = "";
        if (totalBytes > 0 && bytes > 0) {
            double remaining = seconds * (totalBytes - bytes) / bytes;
            eta = String.format(Locale.ROOT, ", %.0f%% done, ETA %.0fs", 100.0 * bytes / totalBytes, remaining);
        }
        err.printf(Locale.ROOT, "ingest: %.0fs, %s, %.2f MB/s%s%n", seconds, summary(),
                bytesRead.getAsLong() / 1e6 / Math.max(seconds, 1e-3), eta);
        err.flush();
    }

    private String summary() {
        double seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-3);
        long chunks = counters.stage(Stage.INDEX).ok();
        return String.format(Locale.ROOT, "%d docs, %d chunks, %.1f chunks/s",
                counters.stage(Stage.PARSE).in(), chunks, chunks / seconds);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (bar != null) {
            refreshBar();
            bar.close();
        } else {
            printLine();
        }
    }
}
