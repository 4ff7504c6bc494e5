package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.funcpipe.core.policy.WeightedGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Accepts and drives ingestion jobs over the event bus (JSON messages, so non-JVM clients can
 * speak them through a SockJS bridge; see docs/job-api.md):
 * <ul>
 *   <li>{@value JobAddresses#SUBMIT}: a job spec -> {@code {"id"}}, or a 400 listing every problem;</li>
 *   <li>{@value JobAddresses#STATUS}: {@code {"id"}} -> the status, or 404;</li>
 *   <li>{@value JobAddresses#CANCEL}: {@code {"id"}} -> the status once the job has ended;</li>
 *   <li>{@value JobAddresses#LIST}: {@code {"offset", "limit"}} (both optional) -> {@code {"jobs": [status...], "offset", "total", "nextOffset"}}, newest first;</li>
 *   <li>{@code funcpipe.jobs.<id>.progress}: the status at most every {@code progressInterval} while the
 *       job runs, then once with {@code "final": true} and the ingest report.</li>
 * </ul>
 * Each message's caller is {@link Caller#from} its headers (none: inside the cluster, an admin). A job
 * belongs to the principal that submitted it: status, cancel and list show a caller its own jobs
 * only (an admin every job), and another's job is answered like an unknown one (404). A submit to an
 * index the caller may not use ({@link IndexAccess}) is refused with 403.
 * At most {@code maxRunning} jobs run at once (one per index); their embed calls share
 * {@code embedCapacity} permits by weight ({@link WeightedGate}). Every accepted job is in the
 * {@link JobLedger} on the index volume before its id is answered; on start the supervisor takes up
 * the jobs the ledger holds ({@link JobRecovery}). On undeploy it stops taking jobs (503), leaves
 * queued ones queued, suspends running ones at a committed checkpoint, and completes its stop future
 * only once every job has released everything.
 */
public final class SupervisorVerticle extends VerticleBase {

    static final String SHUTTING_DOWN = "the supervisor is shutting down and takes no new job; submit to another instance";

    private final SupervisorOptions options;
    private final StageBinder binder;
    private final MeterRegistry meterRegistry;
    private final WeightedGate gate;
    private final SpecRules rules;
    private final JobRegistry jobs;
    private final QueueQuota quota;
    private final JobLedger ledger;
    private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
    private JobMetrics metrics;
    private JobDriver driver;
    private volatile boolean accepting;

    /**
     * @param options  how jobs run (read once)
     * @param binder   binds each job's stages (in process, or to remote stages)
     * @param registry where the job meters go; null for a private {@link SimpleMeterRegistry}
     */
    public SupervisorVerticle(SupervisorOptions options, StageBinder binder, MeterRegistry registry) {
        this.options = requireNonNull(options, "options");
        this.binder = requireNonNull(binder, "binder");
        this.meterRegistry = registry == null ? new SimpleMeterRegistry() : registry;
        this.gate = WeightedGate.of(options.embedCapacity());
        this.rules = SpecRules.of(options);
        this.jobs = new JobRegistry(options.maxRunning(), options.retainedJobs(), options.retainFor());
        this.quota = new QueueQuota(options.limits());
        this.ledger = new JobLedger(options.indexRoot());
    }

    /** Readiness: true once the consumers are registered, false from the moment undeploy starts. */
    public boolean accepting() {
        return accepting;
    }

    /**
     * Reads the ledger (a restart: ended jobs are listed again, queued ones queue, running ones
     * resume from their checkpoints, cancels that were asked for are carried out), then takes jobs.
     */
    @Override
    public Future<?> start() {
        metrics = new JobMetrics(meterRegistry, gate::inUse);
        driver = new JobDriver(vertx, context, options, binder, gate, jobs, metrics, this::accepting, ledger);
        return vertx.executeBlocking(() -> JobRecovery.read(ledger, rules), true).compose(recovered -> {
            JobRecovery.restore(recovered, jobs, driver);
            EventBus bus = vertx.eventBus();
            consumers.add(bus.consumer(JobAddresses.SUBMIT, this::submit));
            consumers.add(bus.consumer(JobAddresses.STATUS, this::status));
            consumers.add(bus.consumer(JobAddresses.CANCEL, this::cancel));
            consumers.add(bus.consumer(JobAddresses.LIST, this::list));
            return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
        }).onSuccess(ignored -> {
            accepting = true;
            driver.schedule();
        });
    }

    /**
     * Stops taking jobs and suspends the running ones at a committed checkpoint: they stay RUNNING
     * in the ledger (queued ones stay QUEUED), so the next supervisor on this index volume goes on
     * with them. Completes once every job has released what it held.
     */
    @Override
    public Future<?> stop() {
        accepting = false;
        if (driver == null) {
            return Future.succeededFuture(); // start() never ran
        }
        List<Future<Void>> ending = jobs.active().stream().map(Job::ended).toList();
        jobs.active().forEach(driver::suspend);
        long graceTimer = ending.isEmpty() ? -1 : vertx.setTimer(Math.max(1, options.shutdownGrace().toMillis()),
                ignored -> LOG.log(System.Logger.Level.WARNING, "jobs still suspending after shutdown.grace ({0}): {1}",
                        options.shutdownGrace(), jobs.active().stream().map(job -> job.id).toList()));
        return Future.join(ending).transform(ignored -> {
            if (graceTimer != -1) {
                vertx.cancelTimer(graceTimer);
            }
            metrics.close();
            return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
        });
    }

    private static final System.Logger LOG = System.getLogger(SupervisorVerticle.class.getName());

    private void submit(Message<Object> message) {
        if (!accepting) {
            message.fail(JobAddresses.UNAVAILABLE, SHUTTING_DOWN);
            return;
        }
        JsonObject body = JobMessages.object(message, "a job spec such as {\"sources\": [\"docs/\"], \"index\": \"docs\"}", null);
        if (body == null) {
            return;
        }
        vertx.executeBlocking(() -> JobSpecJson.read(body, rules)).onComplete(read -> {
            if (read.failed()) {
                message.fail(JobAddresses.INTERNAL_ERROR, "reading the job spec failed: " + read.cause());
                return;
            }
            switch (read.result()) {
                case SpecCheck.Invalid invalid -> message.fail(JobAddresses.BAD_REQUEST, invalid.message());
                case SpecCheck.Valid(JobSpec spec) -> {
                    Caller caller = Caller.from(message.headers());
                    java.util.Optional<String> refused = options.indexAccess().check(caller, spec.index());
                    if (refused.isPresent()) {
                        message.fail(JobAddresses.FORBIDDEN, refused.get());
                        return;
                    }
                    if (!accepting) {
                        message.fail(JobAddresses.UNAVAILABLE, SHUTTING_DOWN);
                        return;
                    }
                    Job job = new Job(UUID.randomUUID().toString(), spec, JobSpecJson.write(spec), Instant.now(),
                            caller.principal());
                    Optional<String> full = quota.admit(job.id, caller, jobs.queued());
                    if (full.isPresent()) {
                        message.fail(JobAddresses.UNAVAILABLE, full.get());
                        return;
                    }
                    driver.record(job).onComplete(recorded -> {
                        quota.recorded(job.id);
                        if (recorded.failed()) {
                            message.fail(JobAddresses.UNAVAILABLE, "the job could not be recorded durably, so it was "
                                    + "not accepted: " + recorded.cause().getMessage());
                            return;
                        }
                        jobs.add(job);
                        metrics.submitted();
                        message.reply(new JsonObject().put("id", job.id));
                        driver.schedule();
                    });
                }
            }
        });
    }

    private void status(Message<Object> message) {
        Job job = job(message);
        if (job != null) {
            message.reply(driver.status(job));
        }
    }

    private void cancel(Message<Object> message) {
        Job job = job(message);
        if (job != null) {
            driver.cancel(job);
            job.ended().onComplete(ignored -> message.reply(driver.status(job)));
        }
    }

    private void list(Message<Object> message) {
        ListPaging paging = ListPaging.of(message);
        if (paging != null) {
            Caller caller = Caller.from(message.headers());
            List<Job> visible = jobs.all().reversed().stream().filter(job -> caller.mayAccess(job.owner)).toList();
            message.reply(paging.page(visible, driver::status).toJson());
        }
    }

    /**
     * The job the request names, or null after a 400 or 404 reply. A job the caller may not access
     * ({@link Caller#mayAccess}) is answered exactly like an unknown one, so its existence does not leak.
     */
    private Job job(Message<Object> message) {
        String id = JobMessages.id(message);
        if (id == null) {
            return null;
        }
        Caller caller = Caller.from(message.headers());
        Job job = jobs.get(id).filter(found -> caller.mayAccess(found.owner)).orElse(null);
        if (job == null) {
            message.fail(JobAddresses.NOT_FOUND, "no job has id " + id + " (ended jobs are kept until "
                    + options.retainedJobs() + " more have ended); list the jobs on " + JobAddresses.LIST);
        }
        return job;
    }
}
