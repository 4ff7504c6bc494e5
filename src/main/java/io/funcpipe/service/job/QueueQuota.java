package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The supervisor's bound on waiting jobs: at most {@link JobLimits#maxQueued()} queued in all and
 * {@link JobLimits#maxQueuedPerPrincipal()} per caller. A job counts from its admission (while it
 * is being recorded) until it leaves the queue; a queued job counts for its {@link Job#owner}, so
 * the jobs queued again from the ledger after a restart count for their callers too. Touched on
 * the supervisor's context only.
 */
final class QueueQuota {

    private final JobLimits limits;
    /** Job id to its caller's principal, for the jobs admitted and still being recorded (not queued yet). */
    private final Map<String, String> recording = new HashMap<>();

    QueueQuota(JobLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /**
     * Admits job {@code id} for {@code caller}, or says which limit refuses it.
     *
     * @param queued the jobs queued now
     */
    Optional<String> admit(String id, Caller caller, Collection<Job> queued) {
        int total = queued.size() + recording.size();
        if (total >= limits.maxQueued()) {
            return Optional.of(total + " jobs are queued, the limit for the service (limits.queuedTotal is "
                    + limits.maxQueued() + "); try again when some have started");
        }
        long mine = queued.stream().filter(job -> caller.principal().equals(job.owner)).count()
                + recording.values().stream().filter(caller.principal()::equals).count();
        if (mine >= limits.maxQueuedPerPrincipal()) {
            return Optional.of(caller.principal() + " has " + mine + " jobs queued, the limit per caller "
                    + "(limits.queuedPerPrincipal is " + limits.maxQueuedPerPrincipal() + "); wait for some to start, "
                    + "or cancel some");
        }
        recording.put(id, caller.principal());
        return Optional.empty();
    }

    /** Job {@code id} was recorded and queued, or refused; either way it is no longer being recorded. */
    void recorded(String id) {
        recording.remove(id);
    }
}
