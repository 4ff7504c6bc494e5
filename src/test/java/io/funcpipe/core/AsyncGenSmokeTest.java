package io.funcpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class AsyncGenSmokeTest {

    @Test
    void mapAsyncKeepsOrderAndBatchKeepsResults() {
        AsyncGen<Integer> gen = AsyncGen.fromIterable(List.of(5, 1, 3, 2, 4))
                .mapAsync(3, x -> Uni.createFrom().item(Result.ok(x * 10)).onItem().delayIt().by(Duration.ofMillis(x * 5L)));
        assertThat(gen.collectAll().await().indefinitely())
                .containsExactly(Result.ok(50), Result.ok(10), Result.ok(30), Result.ok(20), Result.ok(40));
        List<Result<List<Result<Integer>>>> batches = gen.batch(2, Duration.ofSeconds(1)).collectAll().await().indefinitely();
        assertThat(batches).hasSize(3);
    }

    @Test
    void usingReleasesOnceOnCompletionAndCancel() {
        AtomicInteger released = new AtomicInteger();
        AsyncGen<Integer> gen = AsyncGen.using(AsyncPlan.of("r"),
                r -> Uni.createFrom().voidItem().invoke(released::incrementAndGet),
                r -> AsyncGen.fromIterable(List.of(1, 2, 3)));
        assertThat(gen.collectAll().await().indefinitely()).hasSize(3);
        assertThat(gen.take(1).collectAll().await().indefinitely()).hasSize(1);
        assertThat(released).hasValue(2);
    }

    @Test
    void throwingMapperBecomesErr() {
        var out = AsyncGen.fromIterable(List.of(1, 0, 2)).map(x -> 10 / x).filter(x -> x > 5).collectAll().await().indefinitely();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(Result.ok(10));
        assertThat(out.get(1)).isInstanceOf(Err.class);
    }
}
