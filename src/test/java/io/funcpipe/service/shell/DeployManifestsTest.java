package io.funcpipe.service.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import io.funcpipe.service.shell.ServiceConfig.Stage;

/**
 * The Kubernetes manifests in {@code deploy/} and the {@code Dockerfile} agree with the settings:
 * ports, probe paths, variable names and values, users.
 */
class DeployManifestsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path DOCKERFILE = Path.of("Dockerfile");

    private static List<Map<String, Object>> documents;
    private static int httpPort;
    private static int clusterPort;

    @BeforeAll
    static void read() throws IOException {
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
                    if (document != null) {
                        documents.add(map(document));
                    }
                }
            }
        }
        Map<String, Object> defaults = DefaultsFile.values();
        httpPort = (Integer) defaults.get("http.port");
        clusterPort = (Integer) defaults.get("cluster.port");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    /** The value at a dotted path of nested maps, or null. */
    private static Object at(Map<String, Object> root, String path) {
        Object current = root;
        for (String name : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(name);
        }
        return current;
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    private static Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream().filter(d -> name.equals(at(d, "metadata.name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in deploy/"));
    }

    private static List<Map<String, Object>> workloads() {
        return Stream.concat(ofKind("Deployment").stream(), ofKind("StatefulSet").stream()).toList();
    }

    private static List<Map<String, Object>> containers(Map<String, Object> workload) {
        return list(at(workload, "spec.template.spec.containers")).stream().map(DeployManifestsTest::map).toList();
    }

    private static String name(Map<String, Object> document) {
        return document.get("kind") + "/" + at(document, "metadata.name");
    }

    /** The container's variables; those from the Downward API get a value like the one Kubernetes gives. */
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Object item : list(container.get("env"))) {
            Map<String, Object> variable = map(item);
            String field = (String) at(variable, "valueFrom.fieldRef.fieldPath");
            String value = field == null ? (String) variable.get("value") : switch (field) {
                case "status.podIP" -> "10.244.1.17";
                case "metadata.namespace" -> "ingest";
                default -> throw new AssertionError("unexpected fieldRef " + field);
            };
            env.put((String) variable.get("name"), Objects.requireNonNull(value, "value of " + variable.get("name")));
        }
        return env;
    }

    @Test
    @DisplayName("deploy/ holds the expected objects")
    void expectedObjects() {
        assertThat(documents.stream().map(DeployManifestsTest::name)).contains(
                "ServiceAccount/funcpipe", "Role/funcpipe-discovery", "RoleBinding/funcpipe-discovery",
                "Service/funcpipe-hazelcast", "Service/funcpipe-http", "PersistentVolumeClaim/funcpipe-input",
                "Deployment/funcpipe-stages", "StatefulSet/funcpipe-indexer", "NetworkPolicy/funcpipe-cluster");
    }

    @Nested
    @DisplayName("workloads")
    class Workloads {

        @Test
        @DisplayName("container ports are http.port, cluster.port and the cluster.busPort the pods set")
        void containerPorts() {
            for (Map<String, Object> workload : workloads()) {
                for (Map<String, Object> container : containers(workload)) {
                    Set<Object> ports = list(container.get("ports")).stream()
                            .map(p -> map(p).get("containerPort")).collect(Collectors.toSet());
                    int busPort = ServiceConfigLoader.load(Optional.empty(), env(container)).cluster().busPort();
                    assertThat(ports).as(name(workload)).containsExactlyInAnyOrder(httpPort, clusterPort, busPort);
                }
            }
        }

        @Test
        @DisplayName("the event bus between pods is TLS with the certificates of the funcpipe-cluster-tls Secret")
        void clusterTls() {
            for (Map<String, Object> workload : workloads()) {
                for (Map<String, Object> container : containers(workload)) {
                    ServiceConfig.Cluster cluster = ServiceConfigLoader.load(Optional.empty(), env(container)).cluster();
                    assertThat(cluster.tlsOn()).as(name(workload)).isTrue();
                    assertThat(cluster.tls().mode()).as(name(workload)).isEqualTo(ServiceConfig.TlsMode.REQUIRED);
                    String mount = list(container.get("volumeMounts")).stream().map(DeployManifestsTest::map)
                            .filter(m -> "cluster-tls".equals(m.get("name"))).map(m -> (String) m.get("mountPath"))
                            .findFirst().orElseThrow(() -> new AssertionError(name(workload) + " mounts no cluster-tls volume"));
                    for (Optional<Path> file : List.of(cluster.tls().certFile(), cluster.tls().keyFile(), cluster.tls().caFile())) {
                        assertThat(file.orElseThrow().toString()).as(name(workload)).startsWith(mount + "/");
                    }
                    Object secret = list(at(workload, "spec.template.spec.volumes")).stream().map(DeployManifestsTest::map)
                            .filter(v -> "cluster-tls".equals(v.get("name"))).map(v -> at(v, "secret.secretName"))
                            .findFirst().orElse(null);
                    assertThat(secret).as(name(workload)).isEqualTo("funcpipe-cluster-tls");
                }
            }
        }

        @Test
        @DisplayName("probes ask /health/live (startup, liveness) and /health/ready (readiness) on http.port")
        void probes() {
            Map<String, String> paths = Map.of("startupProbe", "/health/live", "livenessProbe", "/health/live",
                    "readinessProbe", "/health/ready");
            for (Map<String, Object> workload : workloads()) {
                for (Map<String, Object> container : containers(workload)) {
                    paths.forEach((probe, path) -> {
                        assertThat(at(container, probe + ".httpGet.path")).as(name(workload) + " " + probe).isEqualTo(path);
                        assertThat(at(container, probe + ".httpGet.port")).as(name(workload) + " " + probe).isEqualTo(httpPort);
                    });
                }
            }
        }

        @Test
        @DisplayName("every FUNCPIPE_ variable names a setting, and together they load")
        void variablesAreSettings() {
            Map<String, String> byVariable = DefaultsFile.keys().stream()
                    .collect(Collectors.toMap(ConfigKeys::envName, key -> key));
            for (Map<String, Object> workload : workloads()) {
                for (Map<String, Object> container : containers(workload)) {
                    Map<String, String> env = env(container);
                    assertThat(env.keySet().stream().filter(n -> n.startsWith(ConfigKeys.ENV_PREFIX)))
                            .as(name(workload) + ": variables naming no key of conf/funcpipe.yaml")
                            .allSatisfy(n -> assertThat(byVariable).containsKey(n));

                    ServiceConfig config = ServiceConfigLoader.load(Optional.empty(), env);

                    assertThat(config.cluster().enabled()).as(name(workload)).isTrue();
                    assertThat(config.cluster().kubernetes().enabled()).as(name(workload)).isTrue();
                    assertThat(config.cluster().kubernetes().serviceName()).isEqualTo(at(named("Service", "funcpipe-hazelcast"), "metadata.name"));
                    assertThat(config.cluster().host()).isEqualTo("10.244.1.17");
                    assertThat(config.http().host()).as(name(workload) + ": probes reach the pod IP").isEqualTo("0.0.0.0");
                }
            }
        }

        @Test
        @DisplayName("stateless stages in the Deployment, the index stage in the StatefulSet with its volume at index.dir")
        void stagePlacement() {
            Map<String, Object> stages = named("Deployment", "funcpipe-stages");
            Map<String, Object> indexer = named("StatefulSet", "funcpipe-indexer");
            ServiceConfig stagesConfig = ServiceConfigLoader.load(Optional.empty(), env(containers(stages).get(0)));
            ServiceConfig indexerConfig = ServiceConfigLoader.load(Optional.empty(), env(containers(indexer).get(0)));

            assertThat(stagesConfig.stages().hosted()).containsExactlyInAnyOrder(Stage.PARSE, Stage.CLEAN, Stage.EMBED);
            assertThat(indexerConfig.stages().hosted()).containsExactly(Stage.INDEX);
            assertThat(at(indexer, "spec.replicas")).isEqualTo(1);
            String claim = (String) at(map(list(at(indexer, "spec.volumeClaimTemplates")).get(0)), "metadata.name");
            List<Object> mounts = list(containers(indexer).get(0).get("volumeMounts"));
            assertThat(mounts).anySatisfy(m -> {
                assertThat(map(m).get("name")).isEqualTo(claim);
                assertThat(Path.of((String) map(m).get("mountPath"))).isEqualTo(indexerConfig.index().dir());
            });
        }

        @Test
        @DisplayName("pods run as non-root, without service links, with resources and a grace period above shutdown.grace")
        void podHygiene() {
            Duration grace = ServiceConfigLoader.load(Optional.empty(), Map.of()).shutdown().grace();
            for (Map<String, Object> workload : workloads()) {
                Map<String, Object> pod = map(at(workload, "spec.template.spec"));
                assertThat(at(pod, "securityContext.runAsNonRoot")).as(name(workload)).isEqualTo(true);
                assertThat((Integer) at(pod, "securityContext.runAsUser")).as(name(workload)).isPositive();
                assertThat(pod.get("enableServiceLinks")).as(name(workload) + " enableServiceLinks").isEqualTo(false);
                assertThat(pod.get("serviceAccountName")).as(name(workload)).isEqualTo("funcpipe");
                assertThat(((Integer) pod.get("terminationGracePeriodSeconds")).longValue())
                        .as(name(workload)).isGreaterThan(grace.toSeconds());
                for (Map<String, Object> container : containers(workload)) {
                    for (String bound : List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory")) {
                        assertThat(at(container, "resources." + bound)).as(name(workload) + " " + bound).isNotNull();
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("services and discovery")
    class Services {

        @Test
        @DisplayName("funcpipe-hazelcast is headless on cluster.port, lists not-ready pods and selects every workload")
        void hazelcastService() {
            Map<String, Object> service = named("Service", "funcpipe-hazelcast");

            assertThat(at(service, "spec.clusterIP")).isEqualTo("None");
            assertThat(at(service, "spec.publishNotReadyAddresses")).isEqualTo(true);
            assertThat(list(at(service, "spec.ports")).stream().map(p -> map(p).get("port"))).containsExactly(clusterPort);
            assertSelectsEveryWorkload(service);
        }

        @Test
        @DisplayName("the NetworkPolicy lets only FuncPipe pods reach cluster.port and the bus port, and anyone http.port")
        void networkPolicy() {
            Map<String, Object> policy = named("NetworkPolicy", "funcpipe-cluster");
            Map<String, Object> pods = map(at(policy, "spec.podSelector.matchLabels"));
            assertThat(pods).containsEntry("app.kubernetes.io/part-of", "funcpipe");
            int busPort = ServiceConfigLoader.load(Optional.empty(), env(containers(workloads().get(0)).get(0))).cluster().busPort();
            Map<Set<Object>, Object> fromByPorts = new HashMap<>();
            for (Object item : list(at(policy, "spec.ingress"))) {
                Map<String, Object> rule = map(item);
                Set<Object> ports = list(rule.get("ports")).stream().map(p -> map(p).get("port")).collect(Collectors.toSet());
                fromByPorts.put(ports, rule.get("from"));
            }
            assertThat(fromByPorts).containsOnlyKeys(Set.of(clusterPort, busPort), Set.of(httpPort));
            List<Object> from = list(fromByPorts.get(Set.of(clusterPort, busPort)));
            assertThat(from).hasSize(1);
            assertThat(at(map(from.get(0)), "podSelector.matchLabels")).isEqualTo(pods);
            for (Map<String, Object> workload : workloads()) {
                assertThat(map(at(workload, "spec.template.metadata.labels"))).as(name(workload))
                        .containsEntry("app.kubernetes.io/part-of", "funcpipe");
            }
        }

        @Test
        @DisplayName("funcpipe-http serves http.port and selects every workload")
        void httpService() {
            Map<String, Object> service = named("Service", "funcpipe-http");

            assertThat(list(at(service, "spec.ports"))).singleElement().satisfies(p -> {
                assertThat(map(p).get("port")).isEqualTo(httpPort);
                assertThat(map(p).get("targetPort")).isEqualTo(httpPort);
            });
            assertSelectsEveryWorkload(service);
        }

        private void assertSelectsEveryWorkload(Map<String, Object> service) {
            Map<String, Object> selector = map(at(service, "spec.selector"));
            for (Map<String, Object> workload : workloads()) {
                assertThat(map(at(workload, "spec.template.metadata.labels"))).as(name(workload))
                        .containsAllEntriesOf(selector);
            }
        }

        @Test
        @DisplayName("the pods' ServiceAccount may get, list and watch endpoints, pods and services")
        void discoveryRbac() {
            Map<String, Object> role = named("Role", "funcpipe-discovery");
            Map<String, Object> binding = named("RoleBinding", "funcpipe-discovery");

            Map<String, Object> core = list(role.get("rules")).stream().map(DeployManifestsTest::map)
                    .filter(r -> list(r.get("apiGroups")).contains("")).findFirst().orElseThrow();
            assertThat(list(core.get("resources"))).contains("endpoints", "pods", "services");
            assertThat(list(core.get("verbs"))).contains("get", "list", "watch");
            assertThat(at(binding, "roleRef.name")).isEqualTo("funcpipe-discovery");
            assertThat(list(binding.get("subjects"))).anySatisfy(s -> {
                assertThat(map(s).get("kind")).isEqualTo("ServiceAccount");
                assertThat(map(s).get("name")).isEqualTo("funcpipe");
            });
        }
    }

    @Nested
    @DisplayName("Dockerfile")
    class Dockerfile {

        private List<String> instructions(String name) throws IOException {
            // Joins continued lines, then keeps the arguments of each instruction called name.
            String joined = Files.readString(DOCKERFILE).replace("\\\n", " ");
            return joined.lines().map(String::strip).filter(l -> l.startsWith(name + " "))
                    .map(l -> l.substring(name.length()).strip()).toList();
        }

        @Test
        @DisplayName("exposes http.port, cluster.port and the bus port deploy/ sets")
        void exposesPorts() throws IOException {
            Set<String> exposed = instructions("EXPOSE").stream().flatMap(l -> Stream.of(l.split("\\s+")))
                    .collect(Collectors.toSet());

            assertThat(exposed).contains(String.valueOf(httpPort), String.valueOf(clusterPort), "5710");
        }

        @Test
        @DisplayName("runs as a non-root user")
        void nonRoot() throws IOException {
            List<String> users = instructions("USER");

            assertThat(users).isNotEmpty();
            String user = users.get(users.size() - 1).split(":")[0];
            assertThat(user).isNotIn("root", "0");
            assertThat(user).isEqualTo(String.valueOf(at(named("Deployment", "funcpipe-stages"),
                    "spec.template.spec.securityContext.runAsUser")));
        }

        @Test
        @DisplayName("builds with Maven and runs the jar's serve command on a Temurin 21 JRE with the shipped config")
        void runtime() throws IOException {
            List<String> from = instructions("FROM");

            assertThat(from).hasSize(2);
            assertThat(from.get(1)).isEqualTo("eclipse-temurin:21-jre");
            assertThat(instructions("COPY")).contains("conf/ ./conf/");
            assertThat(instructions("ENTRYPOINT")).singleElement().satisfies(e -> assertThat(e)
                    .contains("\"-jar\", \"funcpipe.jar\", \"serve\", \"--conf\", \"/app/conf/funcpipe.yaml\""));
            assertThat(instructions("ENV")).anySatisfy(e -> assertThat(e).contains("-XX:MaxRAMPercentage=75"));
        }
    }
}
