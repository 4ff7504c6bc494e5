package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

class ClusterSetupTest {

    private static final String LOOPBACK = "127.0.0.1";

    /** Held so the level sticks: java.util.logging keeps loggers weakly. */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    @BeforeAll
    static void quietHazelcast() {
        HAZELCAST_LOG.setLevel(Level.WARNING);
    }

    private static ServiceConfig.Cluster tcpIp(int port) {
        return new ServiceConfig.Cluster(true, LOOPBACK, port, List.of(LOOPBACK),
                new ServiceConfig.Kubernetes(false, "funcpipe-hazelcast", "default"));
    }

    /** Waits for {@code future}; the bound only keeps a broken test from hanging the build. */
    private static <T> T within(Future<T> future) throws TimeoutException {
        return future.await(120, TimeUnit.SECONDS);
    }

    @Nested
    @DisplayName("Hazelcast configuration")
    class Configuration {

        @Test
        @DisplayName("TCP/IP: named cluster, members from the settings, bound to cluster.host only, nothing else asked")
        void tcpIpJoin() {
            Config config = ClusterSetup.of(tcpIp(5701)).hazelcastConfig();
            JoinConfig join = config.getNetworkConfig().getJoin();

            assertThat(config.getClusterName()).isEqualTo("funcpipe");
            assertThat(join.getMulticastConfig().isEnabled()).isFalse();
            assertThat(join.isAutoDetectionEnabled()).isFalse();
            assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
            assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
            assertThat(join.getTcpIpConfig().getMembers()).containsExactly(LOOPBACK);
            assertThat(config.getNetworkConfig().getPort()).isEqualTo(5701);
            assertThat(config.getNetworkConfig().isPortAutoIncrement()).isTrue();
            assertThat(config.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
            assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly(LOOPBACK);
            assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
            assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
            assertThat(config.getProperty("hazelcast.logging.type")).isEqualTo("jdk");
            assertThat(config.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
        }

        @Test
        @DisplayName("Kubernetes: discovery through the named Service instead of a member list")
        void kubernetesJoin() {
            ServiceConfig.Cluster settings = new ServiceConfig.Cluster(true, "10.1.2.3", 5701, List.of(),
                    new ServiceConfig.Kubernetes(true, "funcpipe-hazelcast", "ingest"));

            JoinConfig join = ClusterSetup.of(settings).hazelcastConfig().getNetworkConfig().getJoin();

            assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
            assertThat(join.getMulticastConfig().isEnabled()).isFalse();
            assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
            assertThat(join.getKubernetesConfig().getProperty("service-name")).isEqualTo("funcpipe-hazelcast");
            assertThat(join.getKubernetesConfig().getProperty("namespace")).isEqualTo("ingest");
        }

        @Test
        @DisplayName("the event bus listens on cluster.host")
        void eventBusHost() {
            assertThat(ClusterSetup.of(tcpIp(5701)).vertxOptions().getEventBusOptions().getHost()).isEqualTo(LOOPBACK);
        }
    }

    @Nested
    @DisplayName("not clustered")
    class Standalone {

        private Vertx vertx;

        @AfterEach
        void close() throws TimeoutException {
            within(vertx.close());
        }

        @Test
        @DisplayName("cluster.enabled false builds a plain Vert.x whose cluster check is up")
        void plainVertx() throws TimeoutException {
            ServiceConfig.Cluster settings = new ServiceConfig.Cluster(false, LOOPBACK, 5701, List.of(LOOPBACK),
                    new ServiceConfig.Kubernetes(false, "funcpipe-hazelcast", "default"));

            vertx = within(ClusterSetup.of(settings).start(ServiceMetrics.create()));
            Readiness readiness = Readiness.create(vertx).register("cluster", ClusterSetup.clusterCheck(vertx));

            assertThat(vertx.isClustered()).isFalse();
            assertThat(within(readiness.ready())).isTrue();
        }
    }

    @Nested
    @DisplayName("two members on the loopback interface")
    class TwoMembers {

        private Vertx first;
        private Vertx second;

        @AfterEach
        void close() throws TimeoutException {
            if (second != null) {
                within(second.close());
            }
            if (first != null) {
                within(first.close());
            }
        }

        private ClusterSetup setup(String clusterName, int port) {
            ClusterSetup setup = ClusterSetup.of(tcpIp(port), clusterName);
            // The first member need not wait for others before it forms the cluster on its own.
            setup.hazelcastConfig().setProperty("hazelcast.wait.seconds.before.join", "0");
            return setup;
        }

        @Test
        @DisplayName("form one cluster: a request sent on one is consumed on the other, and the cluster is safe")
        void messageCrossesTheCluster() throws IOException, TimeoutException {
            String clusterName = "funcpipe-test-" + UUID.randomUUID();
            int port = freePort();

            first = within(setup(clusterName, port).start(ServiceMetrics.create()));
            second = within(setup(clusterName, port).start(ServiceMetrics.create()));
            within(second.eventBus().<JsonObject>consumer("funcpipe.test.echo",
                    message -> message.reply(message.body().put("by", "second"))).completion());
            JsonObject reply = within(first.eventBus().<JsonObject>request("funcpipe.test.echo",
                    new JsonObject().put("text", "hello"))).body();
            Readiness readiness = Readiness.create(first).register("cluster", ClusterSetup.clusterCheck(first));

            assertThat(first.isClustered()).isTrue();
            assertThat(reply).isEqualTo(new JsonObject().put("text", "hello").put("by", "second"));
            assertThat(becomesReady(readiness)).isTrue();
        }

        /**
         * Whether {@code readiness} turns ready. Right after a join Hazelcast is copying backups and
         * reports the cluster unsafe for a moment, so this asks again until it is ready (or gives up
         * after a minute, which only a broken cluster takes).
         */
        private static boolean becomesReady(Readiness readiness) throws TimeoutException {
            for (int attempt = 0; attempt < 600; attempt++) {
                if (within(readiness.ready())) {
                    return true;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            return false;
        }

        /** A port free on the loopback interface now; the members take it and the ones after it. */
        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
                return socket.getLocalPort();
            }
        }
    }
}
