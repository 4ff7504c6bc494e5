package io.funcpipe.adapters.embed;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;

/**
 * A measured embedding rate.
 *
 * @param embedder the embedder's {@code name()}
 * @param chunks   how many texts were embedded in the timed run
 * @param tokens   how many model tokens they held (special tokens included, capped at the window)
 * @param elapsed  the wall-clock time of the timed run
 * @param cpu      the CPU time the whole process used during the timed run (all threads, native ones
 *                 included), or {@link Duration#ZERO} when the JVM cannot tell; on a shared machine
 *                 chunks per CPU-second is steadier than chunks per second
 */
public record Throughput(String embedder, int chunks, long tokens, Duration elapsed, Duration cpu) {

    public Throughput {
        requireNonNull(embedder, "embedder");
        requireNonNull(elapsed, "elapsed");
        requireNonNull(cpu, "cpu");
    }

    public double chunksPerSecond() {
        return chunks / seconds();
    }

    public double tokensPerSecond() {
        return tokens / seconds();
    }

    /** Chunks per second of process CPU time, or 0 when the CPU time is not known. */
    public double chunksPerCpuSecond() {
        return cpu.isZero() ? 0 : chunks / (cpu.toNanos() / 1e9);
    }

    /**
     * One line for reports, such as {@code minilm: 2400 chunks, 288000 tokens in 19.3 s = 124.1 chunks/s,
     * 14922 tokens/s; process CPU 38.2 s = 62.8 chunks per CPU-second}.
     */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d chunks, %d tokens in %.1f s = %.1f chunks/s, %.0f tokens/s; "
                        + "process CPU %.1f s = %.1f chunks per CPU-second",
                embedder, chunks, tokens, seconds(), chunksPerSecond(), tokensPerSecond(),
                cpu.toNanos() / 1e9, chunksPerCpuSecond());
    }

    private double seconds() {
        return Math.max(1, elapsed.toNanos()) / 1e9;
    }
}
