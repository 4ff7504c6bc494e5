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
 */
public record Throughput(String embedder, int chunks, long tokens, Duration elapsed) {

    public Throughput {
        requireNonNull(embedder, "embedder");
        requireNonNull(elapsed, "elapsed");
    }

    public double chunksPerSecond() {
        return chunks / seconds();
    }

    public double tokensPerSecond() {
        return tokens / seconds();
    }

    /** One line for reports, such as {@code minilm: 2400 chunks, 288000 tokens in 19.3 s = 124.1 chunks/s, 14890 tokens/s}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d chunks, %d tokens in %.1f s = %.1f chunks/s, %.0f tokens/s",
                embedder, chunks, tokens, seconds(), chunksPerSecond(), tokensPerSecond());
    }

    private double seconds() {
        return Math.max(1, elapsed.toNanos()) / 1e9;
    }
}
