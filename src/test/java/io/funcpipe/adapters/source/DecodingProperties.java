package io.funcpipe.adapters.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Decoding and line splitting do not depend on how the input is cut into reads. */
@Label("decoding and line splitting")
class DecodingProperties {

    @Property(tries = 300)
    @Label("the streaming reader, the one-shot decoder and the JDK agree, and count each replacement")
    void decodersAgree(@ForAll("utf8ish") byte[] bytes, @ForAll @IntRange(min = 1, max = 9) int readSize) throws IOException {
        String jdk = new String(bytes, StandardCharsets.UTF_8);
        Decoded once = Decoded.utf8(bytes, 0, bytes.length);
        Utf8Reader reader = new Utf8Reader(new TrickleInputStream(bytes, readSize));
        StringWriter streamed = new StringWriter();
        reader.transferTo(streamed);
        String expected = jdk.startsWith("\uFEFF") ? jdk.substring(1) : jdk;
        assertThat(once.text()).isEqualTo(expected);
        assertThat(streamed.toString()).isEqualTo(expected);
        assertThat(reader.replaced()).isEqualTo(once.replaced());
        if (!jdk.contains("\uFFFD")) {
            assertThat(once.replaced()).isZero();
        }
    }

    @Property(tries = 300)
    @Label("lines are the same however the bytes are fed, and their sizes add up to the input")
    void linesIndependentOfFeeding(@ForAll("utf8ish") byte[] bytes, @ForAll @IntRange(min = 1, max = 9) int feedSize) {
        List<LineSplitter.Line> whole = lines(bytes, bytes.length == 0 ? 1 : bytes.length);
        List<LineSplitter.Line> trickled = lines(bytes, feedSize);
        assertThat(trickled).usingRecursiveFieldByFieldElementComparator().isEqualTo(whole);
        assertThat(trickled.stream().mapToLong(LineSplitter.Line::inputBytes).sum()).isEqualTo(bytes.length);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        long expectedLines = text.isEmpty() ? 0 : text.chars().filter(c -> c == '\n').count() + (text.endsWith("\n") ? 0 : 1);
        assertThat(trickled).hasSize((int) expectedLines);
    }

    private static List<LineSplitter.Line> lines(byte[] bytes, int feedSize) {
        LineSplitter splitter = new LineSplitter(1 << 20);
        List<LineSplitter.Line> out = new ArrayList<>();
        for (int off = 0; off < bytes.length; off += feedSize) {
            splitter.feed(bytes, off, Math.min(feedSize, bytes.length - off), out::add);
        }
        splitter.finish(out::add);
        return out;
    }

    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<byte[]> valid = Arbitraries.strings().withChars("ab \n\r,\"é中€\uD83D\uDE42").ofMaxLength(40)
                .filter(s -> !s.contains("\uD83D") || s.contains("\uD83D\uDE42"))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(6);
        Arbitrary<byte[]> bom = Arbitraries.just(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, valid), net.jqwik.api.Tuple.of(3, junk), net.jqwik.api.Tuple.of(1, bom))
                .list().ofMaxSize(12)
                .map(parts -> {
                    int size = parts.stream().mapToInt(p -> p.length).sum();
                    byte[] all = new byte[size];
                    int at = 0;
                    for (byte[] part : parts) {
                        System.arraycopy(part, 0, all, at, part.length);
                        at += part.length;
                    }
                    return all;
                });
    }

    /** Gives at most {@code step} bytes per read, to cut multi-byte characters across reads. */
    private static final class TrickleInputStream extends InputStream {
        private final ByteArrayInputStream in;
        private final int step;

        TrickleInputStream(byte[] bytes, int step) {
            this.in = new ByteArrayInputStream(bytes);
            this.step = step;
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, step));
        }
    }
}
