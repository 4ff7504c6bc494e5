package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.funcpipe.adapters.embed.EmbedderSpec;
import io.funcpipe.adapters.source.UrlPolicy;

/**
 * The service's settings, one record per section of {@code conf/funcpipe.yaml} (which documents
 * every key and its default). Built by {@link ServiceConfigLoader}, which validates values and
 * names the key, the value and its source when one is wrong; the records only refuse nulls, so
 * tests can build them directly (for example an {@link Http} on port 0).
 *
 * @param http       the HTTP endpoint
 * @param inputRoots directories that job input paths must lie inside (absolute, normalised)
 * @param index      where indexes are kept
 * @param stages     which stages this node hosts, and how many instances of each
 * @param transport  batching and windows over the event bus
 * @param embedder   the embedder the embed stage opens
 * @param jobs       job scheduling
 * @param shutdown   stopping
 * @param cluster    clustering over Hazelcast
 * @param fetch      which URLs job sources may fetch, and how
 * @param limits     bounds on jobs, records and policies
 */
public record ServiceConfig(Http http, List<Path> inputRoots, Index index, Stages stages, Transport transport,
                            Embedder embedder, Jobs jobs, Shutdown shutdown, Cluster cluster, Fetch fetch,
                            Limits limits) {

    public ServiceConfig {
        requireNonNull(http, "http");
        inputRoots = List.copyOf(requireNonNull(inputRoots, "inputRoots"));
        requireNonNull(index, "index");
        requireNonNull(stages, "stages");
        requireNonNull(transport, "transport");
        requireNonNull(embedder, "embedder");
        requireNonNull(jobs, "jobs");
        requireNonNull(shutdown, "shutdown");
        requireNonNull(cluster, "cluster");
        requireNonNull(fetch, "fetch");
        requireNonNull(limits, "limits");
    }

    /** Settings with the default {@link Fetch} (no URL) and {@link Limits}. */
    public ServiceConfig(Http http, List<Path> inputRoots, Index index, Stages stages, Transport transport,
                         Embedder embedder, Jobs jobs, Shutdown shutdown, Cluster cluster) {
        this(http, inputRoots, index, stages, transport, embedder, jobs, shutdown, cluster, Fetch.defaults(),
                Limits.defaults());
    }

    /** These settings with clustering switched on ({@code serve --cluster}, client commands' {@code --cluster}). */
    public ServiceConfig clustered() {
        return cluster.enabled() ? this : new ServiceConfig(http, inputRoots, index, stages, transport, embedder, jobs,
                shutdown, cluster.enable(), fetch, limits);
    }

    /** A pipeline stage a node can host. */
    public enum Stage {
        PARSE, CLEAN, EMBED, INDEX;

        /** The name used in config and on the bus: {@code parse}, {@code clean}, {@code embed}, {@code index}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param host           interface to listen on
     * @param port           TCP port; 0 (for tests) takes any free port, the loader accepts 1..65535
     * @param allowedOrigins web origins (such as {@code https://console.example.com}) whose pages may use
     *                       {@code /eventbus/*} besides the service's own origin; {@code *} allows any
     * @param metricsAuth    whether {@code GET /metrics} needs a token like {@code /v1/*}
     * @param auth           who may use the entry points
     */
    public record Http(String host, int port, List<String> allowedOrigins, boolean metricsAuth, Auth auth) {
        public Http {
            requireNonNull(host, "host");
            allowedOrigins = List.copyOf(requireNonNull(allowedOrigins, "allowedOrigins"));
            requireNonNull(auth, "auth");
        }

        /** Only the service's own origin, open metrics, and {@link Auth#open()}: for tests on loopback. */
        public Http(String host, int port) {
            this(host, port, List.of(), false, Auth.open());
        }

        /** These settings with {@code auth} instead. */
        public Http withAuth(Auth auth) {
            return new Http(host, port, allowedOrigins, metricsAuth, auth);
        }

        /** These settings with {@code allowedOrigins} instead. */
        public Http withAllowedOrigins(List<String> allowedOrigins) {
            return new Http(host, port, allowedOrigins, metricsAuth, auth);
        }
    }

    /** How the entry points authenticate callers ({@code auth.mode}). */
    public enum AuthMode {
        /** No authentication: every caller is {@code Caller.INTERNAL}. */
        NONE,
        /** Bearer JWTs signed with {@code auth.jwt.secretFile} or {@code auth.jwt.publicKeyFile}. */
        JWT,
        /** Bearer API keys listed (hashed) in {@code auth.apiKeys.file}. */
        APIKEYS,
        /**
         * APIKEYS when {@code auth.apiKeys.file} is set, else JWT when a JWT key is set, else NONE when
         * {@code http.host} is a loopback address; else the service refuses to start.
         */
        AUTO
    }

    /**
     * @param mode        how callers authenticate
     * @param apiKeysFile the API key file ({@code auth.apiKeys.file}), or null
     * @param jwt         how JWTs are checked
     * @param indexRoles  index name -> the roles that may write it ({@code auth.indexRoles}); an index not
     *                    named is open to every authenticated caller
     */
    public record Auth(AuthMode mode, Path apiKeysFile, Jwt jwt, java.util.Map<String, Set<String>> indexRoles) {
        public Auth {
            requireNonNull(mode, "mode");
            requireNonNull(jwt, "jwt");
            indexRoles = java.util.Map.copyOf(requireNonNull(indexRoles, "indexRoles"));
        }

        /** Explicitly no authentication and no index limits. */
        public static Auth open() {
            return new Auth(AuthMode.NONE, null, Jwt.none(), java.util.Map.of());
        }

        /** API keys from {@code file}. */
        public static Auth apiKeys(Path file) {
            return new Auth(AuthMode.APIKEYS, requireNonNull(file, "file"), Jwt.none(), java.util.Map.of());
        }

        /** These settings with {@code indexRoles} instead. */
        public Auth withIndexRoles(java.util.Map<String, Set<String>> indexRoles) {
            return new Auth(mode, apiKeysFile, jwt, indexRoles);
        }

        /**
         * The mode in force for a server on {@code host}: {@link AuthMode#AUTO} resolved.
         *
         * @throws IllegalStateException when AUTO would leave a non-loopback server open
         */
        public AuthMode effectiveMode(String host) {
            if (mode != AuthMode.AUTO) {
                return mode;
            }
            if (apiKeysFile != null) {
                return AuthMode.APIKEYS;
            }
            if (jwt.secretFile() != null || jwt.publicKeyFile() != null) {
                return AuthMode.JWT;
            }
            if (loopback(host)) {
                return AuthMode.NONE;
            }
            throw new IllegalStateException("http.host is " + host + ", beyond loopback, and no authentication is "
                    + "configured: anyone who reaches the port could submit, read and cancel every job. Set "
                    + "auth.apiKeys.file (FUNCPIPE_AUTH_API_KEYS_FILE; make keys with 'funcpipe token apikey') or "
                    + "auth.jwt.secretFile / auth.jwt.publicKeyFile, or, to run open on purpose, auth.mode: none "
                    + "(FUNCPIPE_AUTH_MODE=none); see docs/security.md");
        }

        /** True for {@code localhost}, {@code ::1} and {@code 127.x.x.x}. */
        static boolean loopback(String host) {
            return host.equals("localhost") || host.equals("::1") || host.equals("[::1]") || host.startsWith("127.");
        }
    }

    /**
     * @param secretFile    a file holding the HS256 shared secret, or null
     * @param publicKeyFile a PEM file with the public key of {@code algorithm}, or null
     * @param algorithm     the public key's algorithm ({@code RS256}, {@code ES256}, ...)
     * @param issuer        the required {@code iss} claim ({@code ""}: not checked)
     * @param audience      the required {@code aud} claim ({@code ""}: not checked)
     */
    public record Jwt(Path secretFile, Path publicKeyFile, String algorithm, String issuer, String audience) {
        public Jwt {
            requireNonNull(algorithm, "algorithm");
            requireNonNull(issuer, "issuer");
            requireNonNull(audience, "audience");
        }

        /** No JWT key. */
        public static Jwt none() {
            return new Jwt(null, null, "RS256", "", "");
        }
    }

    /**
     * @param dir         parent directory of the named indexes (absolute, normalised)
     * @param commitEvery chunks between two commits of a job's index, each with the job's checkpoint
     *                    (what a crash makes a job redo at most)
     * @param maxOpen     indexes the index stage keeps open at once (the least recently used unused
     *                    one is closed to open another)
     * @param idleClose   how long an open index may go unused before it is closed (which commits it);
     *                    {@link Duration#ZERO} for never
     */
    public record Index(Path dir, long commitEvery, int maxOpen, Duration idleClose) {
        public Index {
            requireNonNull(dir, "dir");
            requireNonNull(idleClose, "idleClose");
        }

        /** {@code dir} and {@code commitEvery}, 64 open indexes at most, closed after 10 minutes unused. */
        public Index(Path dir, long commitEvery) {
            this(dir, commitEvery, 64, Duration.ofMinutes(10));
        }

        /** {@code dir} with the default commit interval (5,000 chunks). */
        public Index(Path dir) {
            this(dir, 5_000);
        }
    }

    /**
     * @param allowHosts     the hosts URL sources may name (empty: no URL is fetched)
     * @param connectTimeout the longest a connection may take to open
     * @param readTimeout    the longest a server may stay silent
     * @param maxBytes       the most bytes read from one URL
     */
    public record Fetch(List<String> allowHosts, Duration connectTimeout, Duration readTimeout, long maxBytes) {
        public Fetch {
            allowHosts = List.copyOf(requireNonNull(allowHosts, "allowHosts"));
            requireNonNull(connectTimeout, "connectTimeout");
            requireNonNull(readTimeout, "readTimeout");
        }

        /** No URL; 10 s to connect, 30 s of silence, 1 GiB per URL. */
        public static Fetch defaults() {
            return new Fetch(List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30), 1L << 30);
        }

        /** The policy the parse stage and the job-spec check apply. */
        public UrlPolicy policy() {
            return new UrlPolicy(true, allowHosts, connectTimeout, readTimeout, maxBytes);
        }
    }

    /**
     * Bounds that keep one client from exhausting the service (docs/limits.md lists each with its
     * error).
     *
     * @param sourcesPerJob      sources one job spec may list
     * @param queuedPerPrincipal jobs one caller may have waiting
     * @param queuedTotal        jobs waiting over all callers
     * @param specBytes          the largest job spec, in bytes of JSON
     * @param recordBytes        the largest CSV record, JSONL line or text document
     * @param metadataBytes      the most metadata bytes per record
     * @param jobBytes           the most bytes one job reads
     * @param maxAttempts        the most attempts a job's retry policy may ask for
     * @param maxTimeBudget      the longest retry budget, backoff or per-item timeout a job may set
     * @param minRate            the slowest rate limit a job may set, in calls per second
     */
    public record Limits(int sourcesPerJob, int queuedPerPrincipal, int queuedTotal, int specBytes, int recordBytes,
                         int metadataBytes, long jobBytes, int maxAttempts, Duration maxTimeBudget, double minRate) {
        public Limits {
            requireNonNull(maxTimeBudget, "maxTimeBudget");
        }

        /** The defaults of {@code conf/funcpipe.yaml}. */
        public static Limits defaults() {
            return new Limits(1000, 100, 1000, 1 << 20, 16 << 20, 64 << 10, 64L << 30, 10, Duration.ofHours(1), 1.0);
        }
    }

    /**
     * @param hosted    the stages deployed on this node (possibly none)
     * @param instances verticle instances per stage
     */
    public record Stages(Set<Stage> hosted, Instances instances) {
        public Stages {
            requireNonNull(hosted, "hosted");
            // pipeline order (parse, clean, embed, index) for logs and messages
            hosted = Collections.unmodifiableSet(hosted.isEmpty() ? EnumSet.noneOf(Stage.class) : EnumSet.copyOf(hosted));
            requireNonNull(instances, "instances");
        }

        /** True when this node deploys {@code stage}. */
        public boolean hosts(Stage stage) {
            return hosted.contains(stage);
        }
    }

    /** Verticle instances of each stage on this node. */
    public record Instances(int parse, int clean, int embed, int index) {

        /** The instances configured for {@code stage}. */
        public int of(Stage stage) {
            return switch (stage) {
                case PARSE -> parse;
                case CLEAN -> clean;
                case EMBED -> embed;
                case INDEX -> index;
            };
        }
    }

    /**
     * @param window       batches in flight per stage and job (the backpressure credit)
     * @param docBatch     documents per parse/clean batch
     * @param embedBatch   chunks per embed/index batch
     * @param replyTimeout how long a stage may take to answer one batch
     */
    public record Transport(int window, int docBatch, int embedBatch, Duration replyTimeout) {
        public Transport {
            requireNonNull(replyTimeout, "replyTimeout");
        }
    }

    /**
     * @param kind   which embedder
     * @param openai the OpenAI-compatible server's settings (used when {@code kind} is {@code OPENAI})
     */
    public record Embedder(EmbedderSpec.Kind kind, OpenAi openai) {
        public Embedder {
            requireNonNull(kind, "kind");
            requireNonNull(openai, "openai");
        }
    }

    /**
     * @param url        base URL ({@code ""} when not set; required for the openai embedder)
     * @param model      model name
     * @param dimensions the vectors' length
     * @param apiKeyEnv  the environment variable holding the API key ({@code ""} for none)
     */
    public record OpenAi(String url, String model, int dimensions, String apiKeyEnv) {
        public OpenAi {
            requireNonNull(url, "url");
            requireNonNull(model, "model");
            requireNonNull(apiKeyEnv, "apiKeyEnv");
        }
    }

    /**
     * @param maxRunning       jobs run at once on this node
     * @param progressInterval how often a running job publishes progress
     * @param stageWait        how long a job waits for a stage that no node hosts before it fails
     * @param retained         ended jobs kept in the ledger
     * @param retainFor        how long an ended job is kept in the ledger at most
     */
    public record Jobs(int maxRunning, Duration progressInterval, Duration stageWait, int retained, Duration retainFor) {
        public Jobs {
            requireNonNull(progressInterval, "progressInterval");
            requireNonNull(stageWait, "stageWait");
            requireNonNull(retainFor, "retainFor");
        }
    }

    /** @param grace how long running jobs may take to reach a checkpoint after a stop signal */
    public record Shutdown(Duration grace) {
        public Shutdown {
            requireNonNull(grace, "grace");
        }
    }

    /**
     * @param enabled    join a Hazelcast cluster (else one process with a local event bus)
     * @param host       this node's IPv4 address for Hazelcast and the event bus
     * @param port       the first Hazelcast port (the next free one is taken when busy)
     * @param members    members to contact over TCP/IP, {@code host} or {@code host:port}
     * @param kubernetes Kubernetes discovery, used instead of {@code members} when enabled
     * @param busPort    the port the event bus listens on for other nodes (0: any free port)
     * @param tls        TLS with client certificates between the nodes' event buses
     */
    public record Cluster(boolean enabled, String host, int port, List<String> members, Kubernetes kubernetes,
                          int busPort, Tls tls) {
        public Cluster {
            requireNonNull(host, "host");
            members = List.copyOf(requireNonNull(members, "members"));
            requireNonNull(kubernetes, "kubernetes");
            requireNonNull(tls, "tls");
        }

        /** A cluster whose event bus takes any free port, without TLS (tests on the loopback interface). */
        public Cluster(boolean enabled, String host, int port, List<String> members, Kubernetes kubernetes) {
            this(enabled, host, port, members, kubernetes, 0, Tls.OFF);
        }

        /** These settings with clustering switched on. */
        public Cluster enable() {
            return new Cluster(true, host, port, members, kubernetes, busPort, tls);
        }

        /** True if the event bus talks TLS to other nodes: always when on, on a non-loopback host when auto. */
        public boolean tlsOn() {
            return switch (tls.mode()) {
                case REQUIRED -> true;
                case DISABLED -> false;
                case AUTO -> !host.startsWith("127.");
            };
        }
    }

    /**
     * TLS between the event buses of the nodes, with client certificates: every node presents its
     * certificate and accepts only peers whose certificate the CA signed.
     *
     * @param mode     {@code required}, {@code disabled}, or {@code auto}: required unless {@code cluster.host} is a loopback address
     * @param certFile this node's certificate chain (PEM)
     * @param keyFile  its private key (PEM, PKCS#8)
     * @param caFile   the CA certificate(s) peers must be signed by (PEM)
     */
    public record Tls(TlsMode mode, Optional<Path> certFile, Optional<Path> keyFile, Optional<Path> caFile) {
        /** No TLS. */
        public static final Tls OFF = new Tls(TlsMode.DISABLED, Optional.empty(), Optional.empty(), Optional.empty());

        public Tls {
            requireNonNull(mode, "mode");
            requireNonNull(certFile, "certFile");
            requireNonNull(keyFile, "keyFile");
            requireNonNull(caFile, "caFile");
        }

        /** TLS required, with these files. */
        public static Tls on(Path certFile, Path keyFile, Path caFile) {
            return new Tls(TlsMode.REQUIRED, Optional.of(certFile), Optional.of(keyFile), Optional.of(caFile));
        }
    }

    /** When the event bus talks TLS to other nodes. */
    public enum TlsMode {
        /** On unless {@code cluster.host} is a loopback address. */
        AUTO,
        /** Always on. */
        REQUIRED,
        /** Off: only on a network nobody else reaches. */
        DISABLED
    }

    /**
     * @param enabled     find members through the Kubernetes API
     * @param serviceName the headless Service whose endpoints are the members
     * @param namespace   that Service's namespace
     */
    public record Kubernetes(boolean enabled, String serviceName, String namespace) {
        public Kubernetes {
            requireNonNull(serviceName, "serviceName");
            requireNonNull(namespace, "namespace");
        }
    }
}
