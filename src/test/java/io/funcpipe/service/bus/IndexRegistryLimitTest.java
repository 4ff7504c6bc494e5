package io.funcpipe.service.bus;

import static io.funcpipe.service.bus.BusTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.funcpipe.core.Err;
import io.funcpipe.core.ErrCode;
import io.funcpipe.service.bus.protocol.IndexTarget;
import io.vertx.core.Vertx;

@DisplayName("index registry: at most index.maxOpen indexes open")
class IndexRegistryLimitTest {

    @TempDir
    Path root;

    @Test
    @DisplayName("one more index than maxOpen is UNAVAILABLE naming the key; the open one stays writable")
    void maxOpen() {
        Vertx vertx = Vertx.vertx();
        IndexRegistry registry = new IndexRegistry(vertx, root, 1);
        registry.retain();
        try {
            assertThat(await(registry.index(new IndexTarget("first", "hash", 8))).isOk()).isTrue();

            var refused = await(registry.index(new IndexTarget("second", "hash", 8)));

            assertThat(refused).isInstanceOfSatisfying(Err.class, err -> {
                assertThat(((Err<?>) err).error().code()).isEqualTo(ErrCode.UNAVAILABLE);
                assertThat(((Err<?>) err).error().message()).isEqualTo("cannot open the index 'second': 1 indexes are "
                        + "open on this node, the limit (index.maxOpen is 1); write to an open index, or ask the "
                        + "operator to raise index.maxOpen");
            });
            assertThat(await(registry.index(new IndexTarget("first", "hash", 8))).isOk()).isTrue();
            assertThat(registry.openCount()).isEqualTo(1);
        } finally {
            await(registry.release());
            await(vertx.close());
        }
        assertThat(registry.openCount()).isZero();
    }
}
