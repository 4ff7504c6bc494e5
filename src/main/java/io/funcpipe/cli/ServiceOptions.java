package io.funcpipe.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.funcpipe.service.client.BridgeJobApi;
import io.funcpipe.service.client.JobApi;
import io.funcpipe.service.job.JobClient;
import io.funcpipe.service.shell.ClusterSetup;
import io.funcpipe.service.shell.ConfigException;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;
import io.funcpipe.service.shell.ServiceMetrics;
import io.vertx.core.Vertx;
import picocli.CommandLine.Option;

/**
 * How a client command ({@code submit}, {@code jobs}) reaches the service: by joining the cluster
 * ({@code --cluster}, members from the config) or through a service's event-bus bridge over HTTP
 * ({@code --url}, by default {@code http://127.0.0.1:<http.port>}).
 */
final class ServiceOptions {

    @Option(names = "--conf", paramLabel = "FILE",
            description = "A service config file (YAML) layered over the defaults: cluster members, http.port.")
    Path conf;

    @Option(names = "--cluster", description = "Join the cluster (cluster.members of the config) as a client node.")
    boolean cluster;

    @Option(names = "--url", paramLabel = "URL",
            description = "The service to talk to without joining the cluster (default: http://127.0.0.1:<http.port>).")
    String url;

    /** The config: defaults, then {@code --conf}, then FUNCPIPE_* variables; a bad value is a usage error. */
    ServiceConfig config() {
        return load(conf);
    }

    /** The defaults, then {@code conf} when given, then FUNCPIPE_* variables; a bad value is a usage error. */
    static ServiceConfig load(Path conf) {
        if (conf != null && !Files.isRegularFile(conf)) {
            throw new UsageException("--conf " + conf + ": no such file");
        }
        try {
            return ServiceConfigLoader.load(Optional.ofNullable(conf), System.getenv());
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A connection to the job API; closing it leaves the cluster or closes the bridge. */
    Connection connect() {
        if (cluster && url != null) {
            throw new UsageException("give either --cluster or --url, not both");
        }
        ServiceConfig config = config();
        if (cluster) {
            Vertx vertx = ClusterSetup.of(config.clustered().cluster()).start(ServiceMetrics.create()).await();
            return new Connection(vertx, new JobClient(vertx));
        }
        String target = url != null ? url : "http://127.0.0.1:" + config.http().port();
        Vertx vertx = Vertx.vertx();
        try {
            return new Connection(vertx, BridgeJobApi.open(vertx, target).await());
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
    }

    /** The job API and the Vert.x instance behind it. */
    record Connection(Vertx vertx, JobApi jobs) implements AutoCloseable {
        @Override
        public void close() {
            jobs.close();
            vertx.close().await();
        }
    }
}
