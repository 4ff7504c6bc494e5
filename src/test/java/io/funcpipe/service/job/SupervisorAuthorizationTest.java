package io.funcpipe.service.job;

import static io.funcpipe.service.job.SupervisorFixture.await;
import static io.funcpipe.service.job.SupervisorFixture.refusal;
import static io.funcpipe.service.job.SupervisorFixture.spec;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.service.auth.ApiKeys;
import io.funcpipe.service.auth.Authenticator;
import io.funcpipe.service.client.BridgeJobApi;
import io.funcpipe.service.client.ClientOptions;
import io.funcpipe.service.client.JobApi;
import io.funcpipe.service.client.JobPage;
import io.funcpipe.service.shell.HttpShell;
import io.funcpipe.service.shell.Readiness;
import io.funcpipe.service.shell.ServiceConfig;
import io.funcpipe.service.shell.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;

/**
 * Jobs belong to the principal that submitted them, through the real bridge with API keys in
 * front of a real supervisor: three principals at once each see only their own jobs, an admin sees
 * all, another's job is answered like an unknown one, following it is refused, index role limits
 * hold, and owners survive a restart of the supervisor.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("SupervisorVerticle behind the authenticated bridge: jobs belong to their submitter")
class SupervisorAuthorizationTest {

    @TempDir
    Path tmp;
    Vertx vertx;
    SupervisorFixture fx;
    HttpShell shell;
    final Map<String, String> keys = new java.util.HashMap<>();
    final List<JobApi> clients = new ArrayList<>();

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        fx = new SupervisorFixture(vertx, tmp);
        fx.deploy(fx.options().withIndexAccess(new IndexAccess(Map.of("hr", Set.of("hr")))));
        StringBuilder file = new StringBuilder("# test keys\n");
        for (Caller caller : List.of(new Caller("alice", Set.of("staff")), new Caller("bob", Set.of("staff", "hr")),
                new Caller("root", Set.of(Caller.ADMIN)))) {
            String key = ApiKeys.newKey();
            keys.put(caller.principal(), key);
            file.append(ApiKeys.line(key, caller)).append('\n');
        }
        Path keyFile = Files.writeString(tmp.resolve("api-keys"), file);
        shell = new HttpShell(new ServiceConfig.Http("127.0.0.1", 0).withAuth(ServiceConfig.Auth.apiKeys(keyFile)),
                Readiness.create(vertx), ServiceMetrics.create());
        await(vertx.deployVerticle(shell));
    }

    @AfterEach
    void close() {
        clients.forEach(JobApi::close);
    }

    private String url() {
        return "http://127.0.0.1:" + shell.port();
    }

    private JobApi as(String principal) {
        JobApi api = await(BridgeJobApi.open(vertx, url(), ClientOptions.defaults().withToken(
                principal == null ? "" : keys.getOrDefault(principal, principal))));
        clients.add(api);
        return api;
    }

    private String ended(JobApi api, String id) {
        fx.waitFor(id, "the job ended", status -> JobState.valueOf(status.getString("state")).isFinal());
        return id;
    }

    private static List<String> ids(JobPage page) {
        return page.jobs().stream().map(job -> job.getString("id")).toList();
    }

    @Test
    @DisplayName("three principals at once: each lists only its own jobs, the admin lists all, each status names its owner")
    void threePrincipals() {
        JobApi alice = as("alice");
        JobApi bob = as("bob");
        JobApi root = as("root");
        List<Future<String>> aliceJobs = List.of(alice.submit(spec("alice-1", "small.txt")), alice.submit(spec("alice-2", "small.txt")));
        List<Future<String>> bobJobs = List.of(bob.submit(spec("bob-1", "small.txt")), bob.submit(spec("bob-2", "small.txt")));
        Future<String> rootJob = root.submit(spec("root-1", "small.txt"));
        List<String> aliceIds = aliceJobs.stream().map(f -> ended(alice, await(f))).toList();
        List<String> bobIds = bobJobs.stream().map(f -> ended(bob, await(f))).toList();
        String rootId = ended(root, await(rootJob));

        JobPage alicePage = await(alice.list(0, 100));
        JobPage bobPage = await(bob.list(0, 100));
        JobPage rootPage = await(root.list(0, 100));
        assertThat(ids(alicePage)).containsExactlyInAnyOrderElementsOf(aliceIds);
        assertThat(alicePage.total()).isEqualTo(2);
        assertThat(ids(bobPage)).containsExactlyInAnyOrderElementsOf(bobIds);
        assertThat(bobPage.total()).isEqualTo(2);
        List<String> all = new ArrayList<>(aliceIds);
        all.addAll(bobIds);
        all.add(rootId);
        assertThat(ids(rootPage)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(await(alice.status(aliceIds.get(0))).getString("owner")).isEqualTo("alice");
        assertThat(await(root.status(bobIds.get(0))).getString("owner")).isEqualTo("bob");
    }

    @Test
    @DisplayName("another principal's job is answered exactly like an unknown job: status and cancel are 404")
    void anothersJobIsUnknown() {
        JobApi alice = as("alice");
        JobApi bob = as("bob");
        String id = ended(alice, await(alice.submit(spec("notes", "small.txt"))));

        ReplyException status = refusal(bob.status(id));
        ReplyException unknown = refusal(bob.status("no-such-job"));
        assertThat(status.failureCode()).isEqualTo(404).isEqualTo(unknown.failureCode());
        assertThat(status.getMessage()).isEqualTo(unknown.getMessage().replace("no-such-job", id))
                .startsWith("no job has id " + id);
        ReplyException cancel = refusal(bob.cancel(id));
        assertThat(cancel.failureCode()).isEqualTo(404);
        assertThat(cancel.getMessage()).startsWith("no job has id " + id);
        assertThat(await(alice.status(id)).getString("state")).isEqualTo("SUCCEEDED");
    }

    @Test
    @DisplayName("registering for another principal's progress events is refused with the unknown-job answer; the admin may")
    void followingAnothersJobIsRefused() throws Exception {
        JobApi alice = as("alice");
        String id = ended(alice, await(alice.submit(spec("notes", "small.txt"))));
        String address = JobAddresses.progress(id);

        JsonObject refused = registerFrame(keys.get("bob"), address);
        assertThat(refused.getString("type")).isEqualTo("err");
        assertThat(refused.getString("address")).isEqualTo(address);
        assertThat(refused.getInteger("failureCode")).isEqualTo(404);
        assertThat(refused.getString("message")).startsWith("no job has id " + id);

        JsonObject anonymous = registerFrame("", address);
        assertThat(anonymous.getInteger("failureCode")).isEqualTo(401);
        assertThat(anonymous.getString("message")).isEqualTo(Authenticator.MISSING);
    }

    @Test
    @DisplayName("no token, or a wrong one, is refused with 401 saying what is missing and how to get a token")
    void refusedWithoutToken() {
        ReplyException none = refusal(as(null).submit(spec("notes", "small.txt")));
        assertThat(none.failureCode()).isEqualTo(401);
        assertThat(none.getMessage()).isEqualTo(Authenticator.MISSING);
        ReplyException wrong = refusal(as("fpk_not-a-key").list(0, 10));
        assertThat(wrong.failureCode()).isEqualTo(401);
        assertThat(wrong.getMessage()).isEqualTo("the API key is not valid: it is in no line of the service's "
                + "auth.apiKeys.file; ask the operator for a key ('funcpipe token apikey', docs/security.md)");
    }

    @Test
    @DisplayName("an index limited to roles takes jobs only from callers holding one of them, or admins")
    void indexRoles() {
        ReplyException refused = refusal(as("alice").submit(spec("hr", "small.txt")));
        assertThat(refused.failureCode()).isEqualTo(403);
        assertThat(refused.getMessage()).isEqualTo("alice may not use index hr: it is limited to the roles [hr] "
                + "(auth.indexRoles) and alice holds [staff]; ask the operator for a key or token with one of them");
        JobApi bob = as("bob");
        ended(bob, await(bob.submit(spec("hr", "small.txt"))));
        JobApi root = as("root");
        ended(root, await(root.submit(spec("hr", "small.txt"))));
    }

    @Test
    @DisplayName("owners are kept in the ledger: after a restart each principal still sees only its own jobs")
    void ownersSurviveRestart() {
        JobApi alice = as("alice");
        String id = ended(alice, await(alice.submit(spec("notes", "small.txt"))));
        await(fx.undeploy());
        fx.deploy(fx.options());
        assertThat(ids(await(alice.list(0, 10)))).containsExactly(id);
        assertThat(await(as("bob").list(0, 10)).total()).isZero();
        assertThat(refusal(as("bob").status(id)).failureCode()).isEqualTo(404);
    }

    @Test
    @DisplayName("a token given when connecting authenticates the socket's frames; forged caller headers do not count")
    void connectTimeToken() throws Exception {
        JobApi alice = as("alice");
        String id = ended(alice, await(alice.submit(spec("notes", "small.txt"))));
        ended(as("bob"), await(as("bob").submit(spec("other", "small.txt"))));
        JsonObject forged = new JsonObject().put("funcpipe-principal", "root").put("funcpipe-roles", Caller.ADMIN);
        JsonObject reply = frame(keys.get("alice"), new JsonObject().put("type", "send").put("address", JobAddresses.LIST)
                .put("body", new JsonObject()).put("replyAddress", "reply-1").put("headers", forged));
        assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("rec");
        assertThat(JobPage.of(reply.getJsonObject("body")).jobs()).extracting(job -> job.getString("id")).containsExactly(id);
    }

    /** The first frame the bridge answers to a raw {@code register} frame carrying {@code token}. */
    private JsonObject registerFrame(String token, String address) throws Exception {
        JsonObject frame = new JsonObject().put("type", "register").put("address", address);
        if (!token.isEmpty()) {
            frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
        }
        return frame(null, frame);
    }

    /** The first frame the bridge answers to {@code frame}, on a socket that connected with {@code connectToken} (or none). */
    private JsonObject frame(String connectToken, JsonObject frame) throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        try {
            io.vertx.core.http.WebSocketConnectOptions connect = new io.vertx.core.http.WebSocketConnectOptions()
                    .setHost("127.0.0.1").setPort(shell.port()).setURI("/eventbus/websocket");
            if (connectToken != null) {
                connect.addHeader("Authorization", "Bearer " + connectToken);
            }
            WebSocket socket = await(client.connect(connect));
            BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
            socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
            socket.binaryMessageHandler(bytes -> frames.add(new JsonObject(bytes.toString())));
            await(socket.writeTextMessage(frame.encode()));
            JsonObject first = frames.poll(60, TimeUnit.SECONDS);
            assertThat(first).as("a frame from the bridge").isNotNull();
            return first;
        } finally {
            await(client.close());
        }
    }
}
