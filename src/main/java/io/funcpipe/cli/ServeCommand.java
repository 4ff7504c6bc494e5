package io.funcpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import io.funcpipe.service.Service;
import io.funcpipe.service.shell.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code funcpipe serve}: runs a service node until it is stopped (SIGTERM or Ctrl-C). */
@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Run the FuncPipe service: the stage verticles this node hosts, the supervisor and job API "
                + "(on the node that hosts the index stage), and HTTP /health/live, /health/ready, /metrics and "
                + "the job API's event-bus bridge at /eventbus.",
                "Settings: conf/funcpipe.yaml defaults, then --conf FILE, then FUNCPIPE_* environment variables "
                        + "(docs/service-config.md). On SIGTERM it stops taking jobs, lets running ones finish within "
                        + "shutdown.grace, cancels the rest, commits and releases everything.",
                "Exit codes: 0 stopped cleanly, 1 could not start, 2 invalid settings."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--conf", paramLabel = "FILE",
            description = "A YAML file of settings layered over the defaults (conf/funcpipe.yaml documents every key).")
    Path conf;

    @Option(names = "--cluster", description = "Join the Hazelcast cluster (same as cluster.enabled: true).")
    boolean cluster;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServiceConfig config = ServiceOptions.load(conf);
        if (cluster) {
            config = config.clustered();
        }
        try {
            config.http().auth().effectiveMode(config.http().host());
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Main.verbose(true);
        warnAboutMissingInputRoots(config);
        Service service = Service.start(config, Duration.ofMinutes(5));
        CountDownLatch stopped = new CountDownLatch(1);
        Duration grace = config.shutdown().grace();
        Thread hook = new Thread(() -> {
            try {
                service.stop(grace.plusSeconds(30));
            } catch (Exception e) {
                System.err.println("funcpipe serve: stopping: " + e.getMessage());
            } finally {
                stopped.countDown();
            }
        }, "funcpipe-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("funcpipe serve: ready on http://%s:%d (stages: %s; jobs: %s; cluster: %s)%n",
                config.http().host(), service.httpPort(),
                config.stages().hosted().isEmpty() ? "none"
                        : config.stages().hosted().stream().map(ServiceConfig.Stage::label).collect(Collectors.joining(", ")),
                service.supervises() ? "yes" : "no (another node supervises)",
                config.cluster().enabled() ? "joined" : "off");
        out.flush();
        stopped.await();
        return 0;
    }

    /** A job can read files only under an input root: say so at once when one does not exist. */
    private void warnAboutMissingInputRoots(ServiceConfig config) {
        PrintWriter err = spec.commandLine().getErr();
        for (Path root : config.inputRoots()) {
            if (!Files.isDirectory(root)) {
                err.println("funcpipe serve: the input root " + root + " does not exist (relative roots are resolved "
                        + "from the folder serve starts in, " + Path.of("").toAbsolutePath() + "): jobs can read no "
                        + "file there; set inputRoots in --conf FILE or FUNCPIPE_INPUT_ROOTS");
            }
        }
        err.flush();
    }
}
