package io.funcpipe.service.bus.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.funcpipe.core.ErrCode;
import io.funcpipe.core.ErrInfo;
import io.funcpipe.core.Result;
import io.vertx.core.buffer.Buffer;

/**
 * Reads what {@link WireWriter} wrote, from {@code start} up to {@code end} of a buffer. Every
 * read checks the bounds: a truncated or corrupt message fails with a {@link MalformedMessageException}
 * naming what was being read and where, never with a read past the message.
 */
public final class WireReader {

    private final Buffer buffer;
    private final int end;
    private int pos;

    public WireReader(Buffer buffer, int start, int end) {
        this.buffer = requireNonNull(buffer, "buffer");
        if (start < 0 || end < start || end > buffer.length()) {
            throw new MalformedMessageException("message bounds " + start + ".." + end + " lie outside the "
                    + buffer.length() + "-byte buffer");
        }
        this.pos = start;
        this.end = end;
    }

    public int count() {
        long n = unsigned("a count");
        if (n > Integer.MAX_VALUE || n > remaining()) {
            // Every counted element takes at least one byte, so a count above what is left is corrupt.
            throw malformed("a count of " + n + " with only " + remaining() + " bytes left");
        }
        return (int) n;
    }

    public int int32() {
        long n = unsigned("an int");
        if (n > 0xFFFF_FFFFL) {
            throw malformed("an int wider than 32 bits");
        }
        int z = (int) n;
        return (z >>> 1) ^ -(z & 1);
    }

    public long int64() {
        long z = unsigned("a long");
        return (z >>> 1) ^ -(z & 1);
    }

    public boolean bool() {
        byte b = byteAt("a boolean");
        return switch (b) {
            case 0 -> false;
            case 1 -> true;
            default -> throw malformed("a boolean byte of " + b);
        };
    }

    public String string() {
        int length = count();
        String s = buffer.getString(pos, pos + length, UTF_8.name());
        pos += length;
        return s;
    }

    public List<String> strings() {
        return list(WireReader::string);
    }

    public Map<String, String> map() {
        int n = count();
        Map<String, String> map = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            map.put(string(), string());
        }
        return map;
    }

    public float[] floats() {
        int n = count();
        if ((long) n * Float.BYTES > remaining()) {
            throw malformed(n + " floats with only " + remaining() + " bytes left");
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = buffer.getFloat(pos);
            pos += Float.BYTES;
        }
        return values;
    }

    public <T> List<T> list(Function<WireReader, T> item) {
        int n = count();
        List<T> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(item.apply(this));
        }
        return items;
    }

    public ErrInfo error() {
        String name = string();
        ErrCode code;
        try {
            code = ErrCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw malformed("an unknown error code '" + name + "' (is the sender a newer version?)");
        }
        return new ErrInfo(code, string(), string(), string(), string(), map());
    }

    public <T> Result<T> result(Function<WireReader, T> value) {
        byte tag = byteAt("a result tag");
        return switch (tag) {
            case WireWriter.OK -> Result.ok(value.apply(this));
            case WireWriter.ERR -> Result.err(error());
            default -> throw malformed("a result tag of " + tag);
        };
    }

    /** Fails unless every byte of the message was read. */
    public void requireEnd() {
        if (pos != end) {
            throw malformed(remaining() + " unread bytes at the end");
        }
    }

    private int remaining() {
        return end - pos;
    }

    private byte byteAt(String what) {
        if (pos >= end) {
            throw malformed("the end of the message where " + what + " was expected");
        }
        return buffer.getByte(pos++);
    }

    private long unsigned(String what) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = byteAt(what);
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw malformed(what + " longer than 10 bytes");
    }

    private MalformedMessageException malformed(String found) {
        return new MalformedMessageException("malformed bus message: found " + found + " at byte " + pos);
    }
}
