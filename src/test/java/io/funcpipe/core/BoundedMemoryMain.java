package io.funcpipe.core;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.smallrye.mutiny.Multi;

/**
 * Streams {@code count} items through a map / flatMap / batch chain and prints how many came out;
 * {@link BoundedMemoryTest} runs it in a JVM with a small heap. The source generates its items
 * lazily, so only the pipeline itself could hold on to memory.
 *
 * <p>Usage: {@code BoundedMemoryMain <count> <batchSize> <maxWaitMillis>}
 */
public final class BoundedMemoryMain {

    private BoundedMemoryMain() {
    }

    public static void main(String[] args) {
        long count = Long.parseLong(args[0]);
        int batchSize = Integer.parseInt(args[1]);
        Duration maxWait = Duration.ofMillis(Long.parseLong(args[2]));
        long started = System.nanoTime();

        AsyncGen<Long> pipeline = AsyncGen.<Long>defer(() -> Multi.createFrom().iterable(() -> naturals(count)))
                .map(x -> x + 1)
                .flatMap(x -> x % 1000 == 0 ? AsyncGen.fromIterable(List.of(x)) : AsyncGen.of(x))
                .batch(batchSize, maxWait)
                .flatMap(AsyncGen::fromResults)
                .map(x -> x - 1);

        AtomicLong ok = new AtomicLong();
        AtomicLong err = new AtomicLong();
        AtomicLong sum = new AtomicLong();
        pipeline.open().onItem().invoke(r -> {
            switch (r) {
                case Ok<Long>(Long x) -> {
                    ok.incrementAndGet();
                    sum.addAndGet(x);
                }
                case Err<Long> e -> err.incrementAndGet();
            }
        }).collect().with(Collectors.counting()).await().indefinitely();

        double seconds = (System.nanoTime() - started) / 1e9;
        Runtime rt = Runtime.getRuntime();
        System.out.printf("count=%d%n", ok.get());
        System.out.printf("errors=%d sumOk=%d expectedSum=%d seconds=%.1f maxHeapMiB=%d%n", err.get(), sum.get(),
                count * (count - 1) / 2, seconds, rt.maxMemory() / (1024 * 1024));
        // Mutiny's default worker pool runs on non-daemon threads: end the JVM explicitly.
        System.exit(0);
    }

    private static Iterator<Result<Long>> naturals(long count) {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public Result<Long> next() {
                return Result.ok(next++);
            }
        };
    }
}
