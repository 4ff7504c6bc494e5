package io.funcpipe.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.funcpipe.core.policy.FairMerge;
import io.funcpipe.core.policy.Lane;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * A small job's completion time while a large job runs through the same downstream capacity (one
 * consumer spending {@code workMicros} per item), measured three ways in one run:
 * <ol>
 *   <li>alone: the small job by itself;</li>
 *   <li>fair: the large job runs, then the small job joins a {@link FairMerge} (weights from the
 *       arguments, as a job spec gives them);</li>
 *   <li>baseline FIFO: the small job queued behind the large one (concatenation).</li>
 * </ol>
 * The small job runs alone once unmeasured first, to warm the JIT. Arguments:
 * {@code [largeItems=50000] [smallItems=1000] [workMicros=200] [largeWeight=1] [smallWeight=1]}.
 */
public final class FairnessBench {

    private static final int SMALL = 1;
    private static final int LARGE = 0;

    private FairnessBench() {
    }

    public static void main(String[] args) throws Exception {
        int largeItems = arg(args, 0, 50_000);
        int smallItems = arg(args, 1, 1_000);
        long workNanos = Duration.ofNanos(arg(args, 2, 200) * 1000L).toNanos();
        int largeWeight = arg(args, 3, 1);
        int smallWeight = arg(args, 4, 1);
        System.out.printf("fairness bench: large=%d items (weight %d) small=%d items (weight %d) work=%d us/item java=%s%n",
                largeItems, largeWeight, smallItems, smallWeight, workNanos / 1000, Runtime.version());

        Run warmUp = new Run(workNanos, smallItems);
        warmUp.start(job(SMALL, smallItems).open());
        warmUp.smallDone.await();

        Run alone = new Run(workNanos, smallItems);
        alone.start(job(SMALL, smallItems).open());
        alone.smallDone.await();
        report("alone", alone);

        FairMerge<Integer> merge = FairMerge.create();
        Lane<Integer> large = merge.add(job(LARGE, largeItems), largeWeight);
        Run fair = new Run(workNanos, smallItems);
        fair.start(merge.output().open());
        while (fair.largeConsumed.get() < Math.min(2_000, largeItems / 2)) {
            Thread.sleep(1);
        }
        fair.markSmallStart();
        merge.add(job(SMALL, smallItems), smallWeight);
        merge.close();
        fair.smallDone.await();
        report("fair merge", fair);
        large.cancel();

        Run fifo = new Run(workNanos, smallItems);
        fifo.markSmallStart();
        fifo.start(AsyncGen.concat(job(LARGE, largeItems), job(SMALL, smallItems)).open());
        fifo.smallDone.await();
        report("baseline FIFO", fifo);
        System.out.printf("slowdown beside the large job: fair %.2fx, FIFO %.2fx (expected for fair: (wL+wS)/wS = %.2fx)%n",
                fair.smallSeconds() / alone.smallSeconds(), fifo.smallSeconds() / alone.smallSeconds(),
                (double) (largeWeight + smallWeight) / smallWeight);
    }

    private static void report(String name, Run run) {
        System.out.printf("%-14s small job done in %.3f s; large-job items consumed meanwhile: %d (small: %d)%n",
                name, run.smallSeconds(), run.largeDuringSmall, run.smallConsumed.get());
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    /** Job {@code id}'s items: values {@code id * 100,000,000 + k}. */
    private static AsyncGen<Integer> job(int id, int items) {
        return AsyncGen.defer(() -> Multi.createFrom().range(id * 100_000_000, id * 100_000_000 + items)
                .onItem().transform(Result::ok));
    }

    /** The shared capacity: one consumer, one item at a time, {@code workNanos} each. */
    private static final class Run implements MultiSubscriber<Result<Integer>> {
        final CountDownLatch smallDone = new CountDownLatch(1);
        final AtomicLong smallConsumed = new AtomicLong();
        final AtomicLong largeConsumed = new AtomicLong();
        private final long workNanos;
        private final int smallItems;
        private volatile long smallStart;
        private volatile long smallEnd;
        private volatile long largeAtSmallStart;
        volatile long largeDuringSmall;
        private volatile Flow.Subscription subscription;
        private final Thread thread;
        private volatile Multi<Result<Integer>> source;

        Run(long workNanos, int smallItems) {
            this.workNanos = workNanos;
            this.smallItems = smallItems;
            this.thread = Thread.ofPlatform().name("capacity").daemon().unstarted(() -> source.subscribe().withSubscriber(this));
        }

        void start(Multi<Result<Integer>> stream) {
            source = stream;
            if (smallStart == 0) {
                markSmallStart();
            }
            thread.start();
        }

        void markSmallStart() {
            largeAtSmallStart = largeConsumed.get();
            smallStart = System.nanoTime();
        }

        double smallSeconds() {
            return (smallEnd - smallStart) / 1e9;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onItem(Result<Integer> item) {
            LockSupport.parkNanos(workNanos);
            if (((Ok<Integer>) item).value() / 100_000_000 == SMALL) {
                if (smallConsumed.incrementAndGet() == smallItems) {
                    smallEnd = System.nanoTime();
                    largeDuringSmall = largeConsumed.get() - largeAtSmallStart;
                    subscription.cancel();
                    smallDone.countDown();
                    return;
                }
            } else {
                largeConsumed.incrementAndGet();
            }
            subscription.request(1);
        }

        @Override
        public void onFailure(Throwable failure) {
            System.out.println("stream failed: " + failure);
            smallDone.countDown();
        }

        @Override
        public void onCompletion() {
            smallDone.countDown();
        }
    }
}
