package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.service.shell.ServiceConfig.Stage;
import io.vertx.core.Vertx;

class ServiceConfigLoaderTest {

    private static final Path WORKING_DIR = Path.of("/srv/funcpipe");

    private static Vertx vertx;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().await();
    }

    private static ServiceConfig load(Path file, Map<String, String> env) {
        return ServiceConfigLoader.load(vertx, Optional.ofNullable(file), env, WORKING_DIR).await();
    }

    private Path yaml(String text) throws IOException {
        return Files.writeString(tmp.resolve("funcpipe.yaml"), text);
    }

    @Nested
    @DisplayName("defaults")
    class Defaults {

        @Test
        @DisplayName("with no file and no variables every key has its documented default")
        void defaultsLoad() {
            ServiceConfig config = load(null, Map.of());

            assertThat(config.http().host()).isEqualTo("127.0.0.1");
            assertThat(config.http().port()).isEqualTo(8080);
            assertThat(config.http().auth().mode()).isEqualTo(ServiceConfig.AuthMode.AUTO);
            assertThat(config.inputRoots()).containsExactly(WORKING_DIR.resolve("samples"));
            assertThat(config.index().dir()).isEqualTo(WORKING_DIR.resolve("funcpipe-indexes"));
            assertThat(config.index().maxOpen()).isEqualTo(64);
            assertThat(config.index().idleClose()).isEqualTo(Duration.ofMinutes(10));
            assertThat(config.stages().hosted()).containsExactlyInAnyOrder(Stage.values());
            assertThat(config.stages().instances()).isEqualTo(new ServiceConfig.Instances(1, 1, 1, 1));
            assertThat(config.transport()).isEqualTo(new ServiceConfig.Transport(4, 16, 8, Duration.ofSeconds(10)));
            assertThat(config.embedder()).isEqualTo(new ServiceConfig.Embedder(EmbedderSpec.Kind.MINILM,
                    new ServiceConfig.OpenAi("", "text-embedding-3-small", 1536, "OPENAI_API_KEY")));
            assertThat(config.jobs()).isEqualTo(new ServiceConfig.Jobs(4, Duration.ofMillis(500), Duration.ofMinutes(2), 1000, Duration.ofDays(7)));
            assertThat(config.shutdown()).isEqualTo(new ServiceConfig.Shutdown(Duration.ofSeconds(30)));
            assertThat(config.cluster()).isEqualTo(new ServiceConfig.Cluster(false, "127.0.0.1", 5701,
                    List.of("127.0.0.1"), new ServiceConfig.Kubernetes(false, "funcpipe-hazelcast", "default"), 0,
                    new ServiceConfig.Tls(ServiceConfig.TlsMode.AUTO, Optional.empty(), Optional.empty(), Optional.empty())));
            assertThat(config.cluster().tlsOn()).as("auto on the loopback address").isFalse();
        }

        @Test
        @DisplayName("the blocking load (no Vert.x instance yet) gives the same settings")
        void blockingLoadWithoutVertx() {
            ServiceConfig config = ServiceConfigLoader.load(Optional.empty(), Map.of("FUNCPIPE_HTTP_PORT", "9000"));

            assertThat(config.http().port()).isEqualTo(9000);
            assertThat(config.index().dir()).isAbsolute();
        }

        @Test
        @DisplayName("binding reads every key of the defaults (no documented key is ignored)")
        void everyKeyIsRead() {
            ConfigValues values = ServiceConfigLoader.settings(vertx, Optional.empty(), Map.of()).await();

            ConfigBinding.bind(values, WORKING_DIR);

            assertThat(values.unread()).isEmpty();
        }
    }

    @Nested
    @DisplayName("layers")
    class Layers {

        @Test
        @DisplayName("a file changes only the keys it sets")
        void fileOverridesDefaults() throws IOException {
            Path file = yaml("""
                    http:
                      port: 9090
                    inputRoots: [/data/in, docs]
                    stages:
                      hosted: [embed]
                      instances:
                        embed: 2
                    """);

            ServiceConfig config = load(file, Map.of());

            assertThat(config.http().host()).isEqualTo("127.0.0.1");
            assertThat(config.http().port()).isEqualTo(9090);
            assertThat(config.inputRoots()).containsExactly(Path.of("/data/in"), WORKING_DIR.resolve("docs"));
            assertThat(config.stages().hosted()).containsExactly(Stage.EMBED);
            assertThat(config.stages().instances()).isEqualTo(new ServiceConfig.Instances(1, 1, 2, 1));
            assertThat(config.transport().window()).isEqualTo(4);
        }

        @Test
        @DisplayName("an empty file, or an empty section, changes nothing")
        void emptyFileAndSection() throws IOException {
            ServiceConfig defaults = load(null, Map.of());

            assertThat(load(yaml(""), Map.of())).isEqualTo(defaults);
            assertThat(load(yaml("http:\ncluster: {}\n"), Map.of())).isEqualTo(defaults);
        }

        @Test
        @DisplayName("environment variables override the file and the defaults, parsed by the key's type")
        void environmentOverrides() throws IOException {
            Path file = yaml("http:\n  port: 9090\n");
            Map<String, String> env = Map.of(
                    "FUNCPIPE_HTTP_PORT", "9191",
                    "FUNCPIPE_INPUT_ROOTS", "/a, /b",
                    "FUNCPIPE_INDEX_DIR", "/var/lib/funcpipe",
                    "FUNCPIPE_STAGES_HOSTED", "parse,clean",
                    "FUNCPIPE_TRANSPORT_DOC_BATCH", "64",
                    "FUNCPIPE_TRANSPORT_REPLY_TIMEOUT", "2m",
                    "FUNCPIPE_EMBEDDER_KIND", "openai",
                    "FUNCPIPE_EMBEDDER_OPENAI_URL", "http://127.0.0.1:8000",
                    "FUNCPIPE_EMBEDDER_OPENAI_API_KEY_ENV", "",
                    "FUNCPIPE_CLUSTER_KUBERNETES_ENABLED", "TRUE");

            ServiceConfig config = load(file, env);

            assertThat(config.http().port()).isEqualTo(9191);
            assertThat(config.inputRoots()).containsExactly(Path.of("/a"), Path.of("/b"));
            assertThat(config.index().dir()).isEqualTo(Path.of("/var/lib/funcpipe"));
            assertThat(config.stages().hosted()).containsExactlyInAnyOrder(Stage.PARSE, Stage.CLEAN);
            assertThat(config.transport().docBatch()).isEqualTo(64);
            assertThat(config.transport().replyTimeout()).isEqualTo(Duration.ofMinutes(2));
            assertThat(config.embedder().kind()).isEqualTo(EmbedderSpec.Kind.OPENAI);
            assertThat(config.embedder().openai().url()).isEqualTo("http://127.0.0.1:8000");
            assertThat(config.embedder().openai().apiKeyEnv()).isEmpty();
            assertThat(config.cluster().kubernetes().enabled()).isTrue();
        }

        @Test
        @DisplayName("an empty variable is an empty list")
        void emptyListFromEnvironment() {
            ServiceConfig config = load(null, Map.of("FUNCPIPE_STAGES_HOSTED", ""));

            assertThat(config.stages().hosted()).isEmpty();
        }
    }

    @Nested
    @DisplayName("environment names")
    class EnvironmentNames {

        @Test
        @DisplayName("dots and camel-case humps become underscores")
        void rule() {
            assertThat(ConfigKeys.envName("http.port")).isEqualTo("FUNCPIPE_HTTP_PORT");
            assertThat(ConfigKeys.envName("inputRoots")).isEqualTo("FUNCPIPE_INPUT_ROOTS");
            assertThat(ConfigKeys.envName("index.dir")).isEqualTo("FUNCPIPE_INDEX_DIR");
            assertThat(ConfigKeys.envName("embedder.openai.apiKeyEnv")).isEqualTo("FUNCPIPE_EMBEDDER_OPENAI_API_KEY_ENV");
            assertThat(ConfigKeys.envName("a.b2C")).isEqualTo("FUNCPIPE_A_B2_C");
        }

        @Test
        @DisplayName("no two keys share a variable")
        void namesAreUnique() {
            List<String> keys = DefaultsFile.keys();

            assertThat(keys.stream().map(ConfigKeys::envName).distinct()).hasSameSizeAs(keys);
        }

        @Test
        @DisplayName("FUNCPIPE_ variables naming no key are reported, others are not")
        void unknownVariables() {
            Map<String, String> env = Map.of("FUNCPIPE_HTTP_PROT", "1", "FUNCPIPE_HTTP_PORT", "1",
                    "FUNCPIPE_JAVA_OPTS", "-Xmx1g", "HOME", "/root");

            assertThat(ServiceConfigLoader.unknownVariables(env, Set.copyOf(DefaultsFile.keys())))
                    .containsExactly("FUNCPIPE_HTTP_PROT");
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        @DisplayName("index.idleClose takes 0 (never), a second or more, in any duration form")
        void idleClose() {
            assertThat(load(null, Map.of("FUNCPIPE_INDEX_IDLE_CLOSE", "0")).index().idleClose()).isZero();
            assertThat(load(null, Map.of("FUNCPIPE_INDEX_IDLE_CLOSE", "1s")).index().idleClose()).isEqualTo(Duration.ofSeconds(1));
            assertThat(load(null, Map.of("FUNCPIPE_INDEX_IDLE_CLOSE", "PT2H")).index().idleClose()).isEqualTo(Duration.ofHours(2));
            assertThat(load(null, Map.of("FUNCPIPE_INDEX_IDLE_CLOSE", "90000")).index().idleClose()).isEqualTo(Duration.ofSeconds(90));
        }

        static Stream<Arguments> invalidValues() {
            return Stream.of(
                    Arguments.of("FUNCPIPE_HTTP_PORT", "70000", "http.port must be 1..65535, got 70000 (from FUNCPIPE_HTTP_PORT)"),
                    Arguments.of("FUNCPIPE_HTTP_PORT", "http", "http.port must be 1..65535, got http (from FUNCPIPE_HTTP_PORT)"),
                    Arguments.of("FUNCPIPE_HTTP_HOST", " ", "http.host must be a non-empty text, got \" \" (from FUNCPIPE_HTTP_HOST)"),
                    Arguments.of("FUNCPIPE_INPUT_ROOTS", "", "inputRoots must be a non-empty list of directories, got \"\" (from FUNCPIPE_INPUT_ROOTS)"),
                    Arguments.of("FUNCPIPE_INPUT_ROOTS", "a,,b", "inputRoots must be a comma-separated list of non-empty texts, got a,,b (from FUNCPIPE_INPUT_ROOTS)"),
                    Arguments.of("FUNCPIPE_INDEX_DIR", "", "index.dir must be a non-empty text, got \"\" (from FUNCPIPE_INDEX_DIR)"),
                    Arguments.of("FUNCPIPE_INDEX_DIR", "bad\0path", "index.dir must be a file-system path"),
                    Arguments.of("FUNCPIPE_INDEX_IDLE_CLOSE", "500ms", "index.idleClose must be 0 (never close idle indexes) or a duration of at least 1s such as 10m, got 500ms (from FUNCPIPE_INDEX_IDLE_CLOSE)"),
                    Arguments.of("FUNCPIPE_INDEX_IDLE_CLOSE", "-1m", "index.idleClose must be 0 (never close idle indexes) or a duration of at least 1s such as 10m, got -1m (from FUNCPIPE_INDEX_IDLE_CLOSE)"),
                    Arguments.of("FUNCPIPE_INDEX_IDLE_CLOSE", "later", "index.idleClose must be 0 (never close idle indexes) or a duration of at least 1s such as 10m, got later (from FUNCPIPE_INDEX_IDLE_CLOSE)"),
                    Arguments.of("FUNCPIPE_STAGES_HOSTED", "parse,chunk", "stages.hosted must be a list of stages from parse, clean, embed, index, got parse,chunk (from FUNCPIPE_STAGES_HOSTED)"),
                    Arguments.of("FUNCPIPE_STAGES_HOSTED", "embed,embed", "stages.hosted must be a list naming each stage at most once (embed is repeated), got embed,embed (from FUNCPIPE_STAGES_HOSTED)"),
                    Arguments.of("FUNCPIPE_STAGES_INSTANCES_PARSE", "0", "stages.instances.parse must be 1..64, got 0 (from FUNCPIPE_STAGES_INSTANCES_PARSE)"),
                    Arguments.of("FUNCPIPE_STAGES_INSTANCES_CLEAN", "65", "stages.instances.clean must be 1..64, got 65 (from FUNCPIPE_STAGES_INSTANCES_CLEAN)"),
                    Arguments.of("FUNCPIPE_STAGES_INSTANCES_EMBED", "-1", "stages.instances.embed must be 1..64, got -1 (from FUNCPIPE_STAGES_INSTANCES_EMBED)"),
                    Arguments.of("FUNCPIPE_STAGES_INSTANCES_INDEX", "1.5", "stages.instances.index must be 1..64, got 1.5 (from FUNCPIPE_STAGES_INSTANCES_INDEX)"),
                    Arguments.of("FUNCPIPE_TRANSPORT_WINDOW", "0", "transport.window must be 1..1024, got 0 (from FUNCPIPE_TRANSPORT_WINDOW)"),
                    Arguments.of("FUNCPIPE_TRANSPORT_DOC_BATCH", "5000", "transport.docBatch must be 1..4096, got 5000 (from FUNCPIPE_TRANSPORT_DOC_BATCH)"),
                    Arguments.of("FUNCPIPE_TRANSPORT_EMBED_BATCH", "99999999999", "transport.embedBatch must be 1..4096, got 99999999999 (from FUNCPIPE_TRANSPORT_EMBED_BATCH)"),
                    Arguments.of("FUNCPIPE_TRANSPORT_REPLY_TIMEOUT", "0s", "transport.replyTimeout must be a duration > 0 such as 500ms, 30s or 2m, got 0s (from FUNCPIPE_TRANSPORT_REPLY_TIMEOUT)"),
                    Arguments.of("FUNCPIPE_TRANSPORT_REPLY_TIMEOUT", "soon", "transport.replyTimeout must be a duration > 0 such as 500ms, 30s or 2m, got soon (from FUNCPIPE_TRANSPORT_REPLY_TIMEOUT)"),
                    Arguments.of("FUNCPIPE_EMBEDDER_KIND", "bert", "embedder.kind must be one of minilm, minilm-q, bge-small-q, hash, openai, got bert (from FUNCPIPE_EMBEDDER_KIND)"),
                    Arguments.of("FUNCPIPE_EMBEDDER_KIND", "openai", "embedder.openai.url must be an http:// or https:// URL when embedder.kind is openai, got \"\" (from the built-in defaults)"),
                    Arguments.of("FUNCPIPE_EMBEDDER_OPENAI_URL", "ftp://x", "embedder.openai.url must be an http:// or https:// URL, or empty, got ftp://x (from FUNCPIPE_EMBEDDER_OPENAI_URL)"),
                    Arguments.of("FUNCPIPE_EMBEDDER_OPENAI_MODEL", "", "embedder.openai.model must be a non-empty text, got \"\" (from FUNCPIPE_EMBEDDER_OPENAI_MODEL)"),
                    Arguments.of("FUNCPIPE_EMBEDDER_OPENAI_DIMENSIONS", "0", "embedder.openai.dimensions must be a whole number >= 1, got 0 (from FUNCPIPE_EMBEDDER_OPENAI_DIMENSIONS)"),
                    Arguments.of("FUNCPIPE_EMBEDDER_OPENAI_API_KEY_ENV", "MY-KEY", "embedder.openai.apiKeyEnv must be the name of an environment variable (letters, digits, _), or empty for no key, got MY-KEY (from FUNCPIPE_EMBEDDER_OPENAI_API_KEY_ENV)"),
                    Arguments.of("FUNCPIPE_JOBS_MAX_RUNNING", "0", "jobs.maxRunning must be 1..1024, got 0 (from FUNCPIPE_JOBS_MAX_RUNNING)"),
                    Arguments.of("FUNCPIPE_JOBS_PROGRESS_INTERVAL", "PT0S", "jobs.progressInterval must be a duration > 0 such as 500ms, 30s or 2m, got PT0S (from FUNCPIPE_JOBS_PROGRESS_INTERVAL)"),
                    Arguments.of("FUNCPIPE_SHUTDOWN_GRACE", "-1s", "shutdown.grace must be a duration >= 0 such as 500ms, 30s or 2m, got -1s (from FUNCPIPE_SHUTDOWN_GRACE)"),
                    Arguments.of("FUNCPIPE_CLUSTER_ENABLED", "yes", "cluster.enabled must be true or false, got yes (from FUNCPIPE_CLUSTER_ENABLED)"),
                    Arguments.of("FUNCPIPE_CLUSTER_HOST", "localhost", "cluster.host must be an IPv4 address of this node such as 10.0.0.5 (Hazelcast binds to it), got localhost (from FUNCPIPE_CLUSTER_HOST)"),
                    Arguments.of("FUNCPIPE_CLUSTER_HOST", "10.0.0.256", "cluster.host must be an IPv4 address"),
                    Arguments.of("FUNCPIPE_CLUSTER_PORT", "0", "cluster.port must be 1..65535, got 0 (from FUNCPIPE_CLUSTER_PORT)"),
                    Arguments.of("FUNCPIPE_CLUSTER_KUBERNETES_ENABLED", "1", "cluster.kubernetes.enabled must be true or false, got 1 (from FUNCPIPE_CLUSTER_KUBERNETES_ENABLED)"),
                    Arguments.of("FUNCPIPE_CLUSTER_KUBERNETES_SERVICE_NAME", "Funcpipe_HZ", "cluster.kubernetes.serviceName must be a Kubernetes name: lower-case letters, digits and '-', at most 63 characters, got Funcpipe_HZ (from FUNCPIPE_CLUSTER_KUBERNETES_SERVICE_NAME)"),
                    Arguments.of("FUNCPIPE_CLUSTER_KUBERNETES_NAMESPACE", "-x", "cluster.kubernetes.namespace must be a Kubernetes name"),
                    Arguments.of("FUNCPIPE_CLUSTER_BUS_PORT", "65536", "cluster.busPort must be 0..65535, got 65536 (from FUNCPIPE_CLUSTER_BUS_PORT)"),
                    Arguments.of("FUNCPIPE_CLUSTER_TLS_MODE", "yes", "cluster.tls.mode must be one of auto, required, disabled, got yes (from FUNCPIPE_CLUSTER_TLS_MODE)"));
        }

        @ParameterizedTest(name = "{0}={1}")
        @MethodSource("invalidValues")
        @DisplayName("an invalid value names the key, the value, its source and what is allowed")
        void invalidValue(String variable, String value, String message) {
            assertThatThrownBy(() -> load(null, Map.of(variable, value)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(message);
        }

        @Test
        @DisplayName("cluster members are required when clustering over TCP/IP")
        void membersRequiredForTcpIp() {
            assertThatThrownBy(() -> load(null, Map.of("FUNCPIPE_CLUSTER_ENABLED", "true", "FUNCPIPE_CLUSTER_MEMBERS", "")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("cluster.members must be a non-empty list of host or host:port when cluster.enabled is true "
                            + "and Kubernetes discovery is off, got \"\" (from FUNCPIPE_CLUSTER_MEMBERS)");
        }

        @Test
        @DisplayName("a cluster beyond loopback needs TLS files, or TLS disabled on purpose")
        void tlsFilesRequiredBeyondLoopback() {
            Map<String, String> clustered = Map.of("FUNCPIPE_CLUSTER_ENABLED", "true", "FUNCPIPE_CLUSTER_HOST", "10.0.0.5",
                    "FUNCPIPE_CLUSTER_MEMBERS", "10.0.0.6");

            assertThatThrownBy(() -> load(null, clustered))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cluster.tls.certFile must be a PEM file when cluster TLS is on")
                    .hasMessageContaining("bin/funcpipe-certs DIR")
                    .hasMessageContaining("cluster.tls.mode to disabled");
            Map<String, String> disabled = new java.util.HashMap<>(clustered);
            disabled.put("FUNCPIPE_CLUSTER_TLS_MODE", "disabled");
            assertThat(load(null, disabled).cluster().tlsOn()).isFalse();
            Map<String, String> files = new java.util.HashMap<>(clustered);
            files.putAll(Map.of("FUNCPIPE_CLUSTER_TLS_CERT_FILE", "certs/node.pem", "FUNCPIPE_CLUSTER_TLS_KEY_FILE",
                    "certs/node.key", "FUNCPIPE_CLUSTER_TLS_CA_FILE", "certs/ca.pem"));
            ServiceConfig.Cluster cluster = load(null, files).cluster();
            assertThat(cluster.tlsOn()).isTrue();
            assertThat(cluster.tls().caFile().orElseThrow().toString()).isEqualTo("/srv/funcpipe/certs/ca.pem");
        }

        @Test
        @DisplayName("a value from a file names the file")
        void valueFromFile() throws IOException {
            Path file = yaml("http:\n  port: 70000\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("http.port must be 1..65535, got 70000 (from " + file.toAbsolutePath() + ")");
        }

        @Test
        @DisplayName("a list where a value is expected is refused")
        void wrongShapeFromFile() throws IOException {
            Path file = yaml("jobs:\n  maxRunning: [1, 2]\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("jobs.maxRunning must be 1..1024, got [1, 2] (from " + file.toAbsolutePath() + ")");
        }

        @Test
        @DisplayName("a Kubernetes service-link variable gets a hint")
        void serviceLinkHint() {
            assertThatThrownBy(() -> load(null, Map.of("FUNCPIPE_HTTP_PORT", "tcp://10.0.0.1:8080")))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("enableServiceLinks: false");
        }
    }

    @Nested
    @DisplayName("unknown keys and unreadable files")
    class UnknownKeys {

        @Test
        @DisplayName("an unknown key in a file is an error naming it, with the likely key")
        void unknownKey() throws IOException {
            Path file = yaml("http:\n  prot: 9090\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("unknown key http.prot in " + file.toAbsolutePath() + "; did you mean http.port?"
                            + " (every key is listed in conf/funcpipe.yaml and docs/service-config.md)");
        }

        @Test
        @DisplayName("an unknown key far from every known one gets no guess")
        void unknownKeyWithoutGuess() throws IOException {
            Path file = yaml("telemetry:\n  exporter: otlp\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("unknown key telemetry.exporter in " + file.toAbsolutePath()
                            + " (every key is listed in conf/funcpipe.yaml and docs/service-config.md)");
        }

        @Test
        @DisplayName("a value where a section belongs is an error")
        void valueForSection() throws IOException {
            Path file = yaml("http: 8080\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("http is a section holding http.host, http.port, http.allowedOrigins, http.metricsAuth, not a value; got 8080 (from "
                            + file.toAbsolutePath() + ")");
        }

        @Test
        @DisplayName("nested keys under a value are an error")
        void nestedUnderValue() throws IOException {
            Path file = yaml("http:\n  port:\n    number: 1\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("http.port takes a value, not nested keys; found http.port.number (in "
                            + file.toAbsolutePath() + ")");
        }

        @Test
        @DisplayName("a missing file is named")
        void missingFile() {
            Path file = tmp.resolve("absent.yaml");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("config file " + file + " does not exist or is not a regular file; check the path given with --conf");
        }

        @Test
        @DisplayName("a file whose top level is not a mapping is named")
        void topLevelList() throws IOException {
            Path file = yaml("- http\n- port\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cannot read " + file.toAbsolutePath() + " as YAML")
                    .hasMessageEndingWith(": the top level is a list or a single value, not a mapping of keys");
        }

        @Test
        @DisplayName("a file that is not YAML is named, with the parser's position")
        void notYaml() throws IOException {
            Path file = yaml("http:\n  port: [1\n");

            assertThatThrownBy(() -> load(file, Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("cannot read " + file.toAbsolutePath() + " as YAML")
                    .hasMessageContaining("line 3");
        }
    }
}
