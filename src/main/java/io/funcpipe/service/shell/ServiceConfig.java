package io.funcpipe.service.shell;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
                shutdown, new Cluster(true, cluster.host(), cluster.port(), cluster.members(), cluster.kubernetes()),
                fetch, limits);
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
     * @param host interface to listen on
     * @param port TCP port; 0 (for tests) takes any free port, the loader accepts 1..65535
     */
    public record Http(String host, int port) {
        public Http {
            requireNonNull(host, "host");
        }
    }

    /**
     * @param dir         parent directory of the named indexes (absolute, normalised)
     * @param commitEvery chunks between two commits of a job's index, each with the job's checkpoint
     *                    (what a crash makes a job redo at most)
     * @param maxOpen     indexes the index stage keeps open at once
     */
    public record Index(Path dir, long commitEvery, int maxOpen) {
        public Index {
            requireNonNull(dir, "dir");
        }

        /** {@code dir} and {@code commitEvery}, 64 open indexes at most. */
        public Index(Path dir, long commitEvery) {
            this(dir, commitEvery, 64);
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
     */
    public record Cluster(boolean enabled, String host, int port, List<String> members, Kubernetes kubernetes) {
        public Cluster {
            requireNonNull(host, "host");
            members = List.copyOf(requireNonNull(members, "members"));
            requireNonNull(kubernetes, "kubernetes");
        }
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
