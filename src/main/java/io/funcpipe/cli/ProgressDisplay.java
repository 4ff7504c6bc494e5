package io.funcpipe.cli;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.Stage;

/**
 * Shows an ingestion's progress on stderr: one line redrawn in place (carriage return and
 * erase-line) when stderr is a terminal, a plain line every few seconds otherwise (logs, CI: no
 * escape codes). Both show the same text, {@link #render}: settled bytes of the total in a unit
 * that fits (B, KB, MB, GB), percent, rate, ETA, documents and chunks. It only reads the run's
 * counters; it never slows the run.
 */
final class ProgressDisplay implements AutoCloseable {

    private static final String ERASE_LINE = "\u001b[K";

    private final IngestCounters counters;
    private final PrintWriter err;
    private final long totalBytes;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private String lastLine;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "funcpipe-progress");
        t.setDaemon(true);
        return t;
    });

    private ProgressDisplay(IngestCounters counters, PrintWriter err, long totalBytes, boolean terminal) {
        this.counters = counters;
        this.err = err;
        this.totalBytes = totalBytes;
        this.terminal = terminal;
        if (terminal) {
            ticker.scheduleAtFixedRate(this::redraw, 200, 200, TimeUnit.MILLISECONDS);
        } else {
            ticker.scheduleAtFixedRate(this::printLine, 2, 2, TimeUnit.SECONDS);
        }
    }

    /** Starts showing progress; the terminal check is {@link #stderrIsTerminal()}. */
    static ProgressDisplay start(IngestCounters counters, PrintWriter err, long totalBytes) {
        requireNonNull(counters, "counters");
        requireNonNull(err, "err");
        return new ProgressDisplay(counters, err, totalBytes, stderrIsTerminal());
    }

    /** Whether stderr is a terminal: the launcher tells ({@code -Dfuncpipe.tty}), else a console's presence decides. */
    static boolean stderrIsTerminal() {
        String tty = System.getProperty("funcpipe.tty");
        return tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
    }

    /** Whether stdout is a terminal (colours in help): {@code -Dfuncpipe.stdout.tty} from the launcher, else a console's presence. */
    static boolean stdoutIsTerminal() {
        String tty = System.getProperty("funcpipe.stdout.tty");
        return tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
    }

    /**
     * The progress text: {@code "ingest: 1.2 MB/1.9 MB 63%, 0.4 MB/s, ETA 2s, 40 docs, 1288 chunks, 310.2 chunks/s"};
     * without a known total (a URL), no percent and no ETA.
     */
    static String render(double seconds, long bytesDone, long totalBytes, long docs, long chunks) {
        double s = Math.max(seconds, 1e-3);
        StringBuilder line = new StringBuilder("ingest: ").append(bytes(bytesDone));
        if (totalBytes > 0) {
            line.append('/').append(bytes(totalBytes))
                    .append(String.format(Locale.ROOT, " %d%%", Math.min(100, 100 * bytesDone / totalBytes)));
        }
        line.append(", ").append(bytes((long) (bytesDone / s))).append("/s");
        if (totalBytes > 0 && bytesDone > 0 && bytesDone < totalBytes) {
            line.append(", ETA ").append(duration(s * (totalBytes - bytesDone) / bytesDone));
        }
        line.append(String.format(Locale.ROOT, ", %d docs, %d chunks, %.1f chunks/s, %s", docs, chunks, chunks / s,
                duration(seconds)));
        return line.toString();
    }

    /** A byte count in the largest unit (KB = 1000 B, ...) that keeps it at least 1, one decimal above B. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int unit = -1;
        while (v >= 999.95 && unit < units.length - 1) {
            v /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
    }

    /** Seconds as {@code 42s}, {@code 7m23s} or {@code 2h05m}. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    private String now() {
        return render((System.nanoTime() - started) / 1e9, counters.bytesSettled(), totalBytes,
                counters.stage(Stage.PARSE).in(), counters.stage(Stage.INDEX).ok());
    }

    private synchronized void redraw() {
        err.print("\r" + now() + ERASE_LINE);
        err.flush();
    }

    private synchronized void printLine() {
        lastLine = counts();
        err.println(now());
        err.flush();
    }

    /** What a plain line reports besides time and rate: the last line is not repeated at the end when these did not change. */
    private String counts() {
        return counters.bytesSettled() + "/" + counters.stage(Stage.PARSE).in() + "/" + counters.stage(Stage.INDEX).ok();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) {
            redraw();
            err.println();
        } else if (!counts().equals(lastLine)) {
            printLine();
        }
        err.flush();
    }
}
