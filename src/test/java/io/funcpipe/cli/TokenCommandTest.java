package io.funcpipe.cli;

import static io.funcpipe.cli.Cli.funcpipe;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.cli.Cli.Run;
import io.funcpipe.service.auth.ApiKeys;
import io.funcpipe.service.auth.Authenticator;
import io.funcpipe.service.job.Caller;
import io.funcpipe.service.shell.ServiceConfig;
import io.vertx.core.Vertx;

@DisplayName("funcpipe token, and serve's refusal to run open beyond loopback")
class TokenCommandTest {

    @TempDir
    Path tmp;

    @Test
    @DisplayName("token apikey prints a key, and the key-file line that authenticates exactly that key")
    void apiKey() throws Exception {
        Run run = funcpipe("token", "apikey", "--principal", "alice", "--roles", "staff,admin");
        assertThat(run.exit()).as(run.both()).isZero();
        String key = run.out().strip();
        String line = run.err().lines().filter(l -> l.startsWith("sha256:")).findFirst().orElseThrow();
        assertThat(line).endsWith(" alice admin,staff").doesNotContain(key);
        ApiKeys keys = ApiKeys.read(Files.writeString(tmp.resolve("keys"), line + "\n"));
        assertThat(keys.authenticate(key).await(30, TimeUnit.SECONDS)).isEqualTo(new Caller("alice", Set.of("staff", "admin")));
        assertThat(keys.authenticate(key + "x").failed()).isTrue();
        assertThat(keys.authenticate(null).cause()).hasMessage(Authenticator.MISSING);
    }

    @Test
    @DisplayName("token apikey --append adds the key's line to the key file, which then authenticates both keys")
    void append() throws Exception {
        Path file = tmp.resolve("api-keys");
        Run first = funcpipe("token", "apikey", "--principal", "alice", "--append", file.toString());
        Run second = funcpipe("token", "apikey", "--principal", "ops", "--roles", "admin", "--append", file.toString());
        assertThat(first.exit()).as(first.both()).isZero();
        assertThat(second.exit()).as(second.both()).isZero();
        assertThat(second.err()).contains("added the key's line for ops to " + file);

        assertThat(Files.readAllLines(file)).hasSize(2).allMatch(l -> l.startsWith("sha256:"));
        ApiKeys keys = ApiKeys.read(file);
        assertThat(keys.authenticate(first.out().strip()).await(30, TimeUnit.SECONDS)).isEqualTo(new Caller("alice", Set.of()));
        assertThat(keys.authenticate(second.out().strip()).await(30, TimeUnit.SECONDS)).isEqualTo(new Caller("ops", Set.of("admin")));

        Run missing = funcpipe("token", "apikey", "--principal", "bob", "--append", tmp.resolve("no/such/dir/keys").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot add the key's line to " + tmp.resolve("no/such/dir/keys"))
                .contains("check that the folder exists and is writable");
    }

    @Test
    @DisplayName("token jwt signs a token the service's JWT settings accept")
    void jwt() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret"), "a-long-shared-secret-for-the-tests-0123456789\n");
        Run run = funcpipe("token", "jwt", "--principal", "bob", "--roles", "staff", "--secret-file", secret.toString(),
                "--expires-in", "10m");
        assertThat(run.exit()).as(run.both()).isZero();
        Vertx vertx = Vertx.vertx();
        try {
            Authenticator jwt = Authenticator.of(vertx, new ServiceConfig.Http("127.0.0.1", 0).withAuth(new ServiceConfig.Auth(
                    ServiceConfig.AuthMode.JWT, null, new ServiceConfig.Jwt(secret, null, "RS256", "", ""), java.util.Map.of())))
                    .orElseThrow();
            assertThat(jwt.authenticate(run.out().strip()).await(30, TimeUnit.SECONDS)).isEqualTo(new Caller("bob", Set.of("staff")));
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("a key file line that is not sha256:<hex> <principal> [roles] is refused naming the file and line")
    void badKeyFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("keys"), "# keys\nfpk_plain alice\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiKeys.read(file))
                .hasMessage(file + " line 2 must be 'sha256:<64 hex digits> <principal> [role,role...]' (the principal: "
                        + "letters, digits, . _ @ -, not 'internal', which names the cluster itself); 'funcpipe token apikey' prints "
                        + "such a line");
    }

    @Test
    @DisplayName("serve beyond loopback with no authentication configured exits 2 saying how to fix it")
    void serveRefusesOpen() throws Exception {
        Path conf = Files.writeString(tmp.resolve("open.yaml"), "http:\n  host: 0.0.0.0\n");
        Run run = funcpipe("serve", "--conf", conf.toString());
        assertThat(run.exit()).as(run.both()).isEqualTo(2);
        assertThat(run.err()).contains("http.host is 0.0.0.0, beyond loopback, and no authentication is configured")
                .contains("auth.mode: none");
    }
}
