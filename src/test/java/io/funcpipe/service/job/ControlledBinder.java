package io.funcpipe.service.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import io.funcpipe.core.AsyncPlan;
import io.vertx.core.Future;

/**
 * A {@link LocalStageBinder} whose jobs' embed calls, once the supervisor's gate has granted them a
 * permit, are recorded (by index name, in grant order) and pass a per-index {@link Valve} before
 * they run: a test can hold a job in the middle of its run, or let it go a call at a time.
 */
final class ControlledBinder implements StageBinder {

    private final LocalStageBinder local;
    private final Map<String, Valve> valves = new ConcurrentHashMap<>();
    private final List<String> grants = new ArrayList<>();

    ControlledBinder(LocalStageBinder local) {
        this.local = local;
    }

    /** The valve of the jobs writing {@code index} (open unless set). */
    Valve valve(String index) {
        return valves.computeIfAbsent(index, ignored -> Valve.opened());
    }

    /** Sets the valve of the jobs writing {@code index}. */
    Valve valve(String index, Valve valve) {
        valves.put(index, valve);
        return valve;
    }

    /** The index names of the embed calls granted so far, in grant order. */
    List<String> grants() {
        synchronized (grants) {
            return List.copyOf(grants);
        }
    }

    LocalStageBinder local() {
        return local;
    }

    @Override
    public Future<BoundJob> bind(String jobId, JobSpec spec, UnaryOperator<AsyncPlan<List<float[]>>> embedGuard) {
        String index = spec.index();
        return local.bind(jobId, spec, call -> embedGuard.apply(AsyncPlan.defer(() -> {
            synchronized (grants) {
                grants.add(index);
            }
            return valve(index).pass().onItem().transformToUni(ignored -> call.open());
        })));
    }
}
