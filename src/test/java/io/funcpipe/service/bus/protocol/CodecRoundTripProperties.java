package io.funcpipe.service.bus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Every message survives the wire form other cluster nodes read, field for field (floats bit for
 * bit, {@code ErrInfo} with every field), wherever it sits in the buffer; a truncated message is
 * refused with a {@link MalformedMessageException}, never misread.
 */
class CodecRoundTripProperties {

    @Provide
    Arbitrary<BusMessage> messages() {
        return MessageArbitraries.messages();
    }

    @Provide
    Arbitrary<byte[]> prefixes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
    }

    @Property(tries = 500)
    void wireRoundTripGivesAnEqualMessage(@ForAll("messages") BusMessage message, @ForAll("prefixes") byte[] prefix) {
        BusCodec<BusMessage> codec = codecOf(message);
        Buffer buffer = Buffer.buffer().appendBytes(prefix);
        codec.encodeToWire(buffer, message);
        buffer.appendString("trailing bytes of the next frame");

        BusMessage decoded = codec.decodeFromWire(prefix.length, buffer);

        assertThat(decoded).isInstanceOf(message.getClass())
                .usingRecursiveComparison()
                .withComparatorForType((a, b) -> Arrays.equals(a, b) ? 0 : 1, float[].class)
                .isEqualTo(message);
    }

    @Property(tries = 200)
    void localDeliveryPassesTheSameObject(@ForAll("messages") BusMessage message) {
        assertThat(codecOf(message).transform(message)).isSameAs(message);
    }

    @Property(tries = 300)
    void aTruncatedMessageIsRefused(@ForAll("messages") BusMessage message, @ForAll @IntRange(min = 1, max = 1000) int cut) {
        BusCodec<BusMessage> codec = codecOf(message);
        Buffer whole = Buffer.buffer();
        codec.encodeToWire(whole, message);
        int bodyLength = whole.length() - Integer.BYTES;
        int keep = Math.max(1, bodyLength - 1 - (cut % bodyLength)); // 1 .. bodyLength - 1 bytes of the body
        Buffer truncated = Buffer.buffer().appendInt(keep).appendBuffer(whole.slice(Integer.BYTES, Integer.BYTES + keep));

        if (keep < bodyLength) {
            assertThatThrownBy(() -> codec.decodeFromWire(0, truncated))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("malformed bus message");
        }
    }

    @SuppressWarnings("unchecked")
    private static BusCodec<BusMessage> codecOf(BusMessage message) {
        return (BusCodec<BusMessage>) (BusCodec<?>) BusCodecs.of(message.getClass());
    }
}
