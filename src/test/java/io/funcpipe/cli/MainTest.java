package io.funcpipe.cli;

import static io.funcpipe.cli.Cli.funcpipe;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.cli.Cli.Run;

/** The top-level command line: help without escape codes when stdout is no terminal, usage errors exit 2. */
class MainTest {

    @Test
    @DisplayName("--help of every command: plain text, no escape codes, exit 0")
    void helpIsPlain() {
        String old = System.getProperty("funcpipe.stdout.tty");
        System.setProperty("funcpipe.stdout.tty", "false");
        try {
            for (String[] args : new String[][] {{"--help"}, {"ingest", "--help"}, {"query", "--help"},
                    {"serve", "--help"}, {"submit", "--help"}, {"jobs", "--help"}}) {
                Run run = funcpipe(args);
                assertThat(run.exit()).as(run.both()).isZero();
                assertThat(run.out()).startsWith("Usage: ").doesNotContain("\u001b");
                assertThat(run.err()).isEmpty();
            }
            assertThat(funcpipe("ingest", "--help").out().replaceAll("\\s+", " ")).contains("--verbose",
                    "4 nothing was indexed", "errors.jsonl");
            assertThat(funcpipe("query", "--help").out()).contains("--filter", "--verbose");
        } finally {
            if (old == null) {
                System.clearProperty("funcpipe.stdout.tty");
            } else {
                System.setProperty("funcpipe.stdout.tty", old);
            }
        }
    }

    @Test
    @DisplayName("an unknown option or command exits 2 and names it")
    void unknownOption() {
        Run option = funcpipe("query", "x", "--frobnicate");
        assertThat(option.exit()).isEqualTo(Main.USAGE);
        assertThat(option.err()).contains("--frobnicate");
        Run command = funcpipe("frobnicate");
        assertThat(command.exit()).isEqualTo(Main.USAGE);
        assertThat(command.err()).contains("frobnicate");
    }
}
