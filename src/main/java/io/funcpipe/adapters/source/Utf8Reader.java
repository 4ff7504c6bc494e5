package io.funcpipe.adapters.source;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;

/**
 * A streaming UTF-8 {@link Reader} that replaces every malformed sequence by U+FFFD and counts the
 * replacements (unlike {@code InputStreamReader}, which replaces silently). A leading BOM is dropped.
 */
final class Utf8Reader extends Reader {

    private static final int BUFFER = 64 * 1024;

    private final InputStream in;
    private final CharsetDecoder decoder = Decoded.newDecoder();
    private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER);
    private final CharBuffer chars = CharBuffer.allocate(BUFFER);
    private boolean endOfInput;
    private boolean flushed;
    private boolean first = true;
    private long replaced;

    Utf8Reader(InputStream in) {
        this.in = requireNonNull(in, "in");
        bytes.flip();
        chars.flip();
    }

    /** Malformed sequences replaced so far. */
    long replaced() {
        return replaced;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (flushed) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buf, off, n);
        return n;
    }

    private void fill() throws IOException {
        chars.clear();
        if (first) {
            while (!endOfInput && bytes.remaining() < 3) {
                readMore();
            }
            dropBom();
            first = false;
        } else if (!endOfInput && bytes.remaining() < 4) {
            readMore();
        }
        while (chars.hasRemaining()) {
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            if (result.isMalformed() || result.isUnmappable()) {
                if (!chars.hasRemaining()) {
                    break;
                }
                bytes.position(bytes.position() + result.length());
                chars.put(Decoded.REPLACEMENT);
                replaced++;
            } else if (result.isUnderflow()) {
                if (endOfInput && !bytes.hasRemaining()) {
                    if (decoder.flush(chars).isUnderflow()) {
                        flushed = true;
                    }
                }
                break;
            } else {
                break;
            }
        }
        chars.flip();
    }

    private void readMore() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            endOfInput = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    /** Drops a BOM at the very start of the input (only there: elsewhere U+FEFF is content). */
    private void dropBom() {
        int p = bytes.position();
        if (bytes.remaining() >= 3 && (bytes.get(p) & 0xFF) == 0xEF && (bytes.get(p + 1) & 0xFF) == 0xBB
                && (bytes.get(p + 2) & 0xFF) == 0xBF) {
            bytes.position(p + 3);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
