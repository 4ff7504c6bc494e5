package io.funcpipe.service.shell;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.service.shell.ServiceConfig.Stage;

/**
 * Reads every key of the merged settings into a {@link ServiceConfig}, checking each value's
 * range and the rules that tie keys together. The ranges here are the ones
 * {@code conf/funcpipe.yaml} documents.
 */
final class ConfigBinding {

    private static final Duration POSITIVE = Duration.ofNanos(1);
    private static final Duration MIN_IDLE_CLOSE = Duration.ofSeconds(1);
    private static final int MAX_PORT = 65_535;
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    /** A DNS-1123 label: what Kubernetes accepts as a Service name or a namespace. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final ConfigValues values;
    private final Path workingDir;

    private ConfigBinding(ConfigValues values, Path workingDir) {
        this.values = values;
        this.workingDir = workingDir;
    }

    /** Binds {@code values}; relative paths are resolved against {@code workingDir}. */
    static ServiceConfig bind(ConfigValues values, Path workingDir) {
        return new ConfigBinding(values, workingDir).config();
    }

    private ServiceConfig config() {
        return new ServiceConfig(
                http(),
                inputRoots(),
                new ServiceConfig.Index(path("index.dir"), values.integer("index.commitEvery", 1, 10_000_000),
                        values.integer("index.maxOpen", 1, 100_000), idleClose()),
                stages(),
                new ServiceConfig.Transport(
                        values.integer("transport.window", 1, 1024),
                        values.integer("transport.docBatch", 1, 4096),
                        values.integer("transport.embedBatch", 1, 4096),
                        values.duration("transport.replyTimeout", POSITIVE)),
                embedder(),
                new ServiceConfig.Jobs(
                        values.integer("jobs.maxRunning", 1, 1024),
                        values.duration("jobs.progressInterval", POSITIVE),
                        values.duration("jobs.stageWait", Duration.ZERO),
                        values.integer("jobs.retained", 0, 1_000_000),
                        values.duration("jobs.retainFor", POSITIVE)),
                new ServiceConfig.Shutdown(values.duration("shutdown.grace", Duration.ZERO)),
                cluster(),
                fetch(),
                limits());
    }

    /** {@code index.idleClose}: 0 (never), or at least a second (shorter would close an index between two writes of a job). */
    private Duration idleClose() {
        Duration idle;
        try {
            idle = values.duration("index.idleClose", Duration.ZERO);
        } catch (ConfigException e) {
            idle = null; // not a duration: the rule below says what is allowed here
        }
        if (idle == null || !idle.isZero() && idle.compareTo(MIN_IDLE_CLOSE) < 0) {
            throw values.invalid("index.idleClose", "0 (never close idle indexes) or a duration of at least 1s such as 10m");
        }
        return idle;
    }

    private ServiceConfig.Fetch fetch() {
        List<String> hosts = values.list("fetch.allowHosts");
        for (String host : hosts) {
            if (host.isBlank() || host.contains("/") || host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
                throw values.invalid("fetch.allowHosts", "a list of host names (www.example.com, *.example.com) or IP "
                        + "addresses, without scheme, port or path");
            }
        }
        return new ServiceConfig.Fetch(hosts, values.duration("fetch.connectTimeout", POSITIVE),
                values.duration("fetch.readTimeout", POSITIVE), values.bytes("fetch.maxBytes", 1, Long.MAX_VALUE));
    }

    private ServiceConfig.Limits limits() {
        return new ServiceConfig.Limits(
                values.integer("limits.sourcesPerJob", 1, 1_000_000),
                values.integer("limits.queuedPerPrincipal", 1, 1_000_000),
                values.integer("limits.queuedTotal", 1, 1_000_000),
                (int) values.bytes("limits.specBytes", 1024, Integer.MAX_VALUE),
                (int) values.bytes("limits.recordBytes", 1024, Integer.MAX_VALUE),
                (int) values.bytes("limits.metadataBytes", 64, Integer.MAX_VALUE),
                values.bytes("limits.jobBytes", 1, Long.MAX_VALUE),
                values.integer("limits.maxAttempts", 1, 1000),
                values.duration("limits.maxTimeBudget", POSITIVE),
                values.number("limits.minRate", Double.MIN_VALUE));
    }

