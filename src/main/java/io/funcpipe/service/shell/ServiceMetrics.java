package io.funcpipe.service.shell;

import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * The service's metrics: one Prometheus registry that holds Vert.x's own meters (HTTP server,
 * event bus, pools), the JVM's, and whatever the service registers, scraped at {@code /metrics}.
 *
 * <p>Register FuncPipe meters on {@link #registry()} with dotted names; Prometheus turns
 * {@code funcpipe.jobs} (a counter) into {@code funcpipe_jobs_total} and
 * {@code funcpipe.batch.latency} (a timer) into {@code funcpipe_batch_latency_seconds}. Keep tag
 * values few (a stage name, never a job id): every tag value is a separate time series.
 *
 * <p>Vert.x reports into the registry only when it is built with it:
 * {@link #applyTo(VertxBuilder, VertxOptions)} (which {@link ClusterSetup#start} does).
 */
public final class ServiceMetrics {

    private final PrometheusMeterRegistry registry;
    private final String registryName;

    private ServiceMetrics(PrometheusMeterRegistry registry, String registryName) {
        this.registry = registry;
        this.registryName = registryName;
    }

    /** A fresh registry (its own name, so two Vert.x instances in one JVM do not share one). */
    public static ServiceMetrics create() {
        return new ServiceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "funcpipe-" + UUID.randomUUID());
    }

    /** Where the service registers its counters, timers and gauges. */
    public MeterRegistry registry() {
        return registry;
    }

    PrometheusMeterRegistry prometheus() {
        return registry;
    }

    /**
     * Makes the Vert.x instance {@code builder} will build report into this registry, JVM metrics
     * included; sets the metrics options on {@code options} and passes them to the builder.
     */
    public VertxBuilder applyTo(VertxBuilder builder, VertxOptions options) {
        MicrometerMetricsOptions metricsOptions = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setJvmMetricsEnabled(true)
                .setRegistryName(registryName)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
        return builder.with(options.setMetricsOptions(metricsOptions))
                .withMetrics(new MicrometerMetricsFactory(registry));
    }
}
