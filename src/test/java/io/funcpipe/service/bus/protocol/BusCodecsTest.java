package io.funcpipe.service.bus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.funcpipe.rag.Chunk;
import io.funcpipe.rag.DocumentRecord;
import io.funcpipe.rag.DocumentWrite;
import io.funcpipe.rag.EmbeddedChunk;
import io.funcpipe.rag.RawDoc;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

@DisplayName("bus codecs")
class BusCodecsTest {

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("every message type has exactly one codec, with its own name")
    void oneCodecPerType() {
        Set<Class<?>> types = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (BusCodec<?> codec : BusCodecs.ALL) {
            assertThat(types.add(codec.type())).as("one codec for " + codec.type()).isTrue();
            assertThat(names.add(codec.name())).as("unique name " + codec.name()).isTrue();
            assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
        }
        assertThat(types).containsExactlyInAnyOrder(BusMessage.class.getPermittedSubclasses());
    }

    @Test
    @DisplayName("registering twice on one event bus is harmless")
    void registrationIsIdempotent() {
        BusCodecs.register(vertx.eventBus());
        BusCodecs.register(vertx.eventBus());
    }

    @Test
    @DisplayName("a type already claimed by a foreign codec is reported, naming the type")
    void foreignCodecIsReported() {
        vertx.eventBus().registerDefaultCodec(IndexAck.class, new ForeignCodec());
        assertThatThrownBy(() -> BusCodecs.register(vertx.eventBus()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(IndexAck.class.getName());
    }

    @Test
    @DisplayName("inside one JVM a request and its reply are delivered as the very objects sent")
    void localDeliveryDoesNotCopy() throws Exception {
        BusCodecs.register(vertx.eventBus());
        DocBatch sent = new DocBatch(1, List.of(Result.ok(new RawDoc("a", "a.txt", "text", Map.of(), 4, 0)),
                Result.err(ErrInfo.of(ErrCode.MALFORMED_RECORD, "bad line").withLocation("a.jsonl:2"))), false, 4, 10);
        IndexAck answer = new IndexAck(7);
        Object[] received = new Object[1];
        await(vertx.eventBus().consumer("test.codecs", m -> {
            received[0] = m.body();
            m.reply(answer);
        }).completion());

        Object reply = await(vertx.eventBus().request("test.codecs", sent)).body();

        assertThat(received[0]).isSameAs(sent);
        assertThat(reply).isSameAs(answer);
    }

    @Test
    @DisplayName("a message of another wire version is refused, saying to run one version everywhere")
    void otherVersionIsRefused() {
        BusCodec<IndexAck> codec = BusCodecs.of(IndexAck.class);
        Buffer buffer = Buffer.buffer();
        codec.encodeToWire(buffer, new IndexAck(3));
        buffer.setByte(Integer.BYTES, (byte) (BusCodec.VERSION + 1));
        assertThatThrownBy(() -> codec.decodeFromWire(0, buffer))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("same FuncPipe version");
    }

    private static WriteDocuments document(int chunks, Map<String, String> metadata) {
        List<EmbeddedChunk> list = new java.util.ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            list.add(new EmbeddedChunk(new Chunk("d#" + i, "d", "d.csv:2", i, "text " + i, 2, metadata), new float[] {1, 0}));
        }
        List<String> ids = list.stream().map(e -> e.chunk().id()).toList();
        return new WriteDocuments(new IndexTarget("/idx", "hash", 2), List.of(new DocumentWrite(new DocumentRecord("d", "/in",
                "d.csv:2", "h", ids, "hash", "words-24", Instant.EPOCH), list)), true);
    }

    private static int wireBytes(WriteDocuments message) {
        Buffer buffer = Buffer.buffer();
        BusCodecs.of(WriteDocuments.class).encodeToWire(buffer, message);
        return buffer.length();
    }

    @Test
    @DisplayName("a document to write carries its metadata once, not once per chunk; its chunks share one map when read")
    void documentMetadataOnce() {
        Map<String, String> metadata = Map.of("abstract", "x".repeat(5000), "year", "1862");
        int metadataBytes = 5000 + "abstract".length() + "year".length() + "1862".length();
        int chunks = 20;
        int without = wireBytes(document(chunks, Map.of()));
        WriteDocuments message = document(chunks, metadata);
        int with = wireBytes(message);
        assertThat(with - without).isGreaterThanOrEqualTo(metadataBytes).isLessThan(2 * metadataBytes);

        Buffer buffer = Buffer.buffer();
        BusCodecs.of(WriteDocuments.class).encodeToWire(buffer, message);
        WriteDocuments read = BusCodecs.of(WriteDocuments.class).decodeFromWire(0, buffer);
        List<EmbeddedChunk> readChunks = read.docs().getFirst().chunks();
        assertThat(readChunks).hasSize(chunks).allSatisfy(e -> assertThat(e.chunk().metadata()).isEqualTo(metadata));
        assertThat(readChunks).allSatisfy(e -> assertThat(e.chunk().metadata()).isSameAs(readChunks.getFirst().chunk().metadata()));
    }

    /** Someone else's codec for one of our types. */
    private static final class ForeignCodec implements MessageCodec<IndexAck, IndexAck> {
        @Override
        public void encodeToWire(Buffer buffer, IndexAck ack) {
            buffer.appendLong(ack.value());
        }

        @Override
        public IndexAck decodeFromWire(int pos, Buffer buffer) {
            return new IndexAck(buffer.getLong(pos));
        }

        @Override
        public IndexAck transform(IndexAck ack) {
            return ack;
        }

        @Override
        public String name() {
            return "someone-else";
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
