package io.funcpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link Main} in a JVM of its own, with the test's classpath and the given JVM options, and
 * waits (up to 3 minutes, then kills the process it started) for it to end.
 */
public final class ForkedMain {

    /** What a forked run printed and how it ended. */
    public record Ran(int exitCode, String stdout, String stderr) {
    }

    private ForkedMain() {
    }

    /**
     * Runs {@code funcpipe args} with {@code jvmOptions}; its output goes to files named after
     * {@code name} in {@code dir}. Fails the test when the process did not end in time.
     */
    public static Ran run(Path dir, String name, List<String> jvmOptions, List<String> args)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        Path out = dir.resolve(name + "-out.txt");
        Path err = dir.resolve(name + "-err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(finished).as("%s finished; stderr:%n%s", name, stderr).isTrue();
        return new Ran(process.exitValue(), stdout, stderr);
    }
}
