package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * TLS with client certificates between event buses: members holding certificates of the same CA
 * (made by {@code bin/funcpipe-certs}) talk; a member that joins the Hazelcast membership with
 * another CA's certificate, or without TLS, cannot deliver a single message to them.
 */
@DisplayName("cluster TLS between event buses")
class ClusterTlsTest {

    private static final String LOOPBACK = "127.0.0.1";
    private static final String ECHO = "funcpipe.test.echo";
    /** Held so the levels stick: java.util.logging keeps loggers weakly. */
    private static final List<Logger> QUIET = List.of(Logger.getLogger("com.hazelcast"), Logger.getLogger("io.vertx"),
            Logger.getLogger("io.netty"));

    @TempDir
    static Path certs;

    private final List<Vertx> members = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws IOException, InterruptedException {
        QUIET.forEach(logger -> logger.setLevel(Level.OFF));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is needed to make test certificates");
        certs("cluster");
        certs("outsider");
    }

    private static void certs(String name) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "bin/funcpipe-certs", certs.resolve(name).toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("wrote");
    }

    @AfterEach
    void close() throws TimeoutException {
        for (Vertx member : members.reversed()) {
            within(member.close());
        }
    }

    @Test
    @DisplayName("members with the same CA's certificates exchange requests both ways")
    void sameCa() throws Exception {
        String cluster = "funcpipe-tls-" + UUID.randomUUID();
        int port = freePort();
        Vertx first = start(cluster, port, tls("cluster"));
        Vertx second = start(cluster, port, tls("cluster"));
        within(second.eventBus().<JsonObject>consumer(ECHO, m -> m.reply(m.body().put("by", "second"))).completion());
        within(first.eventBus().<JsonObject>consumer(ECHO + ".first", m -> m.reply(m.body().put("by", "first"))).completion());

        assertThat(request(first, ECHO).body().getString("by")).isEqualTo("second");
        assertThat(request(second, ECHO + ".first").body().getString("by")).isEqualTo("first");
        assertThat(first.isClustered()).isTrue();
    }

    @Test
    @DisplayName("a member with another CA's certificate joins the membership but delivers nothing")
    void otherCa() throws Exception {
        refused(tls("outsider"));
    }

    @Test
    @DisplayName("a member without TLS joins the membership but delivers nothing")
    void plain() throws Exception {
        refused(ServiceConfig.Tls.OFF);
    }

    @Test
    @DisplayName("TLS on with a certificate file that cannot be read: the start fails naming the key")
    void unreadableFile() {
        ServiceConfig.Tls tls = ServiceConfig.Tls.on(certs.resolve("missing.pem"), certs.resolve("cluster/node.key"),
                certs.resolve("cluster/ca.pem"));
        Future<Vertx> started = ClusterSetup.of(settings(freePortUnchecked(), tls), "funcpipe-tls-" + UUID.randomUUID())
                .start(ServiceMetrics.create());

        assertThatThrownBy(() -> within(started)).hasMessageContaining("cannot read cluster.tls.certFile")
                .hasMessageContaining("missing.pem");
    }

    private void refused(ServiceConfig.Tls intruder) throws Exception {
        String cluster = "funcpipe-tls-" + UUID.randomUUID();
        int port = freePort();
        start(cluster, port, tls("cluster"));
        Vertx second = start(cluster, port, tls("cluster"));
        AtomicInteger received = new AtomicInteger();
        within(second.eventBus().<JsonObject>consumer(ECHO, m -> {
            received.incrementAndGet();
            m.reply(m.body());
        }).completion());
        Vertx outsider = start(cluster, port, intruder);

        // Until the membership has shared the consumer's registration the outsider sees no handler;
        // after that, its requests go to the consumer's node and must die at the TLS handshake.
        ReplyFailure failure = ReplyFailure.NO_HANDLERS;
        for (int attempt = 0; attempt < 60 && failure == ReplyFailure.NO_HANDLERS; attempt++) {
            Future<?> reply = outsider.eventBus().request(ECHO, new JsonObject(), new DeliveryOptions().setSendTimeout(3_000));
            Throwable error = reply.transform(Future::succeededFuture).await(60, TimeUnit.SECONDS).cause();
            assertThat(error).as("a reply came back to the outsider").isInstanceOf(ReplyException.class);
            failure = ((ReplyException) error).failureType();
            if (failure == ReplyFailure.NO_HANDLERS) {
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }

        assertThat(failure).isEqualTo(ReplyFailure.TIMEOUT);
        assertThat(received).hasValue(0);
    }

    private Vertx start(String cluster, int port, ServiceConfig.Tls tls) throws TimeoutException {
        ClusterSetup setup = ClusterSetup.of(settings(port, tls), cluster);
        setup.hazelcastConfig().setProperty("hazelcast.wait.seconds.before.join", "0");
        Vertx vertx = within(setup.start(ServiceMetrics.create()));
        members.add(vertx);
        return vertx;
    }

    private static ServiceConfig.Cluster settings(int port, ServiceConfig.Tls tls) {
        return new ServiceConfig.Cluster(true, LOOPBACK, port, List.of(LOOPBACK),
                new ServiceConfig.Kubernetes(false, "funcpipe-hazelcast", "default"), 0, tls);
    }

    private static ServiceConfig.Tls tls(String set) {
        Path dir = certs.resolve(set);
        return ServiceConfig.Tls.on(dir.resolve("node.pem"), dir.resolve("node.key"), dir.resolve("ca.pem"));
    }

    private static io.vertx.core.eventbus.Message<JsonObject> request(Vertx from, String address) throws TimeoutException {
        return within(from.eventBus().<JsonObject>request(address, new JsonObject().put("text", "hello"),
                new DeliveryOptions().setSendTimeout(30_000)));
    }

    private static <T> T within(Future<T> future) throws TimeoutException {
        return future.await(120, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static int freePortUnchecked() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
