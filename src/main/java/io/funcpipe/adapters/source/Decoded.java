package io.funcpipe.adapters.source;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text decoded from UTF-8 bytes, with every malformed sequence replaced by U+FFFD and counted.
 *
 * @param text     the decoded text
 * @param replaced how many malformed sequences were replaced
 */
record Decoded(String text, int replaced) {

    static final char REPLACEMENT = '\uFFFD';

    /** Decodes {@code len} bytes of {@code bytes} from {@code off}; a leading UTF-8 BOM is dropped. */
    static Decoded utf8(byte[] bytes, int off, int len) {
        if (len >= 3 && (bytes[off] & 0xFF) == 0xEF && (bytes[off + 1] & 0xFF) == 0xBB && (bytes[off + 2] & 0xFF) == 0xBF) {
            off += 3;
            len -= 3;
        }
        CharsetDecoder decoder = newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes, off, len);
        CharBuffer out = CharBuffer.allocate(len + 1);
        int replaced = 0;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isMalformed() || result.isUnmappable()) {
                in.position(in.position() + result.length());
                out = room(out);
                out.put(REPLACEMENT);
                replaced++;
            } else if (result.isOverflow()) {
                out = grow(out);
            } else {
                break;
            }
        }
        while (decoder.flush(out).isOverflow()) {
            out = grow(out);
        }
        out.flip();
        return new Decoded(out.toString(), replaced);
    }

    /** A UTF-8 decoder that reports malformed input, so the caller can count what it replaces. */
    static CharsetDecoder newDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static CharBuffer room(CharBuffer out) {
        return out.hasRemaining() ? out : grow(out);
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        out.flip();
        bigger.put(out);
        return bigger;
    }
}
