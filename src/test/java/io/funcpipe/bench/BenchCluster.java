package io.funcpipe.bench;

import java.util.ArrayList;
import java.util.List;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

import io.funcpipe.service.bus.protocol.BusCodecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The pieces of {@link TransportBench} both JVMs share: a Hazelcast cluster confined to
 * 127.0.0.1 (TCP/IP join, multicast off, a cluster name of the run's own so other clusters on the
 * machine never merge in) and the three stages that do no work.
 */
final class BenchCluster {

    static final int STAGES = 3;

    /** What Hazelcast asks for on JDK 9+ to use its fast paths (and to stop warning). */
    static final List<String> HAZELCAST_JVM_ARGS = List.of("--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    private BenchCluster() {
    }

    static String stage(int i) {
        return "funcpipe.bench.transport.stage." + i;
    }

    /** A clustered Vert.x on 127.0.0.1, with the bus codecs registered. */
    static Future<Vertx> join(String clusterName) {
        Config config = ConfigUtil.loadConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.logging.type", "none");
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(5701).setPortAutoIncrement(true).setPortCount(100);
        network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
        VertxOptions options = new VertxOptions()
                .setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0).setClusterPublicHost("127.0.0.1"));
        return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config)).buildClustered()
                .onSuccess(vertx -> BusCodecs.register(vertx.eventBus()));
    }

    /** Registers the stages: each answers a request with the message it got, doing nothing else. */
    static Future<Void> hostStages(Vertx vertx) {
        List<Future<Void>> registered = new ArrayList<>();
        for (int i = 1; i <= STAGES; i++) {
            registered.add(vertx.eventBus().consumer(stage(i), message -> message.reply(message.body())).completion());
        }
        return Future.all(registered).mapEmpty();
    }
}
