package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.funcpipe.service.auth.ApiKeys;
import io.funcpipe.service.auth.Authenticator;
import io.funcpipe.service.job.Caller;
import io.funcpipe.service.job.JobAddresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The official JavaScript bridge client ({@code @vertx/eventbus-bridge-client.js} over
 * {@code sockjs-client}, run by node) against the bridge with API keys: refused without a token
 * and with a wrong one, served with one, forged caller headers replaced; over the WebSocket
 * transport and over SockJS's {@code xhr-polling} (which needs the body handler). The npm packages
 * are installed from {@code src/test/js/package-lock.json} into {@code target/bridge-js} by
 * {@code npm ci} the first time (a fresh clone needs the npm registry once).
 */
@DisplayName("the official JavaScript event-bus bridge client against the authenticated bridge")
class BridgeJsClientTest {

    private static final Path JS = Path.of("target", "bridge-js");
    private static Vertx vertx;
    private static HttpShell shell;
    private static String key;

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        installClient();
        key = ApiKeys.newKey();
        Path keys = Files.writeString(tmp.resolve("keys"), ApiKeys.line(key, new Caller("alice", Set.of("staff"))) + "\n");
        vertx = Vertx.vertx();
        shell = new HttpShell(new ServiceConfig.Http("127.0.0.1", 0).withAuth(ServiceConfig.Auth.apiKeys(keys)),
                Readiness.create(vertx), ServiceMetrics.create());
        vertx.deployVerticle(shell).await(60, TimeUnit.SECONDS);
        // the job API's list, answering with the caller the bridge put into the headers
        vertx.eventBus().<JsonObject>consumer(JobAddresses.LIST, m -> {
            Caller caller = Caller.from(m.headers());
            m.reply(new JsonObject().put("principal", caller.principal()).put("roles", String.join(",", caller.roles()))
                    .put("authorization", m.headers().get("Authorization")));
        }).completion().await(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"websocket", "xhr-polling"})
    @DisplayName("refused without a token and with a wrong one, served with one, forged caller headers replaced")
    void refusedWithoutServedWith(String transport) throws Exception {
        JsonObject out = run(transport);
        assertThat(out.getString("transport")).as(out.encode()).isEqualTo(transport);
        assertThat(out.fieldNames()).as(out.encode()).contains("withoutToken", "wrongToken", "withToken", "forged",
                "registerWithoutToken");
        assertThat(out.getJsonObject("withoutToken").getJsonObject("error").getInteger("code")).isEqualTo(401);
        assertThat(out.getJsonObject("withoutToken").getJsonObject("error").getString("message"))
                .isEqualTo(Authenticator.MISSING);
        assertThat(out.getJsonObject("wrongToken").getJsonObject("error").getString("message"))
                .startsWith("the API key is not valid");
        JsonObject served = out.getJsonObject("withToken").getJsonObject("body");
        assertThat(served.getString("principal")).isEqualTo("alice");
        assertThat(served.getString("roles")).isEqualTo("staff");
        assertThat(served.getString("authorization")).as("the token does not travel on the bus").isNull();
        JsonObject forged = out.getJsonObject("forged").getJsonObject("body");
        assertThat(forged.getString("principal")).isEqualTo("alice");
        assertThat(forged.getString("roles")).isEqualTo("staff");
        assertThat(out.getJsonObject("registerWithoutToken").getJsonObject("error").getString("message"))
                .isEqualTo(Authenticator.MISSING);
        assertThat(out.containsKey("timeout")).as("the client finished: " + out).isFalse();
    }

    private static JsonObject run(String transport) throws Exception {
        Process node = new ProcessBuilder("node", "bridge-client.js", "http://127.0.0.1:" + shell.port(), key, transport)
                .directory(JS.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node exited").isTrue();
            List<String> lines = output.lines().toList();
            assertThat(lines).as("node's output").isNotEmpty();
            return new JsonObject(lines.getLast());
        } finally {
            node.destroyForcibly();
        }
    }

    /** {@code npm ci} of src/test/js into target/bridge-js, unless it is there already. */
    private static void installClient() throws IOException, InterruptedException {
        Path source = Path.of("src", "test", "js");
        Files.createDirectories(JS);
        for (String file : List.of("package.json", "package-lock.json", "bridge-client.js")) {
            Files.copy(source.resolve(file), JS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(JS.resolve("node_modules").resolve("@vertx").resolve("eventbus-bridge-client.js"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(JS.toFile()).redirectErrorStream(true).start();
        String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!npm.waitFor(300, TimeUnit.SECONDS) || npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + JS.toAbsolutePath() + " failed (the npm registry must be "
                    + "reachable once to install the JavaScript bridge client):\n" + log);
        }
    }
}