    private ServiceConfig.Http http() {
        List<String> origins = values.list("http.allowedOrigins");
        for (String origin : origins) {
            if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                throw values.invalid("http.allowedOrigins", "a list of web origins such as https://console.example.com "
                        + "(scheme, host and optional port, no path), or *");
            }
        }
        return new ServiceConfig.Http(values.text("http.host"), port("http.port"), origins, values.flag("http.metricsAuth"),
                auth());
    }

    private ServiceConfig.Auth auth() {
        ServiceConfig.AuthMode mode = values.choice("auth.mode", ServiceConfig.AuthMode.values());
        Path apiKeys = optionalPath("auth.apiKeys.file");
        ServiceConfig.Jwt jwt = new ServiceConfig.Jwt(optionalPath("auth.jwt.secretFile"),
                optionalPath("auth.jwt.publicKeyFile"), values.text("auth.jwt.algorithm"),
                values.anyText("auth.jwt.issuer"), values.anyText("auth.jwt.audience"));
        if (mode == ServiceConfig.AuthMode.APIKEYS && apiKeys == null) {
            throw values.invalid("auth.apiKeys.file", "the path of the API key file when auth.mode is apikeys");
        }
        if (mode == ServiceConfig.AuthMode.JWT && jwt.secretFile() == null && jwt.publicKeyFile() == null) {
            throw values.invalid("auth.jwt.secretFile", "the path of the JWT secret (or set auth.jwt.publicKeyFile) "
                    + "when auth.mode is jwt");
        }
        return new ServiceConfig.Auth(mode, apiKeys, jwt, indexRoles());
    }

    /** {@code auth.indexRoles}: entries {@code index=role role}. */
    private java.util.Map<String, Set<String>> indexRoles() {
        java.util.Map<String, Set<String>> roles = new java.util.TreeMap<>();
        for (String entry : values.list("auth.indexRoles")) {
            int eq = entry.indexOf('=');
            Set<String> named = eq < 0 ? Set.of() : java.util.Arrays.stream(entry.substring(eq + 1).trim().split("\\s+"))
                    .filter(r -> !r.isEmpty()).collect(java.util.stream.Collectors.toSet());
            if (eq <= 0 || named.isEmpty() || roles.put(entry.substring(0, eq).trim(), named) != null) {
                throw values.invalid("auth.indexRoles", "a list of 'index=role role ...' entries, each index once "
                        + "(such as \"hr=hr-staff\")");
            }
        }
        return roles;
    }

    /** The path {@code key} names, or null when it is empty. */
    private Path optionalPath(String key) {
        String text = values.anyText(key).trim();
        return text.isEmpty() ? null : resolve(key, text);
    }

    private int port(String key) {
        return values.integer(key, 1, MAX_PORT);
    }

    private List<Path> inputRoots() {
        List<String> roots = values.list("inputRoots");
        if (roots.isEmpty()) {
            throw values.invalid("inputRoots", "a non-empty list of directories");
        }
        List<Path> paths = new ArrayList<>();
        for (String root : roots) {
            paths.add(resolve("inputRoots", root));
        }
        return paths;
    }

    private Path path(String key) {
        return resolve(key, values.text(key));
    }

    private Path resolve(String key, String text) {
        try {
            return workingDir.resolve(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw values.invalid(key, "a file-system path (" + e.getReason() + ")");
        }
    }

    private ServiceConfig.Stages stages() {
        Set<Stage> hosted = EnumSet.noneOf(Stage.class);
        for (String name : values.list("stages.hosted")) {
            Stage stage = null;
            for (Stage candidate : Stage.values()) {
                if (candidate.label().equals(name)) {
                    stage = candidate;
                }
            }
            if (stage == null) {
                throw values.invalid("stages.hosted", "a list of stages from " + ConfigValues.labels(Stage.values()));
            }
            if (!hosted.add(stage)) {
                throw values.invalid("stages.hosted", "a list naming each stage at most once (" + name + " is repeated)");
            }
        }
        ServiceConfig.Instances instances = new ServiceConfig.Instances(
                values.integer("stages.instances.parse", 1, 64),
                values.integer("stages.instances.clean", 1, 64),
                values.integer("stages.instances.embed", 1, 64),
                values.integer("stages.instances.index", 1, 64));
        return new ServiceConfig.Stages(hosted, instances);
    }

    /** One of the embedders' labels ({@code minilm-q} has a dash, so not an enum name). */
    private EmbedderSpec.Kind embedderKind() {
        String text = values.anyText("embedder.kind");
        for (EmbedderSpec.Kind kind : EmbedderSpec.Kind.values()) {
            if (kind.label().equalsIgnoreCase(text)) {
                return kind;
            }
        }
        throw values.invalid("embedder.kind", "one of " + EmbedderSpec.Kind.labels());
    }

    private ServiceConfig.Embedder embedder() {
        EmbedderSpec.Kind kind = embedderKind();
        String url = values.anyText("embedder.openai.url");
        boolean httpUrl = url.startsWith("http://") || url.startsWith("https://");
        if (kind == EmbedderSpec.Kind.OPENAI && !httpUrl) {
            throw values.invalid("embedder.openai.url", "an http:// or https:// URL when embedder.kind is openai");
        }
        if (!url.isEmpty() && !httpUrl) {
            throw values.invalid("embedder.openai.url", "an http:// or https:// URL, or empty");
        }
        String apiKeyEnv = values.anyText("embedder.openai.apiKeyEnv");
        if (!apiKeyEnv.isEmpty() && !ENV_NAME.matcher(apiKeyEnv).matches()) {
            throw values.invalid("embedder.openai.apiKeyEnv",
                    "the name of an environment variable (letters, digits, _), or empty for no key");
        }
        ServiceConfig.OpenAi openAi = new ServiceConfig.OpenAi(url, values.text("embedder.openai.model"),
                values.integer("embedder.openai.dimensions", 1, Integer.MAX_VALUE), apiKeyEnv);
        return new ServiceConfig.Embedder(kind, openAi);
    }

    private ServiceConfig.Cluster cluster() {
        boolean enabled = values.flag("cluster.enabled");
        String host = values.text("cluster.host");
        if (!IPV4.matcher(host).matches()) {
            throw values.invalid("cluster.host", "an IPv4 address of this node such as 10.0.0.5 (Hazelcast binds to it)");
        }
        int port = port("cluster.port");
        List<String> members = values.list("cluster.members");
        ServiceConfig.Kubernetes kubernetes = new ServiceConfig.Kubernetes(
                values.flag("cluster.kubernetes.enabled"),
                dnsLabel("cluster.kubernetes.serviceName"),
                dnsLabel("cluster.kubernetes.namespace"));
        if (enabled && !kubernetes.enabled() && members.isEmpty()) {
            throw values.invalid("cluster.members",
                    "a non-empty list of host or host:port when cluster.enabled is true and Kubernetes discovery is off");
        }
        int busPort = values.integer("cluster.busPort", 0, MAX_PORT);
        ServiceConfig.Cluster cluster = new ServiceConfig.Cluster(enabled, host, port, members, kubernetes, busPort, tls());
        if (enabled && cluster.tlsOn()) {
            for (String key : List.of("cluster.tls.certFile", "cluster.tls.keyFile", "cluster.tls.caFile")) {
                if (values.anyText(key).isBlank()) {
                    throw values.invalid(key, "a PEM file when cluster TLS is on (cluster.tls.mode required, or auto with a "
                            + "cluster.host that is not a loopback address); bin/funcpipe-certs DIR makes a CA and a node "
                            + "certificate for development, or set cluster.tls.mode to disabled on a network only FuncPipe nodes reach");
                }
            }
        }
        return cluster;
    }

    private ServiceConfig.Tls tls() {
        return new ServiceConfig.Tls(values.choice("cluster.tls.mode", ServiceConfig.TlsMode.values()),
                Optional.ofNullable(optionalPath("cluster.tls.certFile")), Optional.ofNullable(optionalPath("cluster.tls.keyFile")),
                Optional.ofNullable(optionalPath("cluster.tls.caFile")));
    }

    private String dnsLabel(String key) {
        String name = values.text(key);
        if (!DNS_LABEL.matcher(name).matches()) {
            throw values.invalid(key, "a Kubernetes name: lower-case letters, digits and '-', at most 63 characters");
        }
        return name;
    }
}
