package io.funcpipe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code funcpipe} command line. Exit codes: 0 the run completed (item errors are reported,
 * not fatal), 1 the run could not proceed, 2 usage error, 3 {@code --strict} and an item failed,
 * 4 nothing was indexed, 130/143 an ingest interrupted by SIGINT/SIGTERM (what was indexed is committed).
 */
@Command(name = "funcpipe", mixinStandardHelpOptions = true, version = "funcpipe 0.1.0",
        description = {"Ingest documents into a local vector index and query it (ingest, query),",
                "or run the same pipeline as a service and submit jobs to it (serve, submit, jobs)."},
        subcommands = {IngestCommand.class, DeleteCommand.class, QueryCommand.class, ServeCommand.class, SubmitCommand.class, JobsCommand.class, StatsCommand.class, TokenCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code: the run could not proceed. */
    static final int FAILED = 1;
    /** Exit code: the command line was wrong. */
    static final int USAGE = 2;
    /** Exit code: {@code --strict} and at least one item failed. */
    static final int ITEMS_FAILED = 3;
    /** Exit code: nothing was indexed (no document found, or every document failed). */
    static final int NOTHING_INDEXED = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        configureLogging();
        System.exit(run(args));
    }

    /**
     * One-line log records on stderr, libraries at WARNING ({@code funcpipe-logging.properties} in
     * the jar), unless the user points {@code java.util.logging.config.file} at their own file.
     */
    static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("/funcpipe-logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("funcpipe: could not read the logging configuration: " + e.getMessage());
        }
    }

    /** Held so the level sticks: java.util.logging keeps loggers weakly. */
    private static final Logger FUNCPIPE_LOG = Logger.getLogger("io.funcpipe");

    /**
     * {@code --verbose}: FuncPipe's informational log lines too (model loading, stages deployed);
     * without it only warnings and errors, as {@code funcpipe-logging.properties} says. Leaves the
     * level alone when the user gave their own logging configuration.
     */
    static void verbose(boolean on) {
        if (on && System.getProperty("java.util.logging.config.file") == null) {
            FUNCPIPE_LOG.setLevel(Level.INFO);
        }
    }

    /** Runs the command line and returns its exit code (for tests: no {@code System.exit}). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(
                ProgressDisplay.stdoutIsTerminal() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException) {
                commandLine.getErr().println("funcpipe: " + e.getMessage());
                return USAGE;
            }
            commandLine.getErr().println("funcpipe: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return FAILED;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }
}
