package io.funcpipe.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

import io.funcpipe.adapters.json.DurationText;
import io.funcpipe.service.client.BridgeJobApi;
import io.funcpipe.service.client.ClientOptions;
import io.funcpipe.service.client.JobApi;
import io.funcpipe.service.job.JobClient;
import io.funcpipe.service.shell.ClusterSetup;
import io.funcpipe.service.shell.ConfigException;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceConfigLoader;
import io.funcpipe.service.shell.ServiceMetrics;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How a client command ({@code submit}, {@code jobs}) reaches the service: by joining the cluster
 * ({@code --cluster}, members from the config) or through a service's event-bus bridge over HTTP
 * ({@code --url}, by default {@code http://127.0.0.1:<http.port>}); each request waits at most
 * {@code --timeout} for its reply, and a follow goes on reconnecting for {@code --reconnect-for}.
 * Over the bridge every frame carries the token ({@code --token}, {@code --token-file} or
 * {@code FUNCPIPE_TOKEN}) when the service asks for authentication.
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

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long each request waits for the service's reply, such as 30s or 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--reconnect-for", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "While following a job: how long to go on reconnecting after losing the service (it keeps "
                    + "its jobs across restarts) before giving up (default: ${DEFAULT-VALUE}).")
    Duration reconnectFor;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The API key or JWT to authenticate with (default: --token-file, else the FUNCPIPE_TOKEN "
                    + "variable). Not needed with --cluster (cluster members are trusted).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "A file holding the API key or JWT.")
    Path tokenFile;

    /** The token to send: --token, else --token-file's content, else FUNCPIPE_TOKEN, else none (""). */
    String token() {
        if (token != null && tokenFile != null) {
            throw new UsageException("give either --token or --token-file, not both");
        }
        if (token != null) {
            return token.strip();
        }
        if (tokenFile != null) {
            try {
                return Files.readString(tokenFile).strip();
            } catch (java.io.IOException e) {
                throw new UsageException("--token-file " + tokenFile + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        String env = System.getenv("FUNCPIPE_TOKEN");
        return env == null ? "" : env.strip();
    }

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

    /** A connection to the job API; closing it leaves the cluster or closes the bridge. Notices go nowhere. */
    Connection connect() {
        return connect(notice -> { });
    }

    /**
     * A connection to the job API whose follows tell {@code notices} when they lose the service,
     * reconnect or give up; closing it leaves the cluster or closes the bridge.
     */
    Connection connect(Consumer<String> notices) {
        if (cluster && url != null) {
            throw new UsageException("give either --cluster or --url, not both");
        }
        if (timeout.toMillis() < 1) {
            throw new UsageException("--timeout must be at least 1ms, got " + timeout);
        }
        if (reconnectFor.isNegative()) {
            throw new UsageException("--reconnect-for must be >= 0, got " + reconnectFor);
        }
        ClientOptions options = ClientOptions.defaults().withRequestTimeout(timeout).withReconnectFor(reconnectFor)
                .withNotices(notices).withToken(cluster ? "" : token());
        ServiceConfig config = config();
        if (cluster) {
            Vertx vertx = ClusterSetup.of(config.clustered().cluster()).start(ServiceMetrics.create()).await();
            return new Connection(vertx, new JobClient(vertx, options));
        }
        String target = url != null ? url : "http://127.0.0.1:" + config.http().port();
        Vertx vertx = Vertx.vertx();
        try {
            return new Connection(vertx, BridgeJobApi.open(vertx, target, options).await());
        } catch (RuntimeException e) {
            vertx.close().await();
            throw e;
        }
    }

    /** Reads {@code 30s}, {@code 500ms}, {@code 5m} or ISO-8601 ({@code PT30S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return DurationText.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
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
