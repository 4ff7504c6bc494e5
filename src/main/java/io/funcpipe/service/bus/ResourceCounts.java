package io.funcpipe.service.bus;

/**
 * What a {@link StageHost} holds open right now; every count is 0 once the host is closed.
 *
 * @param sourceSessions     source sessions open on this node (each holds a consumer at its own address)
 * @param sourceHandles      files and connections those sessions (and sessions still closing) hold open
 * @param openIndexes        Lucene indexes the index stage holds open
 * @param embedCallsInFlight embed requests being served
 * @param embedWorkers       the worker lanes of the node's embedding model (its parallelism) while it is open
 */
public record ResourceCounts(long sourceSessions, long sourceHandles, long openIndexes, long embedCallsInFlight,
                             long embedWorkers) {

    /** Whether nothing is held at all. */
    public boolean allZero() {
        return sourceSessions == 0 && sourceHandles == 0 && openIndexes == 0 && embedCallsInFlight == 0
                && embedWorkers == 0;
    }
}
