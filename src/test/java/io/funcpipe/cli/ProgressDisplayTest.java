package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The progress text as rendered, in every unit. */
class ProgressDisplayTest {

    @Test
    @DisplayName("byte counts in B, KB, MB, GB, TB with one decimal above bytes")
    void bytes() {
        assertThat(ProgressDisplay.bytes(0)).isEqualTo("0 B");
        assertThat(ProgressDisplay.bytes(999)).isEqualTo("999 B");
        assertThat(ProgressDisplay.bytes(1_000)).isEqualTo("1.0 KB");
        assertThat(ProgressDisplay.bytes(45_300)).isEqualTo("45.3 KB");
        assertThat(ProgressDisplay.bytes(999_940)).isEqualTo("999.9 KB");
        assertThat(ProgressDisplay.bytes(999_960)).isEqualTo("1.0 MB");
        assertThat(ProgressDisplay.bytes(1_900_000)).isEqualTo("1.9 MB");
        assertThat(ProgressDisplay.bytes(2_500_000_000L)).isEqualTo("2.5 GB");
        assertThat(ProgressDisplay.bytes(3_200_000_000_000L)).isEqualTo("3.2 TB");
    }

    @Test
    @DisplayName("durations in s, m and h")
    void durations() {
        assertThat(ProgressDisplay.duration(0.4)).isEqualTo("0s");
        assertThat(ProgressDisplay.duration(42)).isEqualTo("42s");
        assertThat(ProgressDisplay.duration(443)).isEqualTo("7m23s");
        assertThat(ProgressDisplay.duration(7500)).isEqualTo("2h05m");
    }

    @Test
    @DisplayName("a 1.9 MB file half done: sizes, percent, rate, ETA, a space before the counts")
    void halfDone() {
        assertThat(ProgressDisplay.render(2.0, 950_000, 1_900_000, 40, 1288))
                .isEqualTo("ingest: 950.0 KB/1.9 MB 50%, 475.0 KB/s, ETA 2s, 40 docs, 1288 chunks, 644.0 chunks/s, 2s");
    }

    @Test
    @DisplayName("slow, large and unknown totals")
    void otherSizes() {
        assertThat(ProgressDisplay.render(10, 500, 2_000, 1, 2))
                .isEqualTo("ingest: 500 B/2.0 KB 25%, 50 B/s, ETA 30s, 1 docs, 2 chunks, 0.2 chunks/s, 10s");
        assertThat(ProgressDisplay.render(100, 1_200_000_000L, 4_800_000_000L, 9000, 500_000))
                .isEqualTo("ingest: 1.2 GB/4.8 GB 25%, 12.0 MB/s, ETA 5m00s, 9000 docs, 500000 chunks, 5000.0 chunks/s, 1m40s");
        assertThat(ProgressDisplay.render(3, 3_000_000, -1, 5, 60))
                .as("a URL: no total, no percent, no ETA")
                .isEqualTo("ingest: 3.0 MB, 1.0 MB/s, 5 docs, 60 chunks, 20.0 chunks/s, 3s");
        assertThat(ProgressDisplay.render(1, 1_900_000, 1_900_000, 1, 10))
                .isEqualTo("ingest: 1.9 MB/1.9 MB 100%, 1.9 MB/s, 1 docs, 10 chunks, 10.0 chunks/s, 1s");
    }
}
