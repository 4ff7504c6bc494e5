package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The supervisor's bound on waiting jobs: at most {@link JobLimits#maxQueued()} queued in all and
 * {@link JobLimits#maxQueuedPerPrincipal()} per caller. A job counts from its admission (while it
 * is being recorded) until it leaves the queue. Touched on the supervisor's context only.
 * Jobs queued again from the ledger after a restart count toward the total only (their caller is
 * not in the ledger).
 */
final class QueueQuota {

    private final JobLimits limits;
    /** Job id to its caller's principal, for the jobs admitted and still queued or being recorded. */
    private final Map<String, String> principals = new HashMap<>();
    private final Set<String> recording = new HashSet<>();

    QueueQuota(JobLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /**
     * Admits job {@code id} for {@code caller}, or says which limit refuses it.
     *
     * @param queued the ids of the jobs queued now
     */
    Optional<String> admit(String id, Caller caller, Set<String> queued) {
        principals.keySet().removeIf(job -> !queued.contains(job) && !recording.contains(job));
        int total = queued.size() + recording.size();
        if (total >= limits.maxQueued()) {
            return Optional.of(total + " jobs are queued, the limit for the service (limits.queuedTotal is "
                    + limits.maxQueued() + "); try again when some have started");
        }
        long mine = principals.values().stream().filter(caller.principal()::equals).count();
        if (mine >= limits.maxQueuedPerPrincipal()) {
            return Optional.of(caller.principal() + " has " + mine + " jobs queued, the limit per caller "
                    + "(limits.queuedPerPrincipal is " + limits.maxQueuedPerPrincipal() + "); wait for some to start, "
                    + "or cancel some");
        }
        principals.put(id, caller.principal());
        recording.add(id);
        return Optional.empty();
    }

    /** Job {@code id} was recorded and queued ({@code queued}) or refused; either way it is no longer being recorded. */
    void recorded(String id, boolean queued) {
        recording.remove(id);
        if (!queued) {
            principals.remove(id);
        }
    }
}
