package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the service's Vert.x instance from the {@code cluster.*} settings: a plain one when
 * {@code cluster.enabled} is false, else a clustered one over Hazelcast, configured in code (no
 * {@code cluster.xml}):
 * <ul>
 *   <li>cluster name {@value #CLUSTER_NAME}; multicast and cloud auto-detection off;</li>
 *   <li>members found over TCP/IP from {@code cluster.members}, or through the Kubernetes API
 *       (the endpoints of {@code cluster.kubernetes.serviceName}) when
 *       {@code cluster.kubernetes.enabled};</li>
 *   <li>Hazelcast binds only to {@code cluster.host}, from {@code cluster.port} upwards (the next
 *       free port when it is busy), and the event bus listens on and advertises the same host, on
 *       {@code cluster.busPort};</li>
 *   <li>the event bus between nodes over TLS with client certificates when {@code cluster.tls} is on;
 *       Hazelcast's own membership traffic is not encrypted (TLS is a Hazelcast Enterprise feature):
 *       its port must be reachable only by FuncPipe nodes (deploy/'s NetworkPolicy), and a member
 *       without the CA's certificate can join the membership but can neither send to nor receive
 *       from any node's event bus;</li>
 *   <li>phone-home off, logging through {@code java.util.logging};</li>
 *   <li>Vert.x's own maps with one backup each, as vertx-hazelcast's default configuration has.</li>
 * </ul>
 */
public final class ClusterSetup {

    /** The Hazelcast cluster name: only members with this name join each other. */
    public static final String CLUSTER_NAME = "funcpipe";

    private final ServiceConfig.Cluster settings;
    private final Config hazelcast;

    private ClusterSetup(ServiceConfig.Cluster settings, Config hazelcast) {
        this.settings = settings;
        this.hazelcast = hazelcast;
    }

    /** The setup for {@code settings}, in the cluster named {@value #CLUSTER_NAME}. */
    public static ClusterSetup of(ServiceConfig.Cluster settings) {
        return of(settings, CLUSTER_NAME);
    }

    /** The setup in another cluster, so that tests running side by side never join each other. */
    static ClusterSetup of(ServiceConfig.Cluster settings, String clusterName) {
        requireNonNull(settings, "settings");
        requireNonNull(clusterName, "clusterName");
        return new ClusterSetup(settings, hazelcastConfig(settings, clusterName));
    }

    /**
     * The Hazelcast configuration {@link #start} uses when clustering. It is Hazelcast's mutable
     * {@link Config}: a change made before {@code start} takes effect (tests shorten join waits).
     */
    public Config hazelcastConfig() {
        return hazelcast;
    }

    /**
     * The Vert.x options: the event bus on {@code cluster.host} and {@code cluster.busPort}; with
     * TLS on ({@link ServiceConfig.Cluster#tlsOn()}), it presents this node's certificate, requires
     * one from every peer that connects, and trusts only certificates the configured CA signed.
     * Peers are trusted by that signature, not by host name: pod addresses change with every start.
     */
    public VertxOptions vertxOptions() {
        EventBusOptions bus = new EventBusOptions().setHost(settings.host()).setPort(settings.busPort());
        if (settings.tlsOn()) {
            ServiceConfig.Tls tls = settings.tls();
            bus.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(readable(tls.certFile(), "cluster.tls.certFile").toString())
                            .setKeyPath(readable(tls.keyFile(), "cluster.tls.keyFile").toString()))
                    .setTrustOptions(new PemTrustOptions()
                            .addCertPath(readable(tls.caFile(), "cluster.tls.caFile").toString()))
                    .setClientAuth(ClientAuth.REQUIRED);
        }
        return new VertxOptions().setEventBusOptions(bus);
    }

    private static Path readable(Optional<Path> file, String key) {
        Path path = file.orElseThrow(() -> new IllegalStateException(key + " is not set, but cluster TLS is on; "
                + "set it to a PEM file (bin/funcpipe-certs DIR makes a development set) or set cluster.tls.mode "
                + "to disabled on a network only FuncPipe nodes reach"));
        if (!Files.isReadable(path)) {
            throw new IllegalStateException("cannot read " + key + " " + path + " (cluster TLS is on): check the path "
                    + "and its permissions (in Kubernetes: the funcpipe-cluster-tls Secret's volume)");
        }
        return path;
    }

    /**
     * Builds the Vert.x instance, reporting into {@code metrics}; clustered (joined, or failed with
     * a message naming the address and the discovery used) when {@code cluster.enabled}.
     */
    public Future<Vertx> start(ServiceMetrics metrics) {
        requireNonNull(metrics, "metrics");
        VertxOptions options;
        try {
            options = vertxOptions();
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        VertxBuilder builder = metrics.applyTo(Vertx.builder(), options);
        if (!settings.enabled()) {
            return Future.succeededFuture(builder.build());
        }
        return builder.withClusterManager(new HazelcastClusterManager(hazelcast))
                .buildClustered()
                .recover(e -> Future.failedFuture(new IllegalStateException("cannot join the Hazelcast cluster '"
                        + hazelcast.getClusterName() + "' from " + settings.host() + ":" + settings.port() + " using "
                        + discovery() + ": " + e.getMessage() + "; check cluster.host (it must be an address of this "
                        + "node), cluster.port and " + (settings.kubernetes().enabled()
                        ? "the Service and RBAC in deploy/" : "cluster.members"), e)));
    }

    /**
     * The "cluster" readiness check for {@code vertx}: when clustered, up while Hazelcast reports
     * the cluster safe (every partition has its backups in sync: a member can leave without data
     * loss), checked off the event loop; when not clustered, always up.
     */
    public static Handler<Promise<Status>> clusterCheck(Vertx vertx) {
        requireNonNull(vertx, "vertx");
        if (vertx.isClustered()) {
            return ClusterHealthCheck.createProcedure(vertx);
        }
        return promise -> promise.complete(Status.OK(new JsonObject().put("clustered", false)));
    }

    private String discovery() {
        return settings.kubernetes().enabled()
                ? "Kubernetes discovery (service " + settings.kubernetes().serviceName() + " in namespace "
                        + settings.kubernetes().namespace() + ")"
                : "TCP/IP members " + settings.members();
    }

    private static Config hazelcastConfig(ServiceConfig.Cluster settings, String clusterName) {
        Config config = new Config().setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        // A member that stops answering (kill -9, a pod lost) leaves the cluster after 15 s without
        // heartbeats (Hazelcast's default is 60 s): its stages' requests are then retried elsewhere.
        config.setProperty("hazelcast.heartbeat.interval.seconds", "2");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");

        NetworkConfig network = config.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface(settings.host());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.kubernetes().enabled()) {
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-name", settings.kubernetes().serviceName())
                    .setProperty("namespace", settings.kubernetes().namespace())
                    // pods are not ready until they have joined: discovery must see them before
                    .setProperty("resolve-not-ready-addresses", "true");
        } else {
            join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        }

        // As vertx-hazelcast's default-cluster.xml: Vert.x's registries survive the loss of one member.
        config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
                .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
        config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
        config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
        return config;
    }
}
