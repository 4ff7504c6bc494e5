package io.funcpipe.adapters.source;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Cuts a byte stream fed in pieces into lines ({@code \n} or {@code \r\n}), numbering them from 1.
 * A line longer than {@code maxLineBytes} is not kept: it is delivered as {@link Line#tooLong()}
 * and its bytes up to the next newline are discarded, so memory stays bounded.
 */
final class LineSplitter {

    /** One line: its number, its bytes (without the line break) and its size on input. */
    record Line(long number, byte[] bytes, long inputBytes, boolean tooLong) {
    }

    private final int maxLineBytes;
    private byte[] partial = new byte[256];
    private int partialLength;
    private long partialInput;
    private boolean overflow;
    private long lineNumber;

    LineSplitter(int maxLineBytes) {
        if (maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /** Feeds {@code len} bytes; every line they complete goes to {@code sink}, in order. */
    void feed(byte[] buf, int off, int len, Consumer<Line> sink) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (buf[i] == '\n') {
                append(buf, start, i - start);
                partialInput += 1;
                emit(sink);
                start = i + 1;
            }
        }
        append(buf, start, end - start);
    }

    /** Ends the input: a last line without a trailing newline goes to {@code sink}. */
    void finish(Consumer<Line> sink) {
        if (partialLength > 0 || overflow) {
            emit(sink);
        }
    }

    private void append(byte[] buf, int off, int len) {
        partialInput += len;
        if (overflow || len == 0) {
            return;
        }
        if (partialLength + len > maxLineBytes + 1) {
            overflow = true;
            partialLength = 0;
            partial = new byte[256];
            return;
        }
        if (partialLength + len > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(partialLength + len, partial.length * 2));
        }
        System.arraycopy(buf, off, partial, partialLength, len);
        partialLength += len;
    }

    private void emit(Consumer<Line> sink) {
        lineNumber++;
        int length = partialLength;
        if (!overflow && length > 0 && partial[length - 1] == '\r') {
            length--;
        }
        boolean tooLong = overflow || length > maxLineBytes;
        byte[] bytes = tooLong ? new byte[0] : Arrays.copyOf(partial, length);
        Line line = new Line(lineNumber, bytes, partialInput, tooLong);
        partialLength = 0;
        partialInput = 0;
        overflow = false;
        if (partial.length > 64 * 1024) {
            partial = new byte[256];
        }
        sink.accept(line);
    }
}
