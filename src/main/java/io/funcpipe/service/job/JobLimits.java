package io.funcpipe.service.job;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.funcpipe.core.policy.Policies;
import io.funcpipe.service.shell.ServiceConfig;

/**
 * Bounds on what one job spec, and one caller, may ask of the supervisor (config section
 * {@code limits}; docs/limits.md lists each with its error). Each refusal names the field or the
 * limit and its config key.
 *
 * @param maxSources            sources one spec may list ({@code limits.sourcesPerJob}); default 1000
 * @param maxQueuedPerPrincipal jobs one caller may have queued ({@code limits.queuedPerPrincipal}); default 100
 * @param maxQueued             jobs queued over all callers ({@code limits.queuedTotal}); default 1000
 * @param maxSpecBytes          the largest spec in bytes of JSON ({@code limits.specBytes}); default 1 MiB
 * @param maxAttempts           the most {@code policies.retry.maxAttempts} ({@code limits.maxAttempts}); default 10
 * @param maxTimeBudget         the longest {@code policies.retry.expireIn}, {@code retry.maxBackoff} and
 *                              {@code timeout.perItem} ({@code limits.maxTimeBudget}); default 1 hour
 * @param minRate               the slowest {@code policies.rateLimit.permitsPerSecond}
 *                              ({@code limits.minRate}); default 1 per second
 */
public record JobLimits(int maxSources, int maxQueuedPerPrincipal, int maxQueued, int maxSpecBytes, int maxAttempts,
                        Duration maxTimeBudget, double minRate) {

    public JobLimits {
        if (maxSources < 1 || maxQueuedPerPrincipal < 1 || maxQueued < 1 || maxSpecBytes < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("maxSources, maxQueuedPerPrincipal, maxQueued, maxSpecBytes and "
                    + "maxAttempts must be >= 1, got " + maxSources + ", " + maxQueuedPerPrincipal + ", " + maxQueued
                    + ", " + maxSpecBytes + ", " + maxAttempts);
        }
        requireNonNull(maxTimeBudget, "maxTimeBudget");
        if (maxTimeBudget.isNegative() || maxTimeBudget.isZero()) {
            throw new IllegalArgumentException("maxTimeBudget must be > 0, got " + maxTimeBudget);
        }
        if (!(minRate > 0) || !Double.isFinite(minRate)) {
            throw new IllegalArgumentException("minRate must be a finite number > 0, got " + minRate);
        }
    }

    /** The defaults of {@code conf/funcpipe.yaml}. */
    public static JobLimits defaults() {
        return from(ServiceConfig.Limits.defaults());
    }

    /** The limits the service's {@code limits} section gives. */
    public static JobLimits from(ServiceConfig.Limits limits) {
        requireNonNull(limits, "limits");
        return new JobLimits(limits.sourcesPerJob(), limits.queuedPerPrincipal(), limits.queuedTotal(),
                limits.specBytes(), limits.maxAttempts(), limits.maxTimeBudget(), limits.minRate());
    }

    public JobLimits withMaxSources(int maxSources) {
        return new JobLimits(maxSources, maxQueuedPerPrincipal, maxQueued, maxSpecBytes, maxAttempts, maxTimeBudget,
                minRate);
    }

    public JobLimits withQueued(int maxQueuedPerPrincipal, int maxQueued) {
        return new JobLimits(maxSources, maxQueuedPerPrincipal, maxQueued, maxSpecBytes, maxAttempts, maxTimeBudget,
                minRate);
    }

    public JobLimits withMaxSpecBytes(int maxSpecBytes) {
        return new JobLimits(maxSources, maxQueuedPerPrincipal, maxQueued, maxSpecBytes, maxAttempts, maxTimeBudget,
                minRate);
    }

    /** The problems of {@code policies} against these bounds, each naming its field. */
    List<SpecProblem> problems(Policies policies) {
        List<SpecProblem> problems = new ArrayList<>();
        if (policies.retry().maxAttempts() > maxAttempts) {
            problems.add(new SpecProblem("policies.retry.maxAttempts", "policies.retry.maxAttempts must be at most "
                    + maxAttempts + " (limits.maxAttempts), got " + policies.retry().maxAttempts()));
        }
        budget(problems, "policies.retry.expireIn", policies.retry().expireIn());
        budget(problems, "policies.retry.maxBackoff", policies.retry().maxBackoff());
        budget(problems, "policies.timeout.perItem", policies.timeout().perItem());
        double rate = policies.rateLimit() == null ? Double.POSITIVE_INFINITY : policies.rateLimit().permitsPerSecond();
        if (rate < minRate) {
            problems.add(new SpecProblem("policies.rateLimit.permitsPerSecond", "policies.rateLimit.permitsPerSecond "
                    + "must be at least " + minRate + " (limits.minRate), got " + rate + ": a slower job holds a run "
                    + "slot and its index for as long as it runs"));
        }
        return problems;
    }

    private void budget(List<SpecProblem> problems, String field, Duration value) {
        if (value.compareTo(maxTimeBudget) > 0) {
            problems.add(new SpecProblem(field, field + " must be at most " + maxTimeBudget
                    + " (limits.maxTimeBudget), got " + value));
        }
    }
}
