package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.funcpipe.rag.IngestCounters;
import io.funcpipe.rag.Stage;
import io.funcpipe.rag.StageCount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The supervisor's meters:
 * <ul>
 *   <li>{@code funcpipe.jobs.submitted} (counter): jobs accepted;</li>
 *   <li>{@code funcpipe.jobs.ended} (counter, tag {@code state}): jobs by final state;</li>
 *   <li>{@code funcpipe.jobs.items} (counter, tags {@code stage}, {@code outcome=ok|failed}): items
 *       out of each stage, over every job, added at each progress tick and at each job's end;</li>
 *   <li>{@code funcpipe.jobs.running}, {@code funcpipe.jobs.queued} (gauges): active and waiting jobs;</li>
 *   <li>{@code funcpipe.jobs.embed.permits} (gauge): embed permits in use over every job.</li>
 * </ul>
 * Gauges are removed from the registry on {@link #close()} (the supervisor's undeploy), so a new
 * supervisor on the same registry registers its own.
 */
final class JobMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Map<JobState, Counter> ended = new EnumMap<>(JobState.class);
    private final Map<Stage, Counter[]> items = new EnumMap<>(Stage.class);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final List<Meter> gauges = new ArrayList<>();

    JobMetrics(MeterRegistry registry, Supplier<Number> permitsInUse) {
        this.registry = requireNonNull(registry, "registry");
        submitted = Counter.builder("funcpipe.jobs.submitted").description("jobs accepted").register(registry);
        for (JobState state : JobState.values()) {
            if (state.isFinal()) {
                ended.put(state, Counter.builder("funcpipe.jobs.ended").description("jobs ended, by final state")
                        .tag("state", state.name()).register(registry));
            }
        }
        for (Stage stage : Stage.values()) {
            items.put(stage, new Counter[] {item(stage, "ok"), item(stage, "failed")});
        }
        gauges.add(Gauge.builder("funcpipe.jobs.running", running, AtomicInteger::get)
                .description("jobs binding, running or ending").register(registry));
        gauges.add(Gauge.builder("funcpipe.jobs.queued", queued, AtomicInteger::get)
                .description("jobs waiting to start").register(registry));
        gauges.add(Gauge.builder("funcpipe.jobs.embed.permits", permitsInUse)
                .description("embed calls in flight over every job").register(registry));
    }

    private Counter item(Stage stage, String outcome) {
        return Counter.builder("funcpipe.jobs.items").description("items out of each pipeline stage, over every job")
                .tag("stage", stage.label()).tag("outcome", outcome).register(registry);
    }

    void submitted() {
        submitted.increment();
    }

    void ended(JobState state) {
        ended.get(state).increment();
    }

    /** Sets the gauges of active and queued jobs. */
    void jobs(int active, int waiting) {
        running.set(active);
        queued.set(waiting);
    }

    /**
     * Adds what the job's stages did since {@code last} (the counts at the previous call, updated
     * in place: five stages times ok, failed).
     */
    void items(IngestCounters counters, long[] last) {
        for (Stage stage : Stage.values()) {
            StageCount now = counters.stage(stage);
            int i = stage.ordinal() * 2;
            items.get(stage)[0].increment(now.ok() - last[i]);
            items.get(stage)[1].increment(now.failed() - last[i + 1]);
            last[i] = now.ok();
            last[i + 1] = now.failed();
        }
    }

    /** An array for {@link #items}' previous counts. */
    static long[] noItems() {
        return new long[Stage.values().length * 2];
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
        gauges.clear();
    }
}
