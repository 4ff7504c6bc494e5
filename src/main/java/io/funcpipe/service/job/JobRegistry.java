package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The supervisor's jobs: every job by id in submission order, the queue of jobs waiting to start,
 * the jobs that are active (binding, running or ending), and the indexes those hold. A job starts
 * when fewer than {@code maxRunning} are active and no active job writes its index (two writers on
 * one index would collide), in submission order among those that can. Ended jobs are kept for
 * status until more than {@code retained} have ended, or for {@code retainFor}; then the oldest is
 * forgotten (the calls that end a job return the jobs forgotten, whose ledger entries go). Not
 * thread-safe: the supervisor uses it on its context only.
 */
final class JobRegistry {

    private final int maxRunning;
    private final int retained;
    private final Duration retainFor;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final List<Job> queue = new ArrayList<>();
    private final Set<Job> active = new HashSet<>();
    private final Set<String> busyIndexes = new HashSet<>();
    private final ArrayDeque<Job> ended = new ArrayDeque<>();

    JobRegistry(int maxRunning, int retained, Duration retainFor) {
        this.maxRunning = maxRunning;
        this.retained = retained;
        this.retainFor = requireNonNull(retainFor, "retainFor");
    }

    JobRegistry(int maxRunning, int retained) {
        this(maxRunning, retained, Duration.ofDays(36500));
    }

    /** Adds a job restored from the ledger that had ended already; returns the jobs forgotten to make room. */
    List<Job> restoreEnded(Job job) {
        requireNonNull(job, "job");
        if (jobs.putIfAbsent(job.id, job) != null) {
            throw new IllegalStateException("a job with id " + job.id + " exists already");
        }
        return ended(job);
    }

    boolean isActive(Job job) {
        return active.contains(job);
    }

    /** Adds a submitted job at the end of the queue. */
    void add(Job job) {
        requireNonNull(job, "job");
        if (jobs.putIfAbsent(job.id, job) != null) {
            throw new IllegalStateException("a job with id " + job.id + " exists already");
        }
        queue.add(job);
    }

    Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Every known job, in submission order. */
    List<Job> all() {
        return List.copyOf(jobs.values());
    }

    /** The queued jobs, in submission order. */
    List<Job> queued() {
        return List.copyOf(queue);
    }

    /** The active jobs (binding, running or ending). */
    List<Job> active() {
        return List.copyOf(active);
    }

    int activeCount() {
        return active.size();
    }

    int queuedCount() {
        return queue.size();
    }

    /**
     * Takes the jobs that may start now out of the queue and marks them active, holding their
     * indexes: in submission order, skipping jobs whose index is held, until {@code maxRunning}
     * are active.
     */
    List<Job> startable() {
        List<Job> starting = new ArrayList<>();
        for (Iterator<Job> it = queue.iterator(); it.hasNext() && active.size() < maxRunning; ) {
            Job job = it.next();
            if (busyIndexes.add(job.spec.index())) {
                it.remove();
                active.add(job);
                starting.add(job);
            }
        }
        return starting;
    }

    /** A queued job leaves the queue without running (cancelled); returns the jobs forgotten. */
    List<Job> dequeue(Job job) {
        if (!queue.remove(job)) {
            throw new IllegalStateException("job " + job.id + " is not queued");
        }
        return ended(job);
    }

    /** An active job has ended and released everything: its slot and its index are free; returns the jobs forgotten. */
    List<Job> finished(Job job) {
        if (!active.remove(job)) {
            throw new IllegalStateException("job " + job.id + " is not active");
        }
        busyIndexes.remove(job.spec.index());
        return ended(job);
    }

    private static boolean endedBefore(Job job, Instant oldest) {
        return job.phase instanceof Job.Ended end && end.at().isBefore(oldest);
    }

    private List<Job> ended(Job job) {
        ended.addLast(job);
        List<Job> forgotten = new ArrayList<>();
        Instant oldest = Instant.now().minus(retainFor);
        while (!ended.isEmpty() && (ended.size() > retained || endedBefore(ended.peekFirst(), oldest))) {
            Job old = ended.removeFirst();
            jobs.remove(old.id);
            forgotten.add(old);
        }
        return forgotten;
    }
}
