package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Memory does not grow with input size: 10,000,000 items go through a map / flatMap / batch
 * chain in a JVM whose heap is capped at 64 MiB.
 */
@DisplayName("bounded memory")
class BoundedMemoryTest {

    private static final long ITEMS = 10_000_000L;

    @Test
    @DisplayName("10,000,000 items through map, flatMap and batch(10, 1 min) in a 64 MiB heap")
    void tenMillionItemsInSixtyFourMiB() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                BoundedMemoryMain.class.getName(), Long.toString(ITEMS), "10", "60000"))
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(finished).as("finished; output:%n%s", output).isTrue();
        assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("count=" + ITEMS + System.lineSeparator());
        assertThat(output).contains("errors=0 ");
        assertThat(output).contains("sumOk=" + ITEMS * (ITEMS - 1) / 2 + " ");
    }
}
