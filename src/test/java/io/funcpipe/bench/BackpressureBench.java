package io.funcpipe.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.funcpipe.core.AsyncGen;
import io.funcpipe.core.Err;
import io.funcpipe.core.Result;
import io.funcpipe.core.policy.Backpressure;
import io.funcpipe.core.policy.Overflow;
import io.funcpipe.core.policy.Policies;
import io.funcpipe.core.policy.PolicyInterpreter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiSubscriber;

/**
 * A fast producer of N items (each a 100-character string) in front of a consumer that spends
 * {@code consumeMillis} per item, with heap sampled every 20 ms ({@link HeapSampler}: peak used heap,
 * garbage included, and peak live heap left after a collection):
 * <ol>
 *   <li>baseline: a producer that ignores demand into Mutiny's unbounded buffer (stopped once the
 *       producer is done, at most 200,000 items, so a small heap survives it);</li>
 *   <li>{@code Backpressure(bufferSize, WAIT)}: the producer honours demand; every item is consumed;</li>
 *   <li>{@code Backpressure(bufferSize, DROP_OLDEST)}: the producer ignores demand; the oldest are dropped.</li>
 * </ol>
 * {@code maxInFlight} counts items produced but not yet consumed or reported dropped: the buffer plus
 * the consumer hand-off queue ({@code emitOn}). Arguments: {@code [items=1000000] [consumeMillis=1]
 * [bufferSize=256]}. Run with {@code -Xmx64m}.
 * The full default run takes about 17 minutes (1,000,000 items at 1 ms).
 */
public final class BackpressureBench {

    private BackpressureBench() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        long consumeNanos = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 1).toNanos();
        int bufferSize = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        System.out.printf("backpressure bench: items=%d consume=%d us/item bufferSize=%d maxHeap=%s java=%s%n",
                items, consumeNanos / 1000, bufferSize, HeapSampler.mb(HeapSampler.maxHeap()), Runtime.version());

        int baselineItems = Math.min(items, 200_000);
        run("baseline unbounded buffer", baselineItems, consumeNanos, true,
                source -> source.onOverflow().bufferUnconditionally(), true);
        run("Backpressure WAIT", items, consumeNanos, false,
                source -> buffered(source, Backpressure.of(bufferSize, Overflow.WAIT)), false);
        run("Backpressure DROP_OLDEST", items, consumeNanos, true,
                source -> buffered(source, Backpressure.of(bufferSize, Overflow.DROP_OLDEST)), false);
    }

    private static Multi<Result<String>> buffered(Multi<Result<String>> source, Backpressure policy) {
        return PolicyInterpreter.of(Policies.DEFAULT.withBackpressure(policy)).buffer(AsyncGen.defer(() -> source)).open();
    }

    private static void run(String name, int items, long consumeNanos, boolean hot,
                            java.util.function.UnaryOperator<Multi<Result<String>>> policy, boolean stopWhenProduced)
            throws InterruptedException {
        long before = HeapSampler.settledHeap();
        AtomicLong produced = new AtomicLong();
        ExecutorService producerThread = Executors.newSingleThreadExecutor();
        ExecutorService consumerThread = Executors.newSingleThreadExecutor();
        Multi<Result<String>> source = hot ? hotSource(items, produced, producerThread) : coldSource(items, produced);
        Consumer consumer = new Consumer(consumeNanos, produced, items);
        long start = System.nanoTime();
        try (HeapSampler heap = new HeapSampler()) {
            policy.apply(source).emitOn(consumerThread).subscribe().withSubscriber(consumer);
            if (stopWhenProduced) {
                while (produced.get() < items && consumer.done.getCount() > 0) {
                    Thread.sleep(5);
                }
                consumer.cancel();
            } else {
                consumer.done.await();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String inFlight = consumer.dropped.get() > 0 ? "n/a (drops are reported late)" : Long.toString(consumer.maxHeld.get());
            System.out.printf("%-26s produced=%d consumed=%d dropped=%d maxInFlight=%s elapsed=%.1f s "
                            + "heapBefore=%s peakHeapUsed=%s peakLiveAfterGc=%s liveAfterGcAtQuarters=%s%n",
                    name, produced.get(), consumer.consumed.get(), consumer.dropped.get(), inFlight, seconds,
                    HeapSampler.mb(before), HeapSampler.mb(heap.peak()), HeapSampler.mb(heap.peakAfterGc()),
                    consumer.quarters);
        } finally {
            producerThread.shutdownNow();
            consumerThread.shutdownNow();
            producerThread.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Result<String> item(long i) {
        return Result.ok(String.format("%0100d", i));
    }

    /** A producer that honours demand and makes each item the moment it is asked for. */
    private static Multi<Result<String>> coldSource(int items, AtomicLong produced) {
        return Multi.createFrom().range(0, items).onItem().transform(i -> {
            produced.incrementAndGet();
            return item(i);
        });
    }

    /** A producer on its own thread that emits as fast as it can, whatever the demand. */
    private static Multi<Result<String>> hotSource(int items, AtomicLong produced, ExecutorService thread) {
        return Multi.createFrom().emitter(emitter -> thread.execute(() -> {
            for (int i = 0; i < items && !emitter.isCancelled(); i++) {
                produced.incrementAndGet();
                emitter.emit(item(i));
            }
            emitter.complete();
        }));
    }

    /** Takes one item at a time and spends {@code consumeNanos} on it (parked, on its own thread). */
    private static final class Consumer implements MultiSubscriber<Result<String>> {
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong consumed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong maxHeld = new AtomicLong();
        final List<String> quarters = new CopyOnWriteArrayList<>();
        private final long consumeNanos;
        private final AtomicLong produced;
        private final long quarter;
        private volatile Flow.Subscription subscription;

        Consumer(long consumeNanos, AtomicLong produced, int items) {
            this.consumeNanos = consumeNanos;
            this.produced = produced;
            this.quarter = Math.max(1, items / 4);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onItem(Result<String> item) {
            if (item instanceof Err<String>(var error) && error.details().containsKey("dropped")) {
                dropped.addAndGet(Long.parseLong(error.details().get("dropped")));
            } else if (consumed.incrementAndGet() % quarter == 0) {
                quarters.add(HeapSampler.mb(HeapSampler.afterGc()));
            }
            maxHeld.accumulateAndGet(produced.get() - consumed.get() - dropped.get(), Math::max);
            LockSupport.parkNanos(consumeNanos);
            subscription.request(1);
        }

        @Override
        public void onFailure(Throwable failure) {
            System.out.println("stream failed: " + failure);
            done.countDown();
        }

        @Override
        public void onCompletion() {
            done.countDown();
        }

        void cancel() {
            subscription.cancel();
            done.countDown();
        }
    }
}
