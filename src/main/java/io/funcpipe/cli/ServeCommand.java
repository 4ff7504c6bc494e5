package io.funcpipe.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import io.funcpipe.service.Service;
import io.funcpipe.service.shell.ServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    ServiceOptions settings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (settings.url != null) {
            throw new UsageException("--url is for clients (submit, jobs); serve listens on http.host:http.port");
        }
        ServiceConfig config = settings.config();
        if (settings.cluster) {
            config = config.clustered();
        }
        PrintWriter out = spec.commandLine().getOut();
        Service service = Service.start(config).await();
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
}
