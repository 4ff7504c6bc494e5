package io.funcpipe.service.bus.protocol;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The codec of one {@link BusMessage} type. Inside one JVM {@link #transform} hands over the
 * object itself (messages are immutable records, so nothing is copied). On the wire a message is
 * a 4-byte length, a format version byte, then its fields as {@link BusMessage#writeTo} writes
 * them; decoding checks the version and that every byte was read.
 *
 * @param <T> the message type
 */
public final class BusCodec<T extends BusMessage> implements MessageCodec<T, T> {

    /** The wire format's version; a node that reads another version refuses the message. */
    public static final byte VERSION = 2;

    private final Class<T> type;
    private final String name;
    private final Function<WireReader, T> reader;

    BusCodec(Class<T> type, Function<WireReader, T> reader) {
        this.type = requireNonNull(type, "type");
        this.name = "funcpipe." + type.getSimpleName();
        this.reader = requireNonNull(reader, "reader");
    }

    /** The message type this codec is the default codec of. */
    public Class<T> type() {
        return type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T message) {
        int lengthAt = buffer.length();
        buffer.appendInt(0);
        buffer.appendByte(VERSION);
        message.writeTo(new WireWriter(buffer));
        buffer.setInt(lengthAt, buffer.length() - lengthAt - Integer.BYTES);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        if (pos + Integer.BYTES + 1 > buffer.length()) {
            throw new MalformedMessageException("malformed bus message " + name + ": " + (buffer.length() - pos)
                    + " bytes, too short for a length and a version");
        }
        int length = buffer.getInt(pos);
        int start = pos + Integer.BYTES;
        if (length < 1 || length > buffer.length() - start) {
            throw new MalformedMessageException("malformed bus message " + name + ": length " + length + " but "
                    + (buffer.length() - start) + " bytes follow");
        }
        byte version = buffer.getByte(start);
        if (version != VERSION) {
            throw new MalformedMessageException("bus message " + name + " has wire format version " + version
                    + ", this node reads version " + VERSION + ": run the same FuncPipe version on every node");
        }
        WireReader in = new WireReader(buffer, start + 1, start + length);
        T message = reader.apply(in);
        in.requireEnd();
        return message;
    }

    @Override
    public T transform(T message) {
        return message;
    }

    @Override
    public String name() {
        return name;
    }

    /** -1: a user codec. */
    @Override
    public byte systemCodecID() {
        return -1;
    }
}
