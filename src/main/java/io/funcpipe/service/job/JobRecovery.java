package io.funcpipe.service.job;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.vertx.core.json.JsonObject;

/**
 * What a supervisor does with its ledger when it starts: every entry becomes a job again. Ended
 * jobs are listed as they ended; a job that was queued queues again; a job that was running
 * queues to resume from the checkpoint in its index ({@link Job#resumes} counts it); a job whose
 * cancel was asked for ends CANCELLED; a job whose spec no longer reads (an input root removed
 * from the config, say) ends FAILED saying why. Submission order is kept.
 */
final class JobRecovery {

    private static final Logger LOG = System.getLogger(JobRecovery.class.getName());

    /** A ledger entry with its spec read again under today's rules (null for an ended job: not needed). */
    record Recovered(JsonObject entry, SpecCheck spec) {
    }

    private JobRecovery() {
    }

    /** Reads the ledger and each unfinished job's spec. Blocks: call on a worker. */
    static List<Recovered> read(JobLedger ledger, SpecRules rules) {
        List<Recovered> out = new ArrayList<>();
        for (JsonObject entry : ledger.readAll()) {
            boolean ended = JobEntry.state(entry).isFinal();
            out.add(new Recovered(entry, ended ? null : JobSpecJson.read(JobEntry.spec(entry), rules)));
        }
        out.sort(Comparator.comparing(r -> JobEntry.time(r.entry(), "submittedAt"),
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder())));
        return out;
    }

    /** Puts the recovered jobs back in the registry and ends the ones that cannot go on. Call on the supervisor's context. */
    static void restore(List<Recovered> recovered, JobRegistry jobs, JobDriver driver) {
        int resumed = 0;
        int queued = 0;
        List<Job> forgotten = new ArrayList<>();
        for (Recovered r : recovered) {
            JobState was = JobEntry.state(r.entry());
            if (was.isFinal()) {
                forgotten.addAll(jobs.restoreEnded(JobEntry.restore(r.entry(), null)));
                continue;
            }
            JobSpec spec = r.spec() instanceof SpecCheck.Valid(JobSpec valid) ? valid : null;
            Job job = JobEntry.restore(r.entry(), spec);
            if (was == JobState.RUNNING) {
                job.resumes++;
            }
            jobs.add(job);
            if (spec == null) {
                job.addError("the job cannot go on after the supervisor restarted: its spec no longer passes the "
                        + "checks: " + ((SpecCheck.Invalid) r.spec()).message());
                driver.fail(job);
            } else if (job.cancelRequested) {
                driver.cancel(job);
            } else if (was == JobState.RUNNING) {
                resumed++;
            } else {
                queued++;
            }
        }
        driver.forget(forgotten);
        if (!recovered.isEmpty()) {
            LOG.log(Level.INFO, "job ledger: {0} jobs, {1} to resume, {2} queued", recovered.size(), resumed, queued);
        }
    }
}
