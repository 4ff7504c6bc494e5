package io.funcpipe.service.bus.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.funcpipe.core.Err;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Ok;
import io.funcpipe.core.Result;
import io.vertx.core.buffer.Buffer;

/**
 * Appends values to a {@link Buffer} in the bus's compact binary form, read back by
 * {@link WireReader}: counts and lengths as unsigned LEB128 varints, other integers as zig-zag
 * varints, strings as a varint byte length followed by their UTF-8 bytes, floats as raw 4-byte
 * IEEE 754 values (big-endian), a {@link Result} as a tag byte (0 = Ok, 1 = Err) and its value or
 * its {@link ErrInfo} with every field.
 */
public final class WireWriter {

    static final byte OK = 0;
    static final byte ERR = 1;

    private final Buffer buffer;

    public WireWriter(Buffer buffer) {
        this.buffer = requireNonNull(buffer, "buffer");
    }

    /** A count or length, >= 0. */
    public WireWriter count(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("a count must be >= 0, got " + n);
        }
        return unsigned(n);
    }

    /** Any int (zig-zag, so small negative values stay short). */
    public WireWriter int32(int n) {
        return unsigned(Integer.toUnsignedLong((n << 1) ^ (n >> 31)));
    }

    /** Any long (zig-zag). */
    public WireWriter int64(long n) {
        return unsigned((n << 1) ^ (n >> 63));
    }

    public WireWriter bool(boolean b) {
        buffer.appendByte(b ? (byte) 1 : (byte) 0);
        return this;
    }

    public WireWriter string(String s) {
        byte[] bytes = s.getBytes(UTF_8);
        count(bytes.length);
        buffer.appendBytes(bytes);
        return this;
    }

    public WireWriter strings(List<String> strings) {
        count(strings.size());
        for (String s : strings) {
            string(s);
        }
        return this;
    }

    public WireWriter map(Map<String, String> map) {
        count(map.size());
        map.forEach((k, v) -> string(k).string(v));
        return this;
    }

    /** The length, then each float as its raw 4 bytes. */
    public WireWriter floats(float[] values) {
        count(values.length);
        for (float f : values) {
            buffer.appendFloat(f);
        }
        return this;
    }

    public <T> WireWriter list(List<T> items, BiConsumer<WireWriter, ? super T> item) {
        count(items.size());
        for (T t : items) {
            item.accept(this, t);
        }
        return this;
    }

    public WireWriter error(ErrInfo e) {
        string(e.code().name()).string(e.message()).string(e.stage()).string(e.key()).string(e.location());
        return map(e.details());
    }

    public <T> WireWriter result(Result<T> result, BiConsumer<WireWriter, ? super T> value) {
        switch (result) {
            case Ok<T>(T v) -> {
                buffer.appendByte(OK);
                value.accept(this, v);
            }
            case Err<T>(ErrInfo e) -> {
                buffer.appendByte(ERR);
                error(e);
            }
        }
        return this;
    }

    private WireWriter unsigned(long n) {
        long v = n;
        while ((v & ~0x7FL) != 0) {
            buffer.appendByte((byte) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.appendByte((byte) v);
        return this;
    }
}
